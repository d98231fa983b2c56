package dev.mnistlab.data.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing files so that readers see either the old content or the complete new content. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** A new, empty temporary file beside {@code target} (same directory, so a rename is atomic). */
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
}
