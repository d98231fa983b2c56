package dev.mnistlab.data;

import java.io.IOException;

/**
 * An IDX file (or a dataset made of IDX files) is malformed: its message names the file, what was
 * found and what was expected.
 */
public final class IdxFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;

  /**
   * Creates an exception about {@code source}.
   *
   * @param source the file (or stream) name the problem is in
   * @param problem what was wrong and what was expected
   */
  public IdxFormatException(String source, String problem) {
    super(source + ": " + problem);
    this.source = source;
  }

  /**
   * Creates an exception about {@code source} caused by a lower-level failure.
   *
   * @param source the file (or stream) name the problem is in
   * @param problem what was wrong and what was expected
   * @param cause the underlying failure
   */
  public IdxFormatException(String source, String problem, Throwable cause) {
    super(source + ": " + problem, cause);
    this.source = source;
  }

  /** The file (or stream) the problem is in, as given to the reader. */
  public String source() {
    return source;
  }
}
