package dev.mnistlab.models;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file could not be read or written: missing, not a zip, not a DL4J model, or damaged. The
 * message names the file, what was wrong and what was expected.
 */
public final class ModelFileException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** An error about {@code file}; {@code problem} says what was wrong and what was expected. */
  public ModelFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file concerned. */
  public Path file() {
    return file;
  }
}
