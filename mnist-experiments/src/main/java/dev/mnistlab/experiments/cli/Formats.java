package dev.mnistlab.experiments.cli;

import java.time.Duration;
import java.util.Locale;

/** Small text formats shared by the commands' tables. */
final class Formats {
  private Formats() {}

  /** A metric value with four decimals, or "-" when absent or not a number. */
  static String metric(Object value) {
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      return String.format(Locale.ROOT, "%.4f", n.doubleValue());
    }
    return "-";
  }

  /** A duration as {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
  static String duration(Duration d) {
    long seconds = Math.max(0, d.getSeconds());
    if (seconds >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    if (seconds >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return seconds + "s";
  }
}
