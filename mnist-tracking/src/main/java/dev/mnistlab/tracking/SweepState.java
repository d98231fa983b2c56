package dev.mnistlab.tracking;

import java.util.Locale;

/**
 * The state of a sweep registered on W&amp;B, as its sweep page shows it: mnistlab sets
 * {@link #RUNNING} while its trials run, {@link #FINISHED} when the sweep has run every trial and
 * {@link #CANCELED} when it was stopped (Ctrl-C); a resumed sweep is running again.
 */
public enum SweepState {
  /** Trials are being run. */
  RUNNING,
  /** Every trial has run. */
  FINISHED,
  /** Stopped before its end (Ctrl-C); resuming the sweep makes it running again. */
  CANCELED;

  /** The name W&amp;B's {@code UpsertSweep} takes ({@code RUNNING}, {@code FINISHED}, ...). */
  public String wireName() {
    return name();
  }

  /** Parses a {@link #wireName()} (any case). */
  public static SweepState fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
