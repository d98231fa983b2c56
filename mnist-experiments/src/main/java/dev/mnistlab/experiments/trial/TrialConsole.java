package dev.mnistlab.experiments.trial;

import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The lines mnistlab prints for a trial, in one place: the CLI prints them and the trial's run
 * records them as its console ({@link Run#console}, W&amp;B's Logs tab), so the dashboard shows what
 * the terminal showed.
 */
public final class TrialConsole {
  private TrialConsole() {}

  /**
   * One epoch: {@code epoch 2/5  loss 0.3100  val_loss 0.2000  val_acc 0.9500  12.3 s  4500.0
   * img/s} ({@code -} for a figure the epoch does not have).
   */
  public static String epochLine(EpochMetrics m, OptionalInt epochs) {
    return String.format(Locale.ROOT, "epoch %d%s  loss %s  val_loss %s  val_acc %s  %s s  %s img/s",
        m.epoch(), epochs.isPresent() ? "/" + epochs.getAsInt() : "",
        metric(m.get(MetricKeys.LOSS)), metric(m.get(MetricKeys.VAL_LOSS)),
        metric(m.get(MetricKeys.VAL_ACCURACY)), tenths(m.get(MetricKeys.EPOCH_SECONDS)),
        tenths(m.get(MetricKeys.IMAGES_PER_SECOND)));
  }

  /** A final metric: {@code test_accuracy  0.9812}. */
  public static String metricLine(String name, double value) {
    return String.format(Locale.ROOT, "%-14s %s", name, metric(OptionalDouble.of(value)));
  }

  /** Records the final metrics as console lines of {@code run}. */
  static void finalMetrics(Run run, Map<String, Double> metrics) {
    metrics.forEach((k, v) -> run.console(metricLine(k, v)));
  }

  private static String metric(OptionalDouble v) {
    return v.isPresent() && Double.isFinite(v.getAsDouble())
        ? String.format(Locale.ROOT, "%.4f", v.getAsDouble()) : "-";
  }

  private static String tenths(OptionalDouble v) {
    return v.isPresent() ? String.format(Locale.ROOT, "%.1f", v.getAsDouble()) : "-";
  }
}
