package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One published file of a known dataset: its role, its name as published, the size and SHA-256
 * of the published (gzip) bytes, which downloads are verified against, and, where known, the size
 * and SHA-256 of its decompressed IDX content.
 *
 * <p>The content checksum identifies the data independently of its packaging: a copy recompressed
 * or repackaged (Debian's Fashion-MNIST has rewritten gzip headers), or stored uncompressed, has
 * other file bytes but the same content, and {@link #matches(String, String)} accepts it.
 */
public final class DatasetFile {
  private final FileRole role;
  private final String fileName;
  private final long size;
  private final String sha256;
  private final long contentSize;
  private final String contentSha256;

  private DatasetFile(FileRole role, String fileName, long size, String sha256, long contentSize,
      String contentSha256) {
    this.role = role;
    this.fileName = fileName;
    this.size = size;
    this.sha256 = sha256;
    this.contentSize = contentSize;
    this.contentSha256 = contentSha256;
  }

  /**
   * A published file.
   *
   * @param sha256 64 lower-case hex digits
   */
  public static DatasetFile of(FileRole role, String fileName, long size, String sha256) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(fileName, "fileName");
    checkArgument(size > 0, "size must be positive: %s", size);
    checkArgument(sha256.matches("[0-9a-f]{64}"), "sha256 must be 64 lower-case hex digits: %s", sha256);
    return new DatasetFile(role, fileName, size, sha256, -1, null);
  }

  /**
   * This file with the size and SHA-256 of its decompressed IDX content (the bytes gunzip gives).
   *
   * @param contentSha256 64 lower-case hex digits
   */
  public DatasetFile withContent(long contentSize, String contentSha256) {
    checkArgument(contentSize > 0, "content size must be positive: %s", contentSize);
    checkArgument(contentSha256.matches("[0-9a-f]{64}"), "content sha256 must be 64 lower-case hex digits: %s",
        contentSha256);
    return new DatasetFile(role, fileName, size, sha256, contentSize, contentSha256);
  }

  /** The role of this file in its dataset. */
  public FileRole role() {
    return role;
  }

  /** The published file name, e.g. {@code train-images-idx3-ubyte.gz}. */
  public String fileName() {
    return fileName;
  }

  /** The published size in bytes. */
  public long size() {
    return size;
  }

  /** The lower-case hex SHA-256 of the published bytes. */
  public String sha256() {
    return sha256;
  }

  /** The size in bytes of the decompressed IDX content, if known. */
  public OptionalLong contentSize() {
    return contentSize < 0 ? OptionalLong.empty() : OptionalLong.of(contentSize);
  }

  /** The lower-case hex SHA-256 of the decompressed IDX content, if known. */
  public Optional<String> contentSha256() {
    return Optional.ofNullable(contentSha256);
  }

  /**
   * Whether a file with these checksums holds this published data: its bytes are the published
   * file ({@code fileSha256} equals {@link #sha256()}), or its decompressed content is the
   * published content ({@code contentSha256} equals {@link #contentSha256()}, when that is known).
   *
   * @param fileSha256 SHA-256 of the file's bytes as stored
   * @param contentSha256 SHA-256 of its decompressed IDX bytes (equal to {@code fileSha256} for an
   *     uncompressed file), or null if not computed
   */
  public boolean matches(String fileSha256, String contentSha256) {
    return sha256.equals(fileSha256) || (this.contentSha256 != null && this.contentSha256.equals(contentSha256));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DatasetFile)) {
      return false;
    }
    DatasetFile f = (DatasetFile) o;
    return role == f.role && fileName.equals(f.fileName) && size == f.size && sha256.equals(f.sha256)
        && contentSize == f.contentSize && Objects.equals(contentSha256, f.contentSha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, fileName, size, sha256, contentSize, contentSha256);
  }

  /**
   * For example {@code train-images-idx3-ubyte.gz (9912422 bytes, sha256 440fcabf...)}, followed by
   * {@code ; content 47040016 bytes, sha256 ...} when the content checksum is known.
   */
  @Override
  public String toString() {
    return fileName + " (" + size + " bytes, sha256 " + sha256
        + (contentSha256 != null ? "; content " + contentSize + " bytes, sha256 " + contentSha256 : "") + ")";
  }
}
