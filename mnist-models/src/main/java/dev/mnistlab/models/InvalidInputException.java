package dev.mnistlab.models;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input given to the {@link Predictor} is not usable: not an image, an IDX file of the wrong
 * type or shape, or an image with no digit in it. The message names the file, what was wrong and
 * what was expected.
 */
public final class InvalidInputException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** An error about {@code file}. */
  public InvalidInputException(Path file, String problem) {
    this(file, problem, null);
  }

  /** An error about {@code file} with a cause. */
  public InvalidInputException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file concerned. */
  public Path file() {
    return file;
  }
}
