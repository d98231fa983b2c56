package dev.mnistlab.experiments.sweep;

import java.util.Locale;

/** Whether the sweep metric should be minimised or maximised. */
public enum Goal {
  /** Smaller is better (losses). */
  MINIMIZE,
  /** Larger is better (accuracies). */
  MAXIMIZE;

  /** Returns true when {@code candidate} is strictly better than {@code incumbent}. */
  public boolean isBetter(double candidate, double incumbent) {
    return this == MAXIMIZE ? candidate > incumbent : candidate < incumbent;
  }

  /** Maps a metric value to one that is always minimised (negated for {@link #MAXIMIZE}). */
  public double toMinimized(double value) {
    return this == MAXIMIZE ? -value : value;
  }

  /** The name used in configs ({@code minimize}, {@code maximize}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
