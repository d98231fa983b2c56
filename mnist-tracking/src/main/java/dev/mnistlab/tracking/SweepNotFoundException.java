package dev.mnistlab.tracking;

/**
 * W&amp;B has no such sweep: its id, project or entity is wrong, or it was deleted (the agent
 * protocol's 404). Nothing is retried; the message names the sweep.
 */
public final class SweepNotFoundException extends TrackingException {
  private static final long serialVersionUID = 1L;

  /** An exception with this message. */
  public SweepNotFoundException(String message) {
    super(message);
  }
}
