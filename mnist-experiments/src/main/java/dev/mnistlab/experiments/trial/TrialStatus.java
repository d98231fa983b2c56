package dev.mnistlab.experiments.trial;

import java.util.Locale;

/** How a trial ended. */
public enum TrialStatus {
  /** Trained all its epochs. */
  FINISHED,
  /** Stopped by hyperband (counts as finished: its metric is valid for its epochs). */
  STOPPED_EARLY,
  /** Threw an error; recorded with the error, the sweep went on. */
  FAILED,
  /** Interrupted by Ctrl-C; rerun on resume. */
  INTERRUPTED;

  /** Lower-case label used in tables and files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether the trial's work is complete and is skipped when the sweep is resumed. */
  public boolean isComplete() {
    return this == FINISHED || this == STOPPED_EARLY;
  }
}
