package dev.mnistlab.tracking;

/**
 * A tracking operation failed in a way the caller must know about: the local store cannot be
 * opened or written, or W&amp;B refused the run at start (bad API key, unknown entity or project, a run
 * id that belonged to a deleted run). Messages say what to do and never contain the API key.
 */
public class TrackingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a user-facing message. */
  public TrackingException(String message) {
    super(message);
  }

  /** Creates an exception with a user-facing message and its cause. */
  public TrackingException(String message, Throwable cause) {
    super(message, cause);
  }
}
