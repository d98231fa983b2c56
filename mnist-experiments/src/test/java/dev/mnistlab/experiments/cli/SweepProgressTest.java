package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.sweep.SweepParameter;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The sweep's progress output: lines on standard output, and the sweep and epoch bars. */
class SweepProgressTest {
  private static final SweepMetric ACCURACY =
      new SweepMetric("val_accuracy", Goal.MAXIMIZE, OptionalDouble.empty());

  private final StringWriter lines = new StringWriter();
  private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

  private static TrialParameters trial(int index) {
    return new TrialParameters(index, Map.of(SweepParameter.EPOCHS, 1L));
  }

  private static TrialRecord ended(int index, TrialStatus status, Double metric,
      boolean resumed) {
    return new TrialRecord(index, "run" + index, Map.of("epochs", 1L), status,
        metric == null ? OptionalDouble.empty() : OptionalDouble.of(metric), List.of(), Map.of(),
        1, resumed, Optional.empty());
  }

  private static EpochMetrics epoch() {
    return EpochMetrics.builder(1).trainLoss(0.5).validationLoss(0.4).validationAccuracy(0.9)
        .seconds(2).imagesPerSecond(500).build();
  }

  /** Runs a four-trial sweep: one resumed, one finished, one failed, one better and finished. */
  private SweepProgress playSweep(SweepProgress progress) {
    progress.trialStarted(trial(0), "run0", true);
    progress.trialFinished(ended(0, TrialStatus.FINISHED, 0.91, true));
    for (int i = 1; i < 4; i++) {
      progress.trialStarted(trial(i), "run" + i, false);
      for (int batch = 1; batch <= 5; batch++) {
        progress.batchFinished(trial(i), 1, batch, 5);
      }
      progress.epochFinished(trial(i), epoch());
      progress.trialFinished(switch (i) {
        case 1 -> ended(1, TrialStatus.FINISHED, 0.95, false);
        case 2 -> ended(2, TrialStatus.FAILED, null, false);
        default -> ended(3, TrialStatus.STOPPED_EARLY, 0.93, false);
      });
    }
    progress.sweepFinished(new SweepResult("s", ACCURACY, List.of(), Path.of("out"), "store",
        false));
    return progress;
  }

  private String terminalText() {
    // without the ANSI cursor movements that erase and redraw the bars
    return terminal.toString(StandardCharsets.UTF_8).replaceAll("\u001b\\[\\d*[A-Za-z]", "");
  }

  @Test
  void sweepBarCountsEndedTrialsAndShowsTheBestMetricSoFar() {
    SweepProgress progress = playSweep(new SweepProgress(new PrintWriter(lines), ACCURACY, 4,
        SweepProgress.barsOn(new PrintStream(terminal, true, StandardCharsets.UTF_8), 120)));

    assertThat(progress.trialsEnded()).isEqualTo(4);
    assertThat(progress.bestMessage()).isEqualTo("best val_accuracy 0.9500 (trial 2)");
    // the sweep bar's final state stays on the terminal; the epoch bars are erased
    String last = terminalText().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last).startsWith("sweep").contains("4/4")
        .contains("best val_accuracy 0.9500 (trial 2)");
    assertThat(terminalText()).contains("trial 2/4 epoch 1/1").contains("batches");
  }

  @Test
  void interruptedTrialsDoNotCountAsEndedAndMinimizedMetricsKeepTheLowest() {
    SweepMetric loss = new SweepMetric("val_loss", Goal.MINIMIZE, OptionalDouble.empty());
    SweepProgress progress = new SweepProgress(new PrintWriter(lines), loss, 3,
        SweepProgress.barsOn(new PrintStream(terminal, true, StandardCharsets.UTF_8), 120));
    progress.trialStarted(trial(0), "run0", false);
    progress.trialFinished(ended(0, TrialStatus.FINISHED, 0.30, false));
    progress.trialStarted(trial(1), "run1", false);
    progress.trialFinished(ended(1, TrialStatus.FINISHED, 0.20, false));
    progress.trialStarted(trial(2), "run2", false);
    progress.trialFinished(ended(2, TrialStatus.INTERRUPTED, 0.10, false));

    assertThat(progress.trialsEnded()).isEqualTo(2);
    assertThat(progress.bestMessage()).isEqualTo("best val_loss 0.2000 (trial 2)");
  }

  @Test
  void closingASweepThatFailedMidEpochErasesTheEpochBarAndCanBeRepeated() {
    SweepProgress progress = new SweepProgress(new PrintWriter(lines), ACCURACY, 2,
        SweepProgress.barsOn(new PrintStream(terminal, true, StandardCharsets.UTF_8), 120));
    progress.trialStarted(trial(0), "run0", false);
    progress.batchFinished(trial(0), 1, 2, 5);

    progress.close(); // what SweepExecution does when the runner throws
    progress.close();

    assertThat(terminalText()).as("the epoch bar was drawn").contains("trial 1/2 epoch 1", "batches");
    String last = terminalText().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b)
        .orElseThrow();
    assertThat(last).startsWith("sweep").doesNotContain("batches");
  }

  @Test
  void withoutATerminalOnlyTheLinesArePrinted() {
    playSweep(new SweepProgress(new PrintWriter(lines), ACCURACY, 4, (TerminalBars) null));

    assertThat(lines.toString().lines()).containsExactly(
        "trial 1/4 finished earlier, skipped  run run0  {epochs=1}",
        "trial 2/4 started  run run1  {epochs=1}",
        "trial 2/4 epoch 1/1  loss 0.5000  val_loss 0.4000  val_acc 0.9000  2.0 s  500.0 img/s",
        "trial 2 finished  val_accuracy 0.9500",
        "trial 3/4 started  run run2  {epochs=1}",
        "trial 3/4 epoch 1/1  loss 0.5000  val_loss 0.4000  val_acc 0.9000  2.0 s  500.0 img/s",
        "trial 3 failed  val_accuracy -",
        "trial 4/4 started  run run3  {epochs=1}",
        "trial 4/4 epoch 1/1  loss 0.5000  val_loss 0.4000  val_acc 0.9000  2.0 s  500.0 img/s",
        "trial 4 stopped-early  val_accuracy 0.9300");
    assertThat(terminalText()).isEmpty();
  }

  @Test
  void withBarsTheSameLinesGoToStandardOutputAndTheBarsOnlyToTheTerminal() {
    playSweep(new SweepProgress(new PrintWriter(lines), ACCURACY, 4,
        SweepProgress.barsOn(new PrintStream(terminal, true, StandardCharsets.UTF_8), 120)));

    assertThat(lines.toString()).doesNotContain("\u001b").doesNotContain("batches")
        .contains("trial 4 stopped-early  val_accuracy 0.9300");
    assertThat(lines.toString().lines()).hasSize(10);
    assertThat(terminalText()).doesNotContain("val_loss 0.4000");
  }

  @Test
  void otherOutputWhileTheBarsShowIsPrintedAboveThem() {
    TerminalBars bars = SweepProgress.barsOn(
        new PrintStream(terminal, true, StandardCharsets.UTF_8), 80);
    TerminalBars.Slot slot = bars.newSlot(false);
    slot.accept("sweep  50% [==  ] 1/2 trials");
    PrintStream logs = bars.linesAbove();
    logs.print("12:00:00 INFO  Tracker: run ab");
    logs.println("c started");
    logs.print("unfinished");
    logs.close();

    assertThat(terminalText().lines().filter(l -> !l.isEmpty()).toList()).containsExactly(
        "sweep  50% [==  ] 1/2 trials",
        "12:00:00 INFO  Tracker: run abc started",
        "sweep  50% [==  ] 1/2 trials",
        "unfinished",
        "sweep  50% [==  ] 1/2 trials");
  }
}
