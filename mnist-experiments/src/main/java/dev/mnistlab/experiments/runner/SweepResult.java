package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.experiments.sweep.SweepMetric;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a sweep: every trial's record, the best one, and where the files went.
 *
 * @param sweepName the sweep's name (also the runs' group)
 * @param metric the metric trials are ranked by
 * @param trials the trials in index order
 * @param outputDir the folder holding results.csv, results.json, the best model and the report
 * @param store the local run store's location
 * @param interrupted whether the sweep was stopped by Ctrl-C before it finished
 */
public record SweepResult(
    String sweepName,
    SweepMetric metric,
    List<TrialRecord> trials,
    Path outputDir,
    String store,
    boolean interrupted) {

  /** Copies and checks the components. */
  public SweepResult {
    Objects.requireNonNull(sweepName, "sweepName");
    Objects.requireNonNull(metric, "metric");
    trials = List.copyOf(trials);
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(store, "store");
  }

  /** The complete trial with the best metric, if any trial completed. */
  public Optional<TrialRecord> best() {
    Comparator<TrialRecord> byMetric = Comparator.comparingDouble(
        t -> metric.goal().toMinimized(t.metric().getAsDouble()));
    return trials.stream()
        .filter(t -> t.status().isComplete() && t.metric().isPresent())
        .min(byMetric.thenComparingInt(TrialRecord::index));
  }

  /** How many trials failed. */
  public long failedCount() {
    return trials.stream().filter(t -> t.status() == TrialStatus.FAILED).count();
  }
}
