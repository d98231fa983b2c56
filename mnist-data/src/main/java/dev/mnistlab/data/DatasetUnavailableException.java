package dev.mnistlab.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset could not be found locally nor downloaded. The message says exactly which files were
 * missing where, which local copies (system installations) were rejected and why, which mirrors
 * were tried with what error, and how to supply the files by hand.
 */
public final class DatasetUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  private final List<String> missingFiles;
  private final List<String> attempts;

  DatasetUnavailableException(String message, List<String> missingFiles, List<String> attempts) {
    super(message);
    this.missingFiles = List.copyOf(missingFiles);
    this.attempts = List.copyOf(attempts);
  }

  static DatasetUnavailableException missingInFolder(Path folder, List<String> missing) {
    return new DatasetUnavailableException(folder + ": missing " + String.join(", ", missing)
        + " (each may also be uncompressed, without .gz); a dataset folder holds "
        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
        + "t10k-labels-idx1-ubyte.gz", missing, List.of());
  }

  /** The names of the files that could not be found or downloaded. */
  public List<String> missingFiles() {
    return missingFiles;
  }

  /**
   * One line per failed attempt, in order: each rejected local copy (its folder and why, e.g. which
   * file has which content checksum), then each download (the URL and what went wrong); empty if
   * nothing was tried.
   */
  public List<String> attempts() {
    return attempts;
  }
}
