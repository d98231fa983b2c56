package dev.mnistlab.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What {@link IdxFiles#inspect(Path)} learns about an IDX file without keeping its data: element
 * type, dimensions, compression, file size and the SHA-256 of the file's bytes as stored and of
 * its IDX content (decompressed).
 */
public final class IdxHeader {
  private final Path file;
  private final IdxType type;
  private final int[] dims;
  private final Compression compression;
  private final long fileSize;
  private final String sha256;
  private final String contentSha256;

  IdxHeader(Path file, IdxType type, int[] dims, Compression compression, long fileSize, String sha256,
      String contentSha256) {
    this.file = Objects.requireNonNull(file);
    this.type = Objects.requireNonNull(type);
    this.dims = dims.clone();
    this.compression = Objects.requireNonNull(compression);
    this.fileSize = fileSize;
    this.sha256 = Objects.requireNonNull(sha256);
    this.contentSha256 = Objects.requireNonNull(contentSha256);
  }

  /** The inspected file. */
  public Path file() {
    return file;
  }

  /** The element type. */
  public IdxType type() {
    return type;
  }

  /** The dimensions (a copy). */
  public int[] dims() {
    return dims.clone();
  }

  /** The number of items: the first dimension. */
  public int count() {
    return dims[0];
  }

  /** Whether the file is gzip-compressed. */
  public Compression compression() {
    return compression;
  }

  /** The file's size on disk in bytes. */
  public long fileSize() {
    return fileSize;
  }

  /** The lower-case hex SHA-256 of the file's bytes as stored (compressed if gzip). */
  public String sha256() {
    return sha256;
  }

  /**
   * The lower-case hex SHA-256 of the IDX content (the decompressed bytes; for an uncompressed file,
   * the same as {@link #sha256()}): equal for every packaging of the same data.
   */
  public String contentSha256() {
    return contentSha256;
  }

  /** Dimensions joined by {@code x}, e.g. {@code 60000x28x28}. */
  static String formatDims(int[] dims) {
    return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("x"));
  }

  /** One line, e.g. {@code train-images-idx3-ubyte.gz: UNSIGNED_BYTE 60000x28x28 (GZIP) sha256=...}. */
  @Override
  public String toString() {
    return file.getFileName() + ": " + type + " " + formatDims(dims) + " (" + compression + ", "
        + fileSize + " bytes) sha256=" + sha256;
  }
}
