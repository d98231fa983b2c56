package dev.mnistlab.data.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that readers see either the old content or the complete new content, never half
 * a file: the content goes to a temporary file in the same folder, which is then renamed over the
 * target (atomically where the file system allows).
 *
 * <p>Use {@link #write}/{@link #writeString} when the content can be written to a stream; use
 * {@link #tempFileBeside}, {@link #moveIntoPlace} and {@link #deleteQuietly} when the writer needs
 * the temporary file itself (a {@code FileChannel} to force, a zip file system).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** A writer of a file's content to a stream. */
  @FunctionalInterface
  public interface Content {
    /** Writes the content. */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code text} as UTF-8 to {@code target}, atomically, readable by all like a file
   * written normally.
   */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Writes {@code content} to {@code target} via a temporary file and a rename; the result is
   * readable by all (rw-r--r--). On failure the temporary file is removed and the previous content
   * of {@code target} (if any) is untouched.
   */
  public static void write(Path target, Content content) throws IOException {
    Path temp = tempFileBeside(target);
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        content.writeTo(out);
      }
      makeReadable(temp);
      moveIntoPlace(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * A new, empty temporary file beside {@code target} (same directory, so a rename is atomic),
   * creating the directory if needed. It is private (rw-------) until {@link #makeReadable}.
   */
  public static Path tempFileBeside(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
  }

  /** Renames {@code temp} over {@code target}, atomically where the file system can. */
  public static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes {@code temp} if it exists, never throwing (used on failure paths). */
  public static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // best effort: a stray .part file is harmless and reported nowhere else
    }
  }

  /**
   * Makes a file readable by all (rw-r--r--), as a file written normally is: temporary files are
   * private, results are meant to be shared like any file. A no-op on non-POSIX file systems.
   */
  public static void makeReadable(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows and other non-POSIX file systems: default permissions apply
    }
  }
}
