package dev.mnistlab.tracking;

import java.util.Map;
import java.util.Objects;

/**
 * One logged step of a run: its line index in the run's history, the step, runtime and timestamp,
 * and the logged values (numbers, strings, booleans, lists, maps; non-finite numbers are
 * {@code Double.NaN} or infinities). Immutable.
 */
public final class HistoryRow {
  private final long line;
  private final long step;
  private final double runtimeSeconds;
  private final double timestampSeconds;
  private final Map<String, Object> values;

  /** Creates a row; used by the store. */
  public HistoryRow(long line, long step, double runtimeSeconds, double timestampSeconds,
      Map<String, Object> values) {
    this.line = line;
    this.step = step;
    this.runtimeSeconds = runtimeSeconds;
    this.timestampSeconds = timestampSeconds;
    this.values = Map.copyOf(Objects.requireNonNull(values, "values"));
  }

  /** Zero-based line index within the run (the W&amp;B history offset of this row). */
  public long line() {
    return line;
  }

  /** The step ({@code _step}). */
  public long step() {
    return step;
  }

  /** Seconds since the run started ({@code _runtime}). */
  public double runtimeSeconds() {
    return runtimeSeconds;
  }

  /** Unix time in seconds ({@code _timestamp}). */
  public double timestampSeconds() {
    return timestampSeconds;
  }

  /** The logged values, without the reserved {@code _step/_runtime/_timestamp} keys. */
  public Map<String, Object> values() {
    return values;
  }

  /** A numeric value, or NaN when the key is absent or not a number. */
  public double number(String key) {
    Object v = values.get(key);
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  @Override
  public String toString() {
    return "HistoryRow{line=" + line + ", step=" + step + ", values=" + values + "}";
  }
}
