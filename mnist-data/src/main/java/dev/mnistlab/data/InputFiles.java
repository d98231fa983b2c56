package dev.mnistlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks for the files a user names (a config, an image to predict, an IDX file, the entries of a
 * data folder) before they are opened, so that a FIFO, a device, a directory or a symbolic-link
 * loop is refused at once with its path and what it is, instead of blocking forever on an
 * {@code open} or being reported as missing, and so that a file far too large for what it claims
 * to be is refused before it is read into memory.
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Returns {@code file} if it is a regular file (after following symbolic links).
   *
   * @param what what the file should be, for the message (e.g. {@code "a sweep config"})
   * @throws NoSuchFileException if nothing is there (also a dangling link)
   * @throws FileSystemException naming the path if it is a directory, a FIFO, a device or socket,
   *     or a symbolic-link loop
   */
  public static Path requireRegularFile(Path file, String what) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(file)) {
        throw new NoSuchFileException(file.toString(), null,
            "a symbolic link to nothing; expected " + what);
      }
      throw new NoSuchFileException(file.toString());
    } catch (FileSystemException e) {
      // ELOOP: "Too many levels of symbolic links"
      throw new FileSystemException(file.toString(), null,
          describe(e) + " (a symbolic-link loop?); expected " + what);
    }
    if (attrs.isRegularFile()) {
      return file;
    }
    String kind = attrs.isDirectory() ? "a directory" : isFifo(file) ? "a FIFO (named pipe)"
        : "not a regular file (a device or socket)";
    throw new FileSystemException(file.toString(), null, "is " + kind + "; expected " + what);
  }

  /**
   * True if something other than a regular file is at {@code path} (not following a final link),
   * e.g. to tell "missing" from "present but unusable" in a folder listing.
   */
  public static boolean existsAsSomething(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Reads a regular file of at most {@code maxBytes} as UTF-8, checking the size before reading
   * and while reading (a file that grows, or a special file that reports no size).
   *
   * @throws FileSystemException naming the path if it is not a regular file or is too large
   */
  public static String readString(Path file, long maxBytes, String what) throws IOException {
    requireRegularFile(file, what);
    long size = Files.size(file);
    if (size > maxBytes) {
      throw new FileSystemException(file.toString(), null, tooLarge(size, maxBytes, what));
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new FileSystemException(file.toString(), null, tooLarge(bytes.length, maxBytes, what));
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static String tooLarge(long size, long maxBytes, String what) {
    return "is " + size + " bytes, more than the " + maxBytes + " bytes " + what + " may have";
  }

  private static boolean isFifo(Path file) {
    try {
      Object type = Files.getAttribute(file, "unix:mode");
      return type instanceof Integer mode && (mode & 0170000) == 0010000;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String describe(FileSystemException e) {
    return e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT) : "cannot be read";
  }
}
