package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.runner.SweepListener;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a sweep's progress: one line per trial start, per epoch and per trial end on standard
 * output, and (when attached to a terminal) a progress bar over the batches of the running epoch
 * on standard error.
 */
final class SweepProgress implements SweepListener {
  private final PrintWriter out;
  private final String metric;
  private final int plannedTrials;
  private final boolean bars;
  private ProgressBar epochBar;
  private int epochBarTrial = -1;
  private int epochBarEpoch = -1;

  SweepProgress(PrintWriter out, String metric, int plannedTrials, boolean bars) {
    this.out = out;
    this.metric = metric;
    this.plannedTrials = plannedTrials;
    this.bars = bars;
  }

  private String trialLabel(TrialParameters p) {
    return "trial " + (p.index() + 1) + (plannedTrials > 0 ? "/" + plannedTrials : "");
  }

  @Override
  public synchronized void trialStarted(TrialParameters parameters, String runId, boolean skipped) {
    out.printf("%s %s  run %s  %s%n", trialLabel(parameters),
        skipped ? "finished earlier, skipped" : "started", runId, parameters.toConfigMap());
    out.flush();
  }

  @Override
  public synchronized void batchFinished(TrialParameters p, int epoch, int done, int total) {
    if (!bars) {
      return;
    }
    if (epochBar == null || epochBarTrial != p.index() || epochBarEpoch != epoch) {
      closeBar();
      epochBar = new ProgressBarBuilder()
          .setTaskName(trialLabel(p) + " epoch " + epoch
              + (p.epochs().isPresent() ? "/" + p.epochs().getAsInt() : ""))
          .setInitialMax(total)
          .setStyle(ProgressBarStyle.ASCII)
          .setUnit(" batches", 1)
          .setUpdateIntervalMillis(500)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .build();
      epochBarTrial = p.index();
      epochBarEpoch = epoch;
    }
    epochBar.stepTo(done);
  }

  @Override
  public synchronized void epochFinished(TrialParameters p, EpochMetrics m) {
    closeBar();
    out.printf(Locale.ROOT, "%s epoch %d%s  loss %s  val_loss %s  val_acc %s  %s s  %s img/s%n",
        trialLabel(p), m.epoch(), p.epochs().isPresent() ? "/" + p.epochs().getAsInt() : "",
        value(m, MetricKeys.LOSS), value(m, MetricKeys.VAL_LOSS),
        value(m, MetricKeys.VAL_ACCURACY), seconds(m, MetricKeys.EPOCH_SECONDS),
        seconds(m, MetricKeys.IMAGES_PER_SECOND));
    out.flush();
  }

  @Override
  public synchronized void trialFinished(TrialRecord record) {
    if (record.resumed()) {
      return;
    }
    closeBar();
    out.printf(Locale.ROOT, "trial %d %s  %s %s%s%n", record.index() + 1, record.status().label(),
        metric, record.metric().isPresent() ? Formats.metric(record.metric().getAsDouble()) : "-",
        record.error().map(e -> "  (" + e + ")").orElse(""));
    out.flush();
  }

  private void closeBar() {
    if (epochBar != null) {
      epochBar.close();
      epochBar = null;
    }
  }

  private static String value(EpochMetrics m, String key) {
    return m.get(key).isPresent() ? Formats.metric(m.get(key).getAsDouble()) : "-";
  }

  private static String seconds(EpochMetrics m, String key) {
    return m.get(key).isPresent() ? String.format(Locale.ROOT, "%.1f", m.get(key).getAsDouble())
        : "-";
  }
}
