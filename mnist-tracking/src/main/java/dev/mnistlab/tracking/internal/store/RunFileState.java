package dev.mnistlab.tracking.internal.store;

/**
 * A run file and what one sink did with it: the stored version's MD5 (hex) and size, the MD5 of the
 * version the sink uploaded and of the one it reported as uploaded (W&amp;B: file_stream's
 * {@code uploaded}), upload attempts and the last upload error. A file is done for the sink when
 * the reported MD5 is the stored one.
 */
public record RunFileState(String name, String md5, long size, String uploadedMd5,
    String reportedMd5, int attempts, String lastError) {

  /** True when the stored version still has to be uploaded. */
  public boolean uploadPending() {
    return !md5.equals(uploadedMd5);
  }

  /** True when the uploaded version still has to be reported. */
  public boolean reportPending() {
    return uploadedMd5 != null && !uploadedMd5.equals(reportedMd5);
  }

  /** This state after the stored version was uploaded. */
  public RunFileState uploaded() {
    return new RunFileState(name, md5, size, md5, reportedMd5, attempts + 1, null);
  }

  /** This state after the uploaded version was reported. */
  public RunFileState reported() {
    return new RunFileState(name, md5, size, uploadedMd5, uploadedMd5, attempts, lastError);
  }

  /** This state after a failed upload. */
  public RunFileState failed(String error) {
    return new RunFileState(name, md5, size, uploadedMd5, reportedMd5, attempts + 1, error);
  }
}
