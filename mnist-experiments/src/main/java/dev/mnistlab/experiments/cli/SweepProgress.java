package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.runner.SweepListener;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.trial.TrialConsole;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalDouble;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a sweep's progress: one line per trial start, per epoch and per trial end on standard
 * output and, when attached to a terminal, two progress bars below those lines on standard error:
 * one over the sweep (trials ended of those planned, with the best metric so far) and one over the
 * batches of the running epoch. Without a terminal only the lines are printed.
 */
final class SweepProgress implements SweepListener, AutoCloseable {
  private final PrintWriter out;
  private final SweepMetric metric;
  private final int plannedTrials;
  private final TerminalBars bars;
  private final boolean routeStandardError;
  private PrintStream standardError;
  private ProgressBar sweepBar;
  private TerminalBars.Slot sweepSlot;
  private ProgressBar epochBar;
  private TerminalBars.Slot epochSlot;
  private int epochBarTrial = -1;
  private int epochBarEpoch = -1;
  private int trialsEnded;
  private OptionalDouble best = OptionalDouble.empty();
  private int bestTrial = -1;

  /**
   * Progress of a sweep.
   *
   * @param out where the lines go (standard output)
   * @param metric the sweep's metric (the sweep bar shows its best value)
   * @param plannedTrials trials the sweep will run, or 0 when unknown
   * @param bars whether to draw progress bars on standard error (only on a terminal)
   */
  SweepProgress(PrintWriter out, SweepMetric metric, int plannedTrials, boolean bars) {
    this(out, metric, plannedTrials, bars ? new TerminalBars(System.err) : null, bars);
  }

  /** With {@code bars} null no bars are drawn; tests pass bars writing to a captured stream. */
  SweepProgress(PrintWriter out, SweepMetric metric, int plannedTrials, TerminalBars bars) {
    this(out, metric, plannedTrials, bars, false);
  }

  /**
   * With {@code routeStandardError}, while the bars show, whatever goes to {@code System.err}
   * (log lines) is printed above them instead of through them.
   */
  private SweepProgress(PrintWriter out, SweepMetric metric, int plannedTrials, TerminalBars bars,
      boolean routeStandardError) {
    this.out = out;
    this.metric = metric;
    this.plannedTrials = plannedTrials;
    this.bars = bars;
    this.routeStandardError = routeStandardError;
  }

  /** Bars on a given stream of the given width, e.g. a captured one in tests. */
  static TerminalBars barsOn(PrintStream stream, int width) {
    return new TerminalBars(stream, width);
  }

  private String trialLabel(TrialParameters p) {
    return "trial " + (p.index() + 1) + (plannedTrials > 0 ? "/" + plannedTrials : "");
  }

  /** Trials that ended so far (finished, stopped early, failed or skipped as finished earlier). */
  synchronized int trialsEnded() {
    return trialsEnded;
  }

  /** The sweep bar's message: the best metric so far and its trial, or empty before any. */
  synchronized String bestMessage() {
    return best.isEmpty() ? "" : "best " + metric.name() + " "
        + Formats.metric(best.getAsDouble()) + " (trial " + (bestTrial + 1) + ")";
  }

  @Override
  public synchronized void trialStarted(TrialParameters parameters, String runId, boolean skipped) {
    openSweepBar();
    line(String.format("%s %s  run %s  %s", trialLabel(parameters),
        skipped ? "finished earlier, skipped" : "started", runId, parameters.toConfigMap()));
  }

  @Override
  public synchronized void batchFinished(TrialParameters p, int epoch, int done, int total) {
    if (bars == null) {
      return;
    }
    if (epochBar == null || epochBarTrial != p.index() || epochBarEpoch != epoch) {
      closeEpochBar();
      epochBar = new ProgressBarBuilder()
          .setTaskName(trialLabel(p) + " epoch " + epoch
              + (p.epochs().isPresent() ? "/" + p.epochs().getAsInt() : ""))
          .setInitialMax(total)
          .setStyle(ProgressBarStyle.ASCII)
          .setUnit(" batches", 1)
          .setUpdateIntervalMillis(500)
          .setConsumer(epochSlot = bars.newSlot(false))
          .build();
      epochBarTrial = p.index();
      epochBarEpoch = epoch;
    }
    epochBar.stepTo(done);
  }

  @Override
  public synchronized void epochFinished(TrialParameters p, EpochMetrics m) {
    closeEpochBar();
    line(trialLabel(p) + " " + TrialConsole.epochLine(m, p.epochs()));
  }

  @Override
  public synchronized void trialFinished(TrialRecord record) {
    if (record.status() != TrialStatus.INTERRUPTED) {
      trialsEnded++;
    }
    if (record.status().isComplete() && record.metric().isPresent()
        && (best.isEmpty()
            || metric.goal().isBetter(record.metric().getAsDouble(), best.getAsDouble()))) {
      best = record.metric();
      bestTrial = record.index();
    }
    if (sweepBar != null) {
      sweepBar.stepTo(trialsEnded);
      sweepBar.setExtraMessage(bestMessage());
      sweepBar.refresh();
    }
    if (record.resumed()) {
      return;
    }
    closeEpochBar();
    line(String.format(Locale.ROOT, "trial %d %s  %s %s%s", record.index() + 1,
        record.status().label(), metric.name(),
        record.metric().isPresent() ? Formats.metric(record.metric().getAsDouble()) : "-",
        record.error().map(e -> "  (" + e + ")").orElse("")));
  }

  @Override
  public void sweepRegistered(java.util.Optional<String> url) {
    line(url.map(u -> "W&B sweep " + u)
        .orElse("W&B sweep recorded locally; `mnistlab sync` registers it on W&B"));
  }

  @Override
  public void sweepFinished(SweepResult result) {
    close();
  }

  /** Removes the bars and gives standard error back; idempotent, also used when a sweep fails. */
  @Override
  public synchronized void close() {
    closeEpochBar();
    if (sweepBar != null) {
      sweepBar.close();
      sweepBar = null;
      sweepSlot.close();
    }
    if (standardError != null) {
      PrintStream routed = System.err;
      System.setErr(standardError);
      standardError = null;
      routed.close();
    }
  }

  private void openSweepBar() {
    if (bars == null || sweepBar != null) {
      return;
    }
    sweepBar = new ProgressBarBuilder()
        .setTaskName("sweep")
        .setInitialMax(plannedTrials > 0 ? plannedTrials : -1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setConsumer(sweepSlot = bars.newSlot(true))
        .build();
    if (routeStandardError) {
      standardError = System.err;
      System.setErr(bars.linesAbove());
    }
    sweepBar.stepTo(trialsEnded);
    sweepBar.setExtraMessage(bestMessage());
  }

  /** Prints a line on standard output; above the bars when they are drawn. */
  private void line(String text) {
    if (bars == null) {
      out.println(text);
      out.flush();
    } else {
      bars.printAbove(() -> {
        out.println(text);
        out.flush();
      });
    }
  }

  private void closeEpochBar() {
    if (epochBar != null) {
      epochBar.close();
      epochBar = null;
      // a bar closed before its first scheduled render never closes its consumer: do it here
      epochSlot.close();
    }
  }
}
