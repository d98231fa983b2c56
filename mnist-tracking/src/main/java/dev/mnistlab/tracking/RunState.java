package dev.mnistlab.tracking;

/** Lifecycle state of a run as recorded in the local store. */
public enum RunState {
  /** Started and not yet finished (or its process died and nobody has noticed yet). */
  RUNNING,
  /** Finished with exit code 0. */
  FINISHED,
  /** Finished with a non-zero exit code. */
  FAILED,
  /** Its process died without finishing the run (found by {@link Syncer} or the store). */
  CRASHED,
  /** Stopped on purpose before completion, e.g. by Ctrl-C or JVM shutdown. */
  INTERRUPTED,
  /**
   * Ended early because W&amp;B asked it to stop (Stop in the UI, a sweep's early termination), then
   * finished normally: recorded, evaluated, saved and uploaded with exit code 0.
   */
  STOPPED;

  /** The lower-case name stored in the database and shown to users. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses a {@link #label()}. */
  public static RunState fromLabel(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }

  /** True for every state except {@link #RUNNING}. */
  public boolean isTerminal() {
    return this != RUNNING;
  }
}
