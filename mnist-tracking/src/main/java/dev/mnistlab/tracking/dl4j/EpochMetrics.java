package dev.mnistlab.tracking.dl4j;

import dev.mnistlab.tracking.MetricKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One epoch's numbers as the caller computed them (e.g. the mnistlab trainer, which evaluates once
 * per epoch itself). Every value except the epoch is optional; absent values are filled from the
 * listener's own measurements when it observed the epoch, or left out. Immutable.
 */
public final class EpochMetrics {
  private final int epoch;
  private final Map<String, Double> values;

  private EpochMetrics(Builder b) {
    this.epoch = b.epoch;
    this.values = Map.copyOf(b.values);
  }

  /** A builder for epoch {@code epoch} (1-based). */
  public static Builder builder(int epoch) {
    return new Builder(epoch);
  }

  /** The epoch, 1-based. */
  public int epoch() {
    return epoch;
  }

  /** A value by {@link MetricKeys} name, if present. */
  public OptionalDouble get(String key) {
    Double v = values.get(key);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The values in {@link MetricKeys#EPOCH_METRICS} order, starting with {@code epoch}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MetricKeys.EPOCH, epoch);
    for (String k : MetricKeys.EPOCH_METRICS) {
      if (values.containsKey(k)) {
        m.put(k, values.get(k));
      }
    }
    return m;
  }

  /**
   * {@link #toMap()} as numbers, in the same order: what a trial's per-epoch history row holds
   * (the epoch as a double beside the metrics).
   */
  public Map<String, Double> toNumbers() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(MetricKeys.EPOCH, (double) epoch);
    for (String k : MetricKeys.EPOCH_METRICS) {
      if (values.containsKey(k)) {
        m.put(k, values.get(k));
      }
    }
    return m;
  }

  /**
   * The metrics a {@link #toNumbers()} row holds: its inverse, for a row that travelled (a Spark
   * executor's epoch, followed by the sweep on the driver). Keys other than the epoch metrics are
   * ignored.
   *
   * @throws IllegalArgumentException when the row has no {@code epoch} of at least 1
   */
  public static EpochMetrics fromNumbers(Map<String, Double> row) {
    Double epoch = row.get(MetricKeys.EPOCH);
    if (epoch == null) {
      throw new IllegalArgumentException("an epoch row needs " + MetricKeys.EPOCH + ": " + row);
    }
    Builder b = builder(epoch.intValue());
    for (String k : MetricKeys.EPOCH_METRICS) {
      Double v = row.get(k);
      if (v != null) {
        b.put(k, v);
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "EpochMetrics" + toMap();
  }

  /** Builder for {@link EpochMetrics}. */
  public static final class Builder {
    private final int epoch;
    private final Map<String, Double> values = new LinkedHashMap<>();

    private Builder(int epoch) {
      if (epoch < 1) {
        throw new IllegalArgumentException("epoch is 1-based, was " + epoch);
      }
      this.epoch = epoch;
    }

    private Builder put(String key, double v) {
      values.put(key, v);
      return this;
    }

    /** Mean training loss. */
    public Builder trainLoss(double v) {
      return put(MetricKeys.LOSS, v);
    }

    /** Training accuracy. */
    public Builder trainAccuracy(double v) {
      return put(MetricKeys.ACCURACY, v);
    }

    /** Validation loss. */
    public Builder validationLoss(double v) {
      return put(MetricKeys.VAL_LOSS, v);
    }

    /** Validation accuracy. */
    public Builder validationAccuracy(double v) {
      return put(MetricKeys.VAL_ACCURACY, v);
    }

    /** Macro precision, recall and F1 on the validation split. */
    public Builder validationMacro(double precision, double recall, double f1) {
      put(MetricKeys.VAL_PRECISION, precision);
      put(MetricKeys.VAL_RECALL, recall);
      return put(MetricKeys.VAL_F1, f1);
    }

    /** Learning rate. */
    public Builder learningRate(double v) {
      return put(MetricKeys.LEARNING_RATE, v);
    }

    /** Training seconds of the epoch. */
    public Builder seconds(double v) {
      return put(MetricKeys.EPOCH_SECONDS, v);
    }

    /** Training images per second. */
    public Builder imagesPerSecond(double v) {
      return put(MetricKeys.IMAGES_PER_SECOND, v);
    }

    /** Builds the metrics. */
    public EpochMetrics build() {
      return new EpochMetrics(this);
    }
  }
}
