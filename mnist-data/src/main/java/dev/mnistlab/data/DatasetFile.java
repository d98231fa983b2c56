package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * One published file of a known dataset: its role, its name as published, and the size and
 * SHA-256 of the published (gzip) bytes, which downloads are verified against.
 */
public final class DatasetFile {
  private final FileRole role;
  private final String fileName;
  private final long size;
  private final String sha256;

  private DatasetFile(FileRole role, String fileName, long size, String sha256) {
    this.role = role;
    this.fileName = fileName;
    this.size = size;
    this.sha256 = sha256;
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
    return new DatasetFile(role, fileName, size, sha256);
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

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DatasetFile)) {
      return false;
    }
    DatasetFile f = (DatasetFile) o;
    return role == f.role && fileName.equals(f.fileName) && size == f.size && sha256.equals(f.sha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, fileName, size, sha256);
  }

  /** For example {@code train-images-idx3-ubyte.gz (9912422 bytes, sha256 440fcabf...)}. */
  @Override
  public String toString() {
    return fileName + " (" + size + " bytes, sha256 " + sha256 + ")";
  }
}
