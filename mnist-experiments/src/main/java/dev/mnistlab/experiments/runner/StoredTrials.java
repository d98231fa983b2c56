package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.SweepMembership;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.HistoryRow;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.MetricPoint;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Trials read back from the runs the local store holds: for resume ({@link PreviousRuns}) and for
 * the results of a sweep known only by its runs' group, such as a W&amp;B sweep's id whose runs
 * agents on several machines recorded ({@code mnistlab report --sweep-id}).
 */
public final class StoredTrials {
  private StoredTrials() {}

  /**
   * The results of the sweep whose runs are grouped under {@code group}, in the order they
   * started, ranked by the metric their trial specs name (val_accuracy when none does).
   *
   * @return empty when the store has no run of that group
   */
  public static Optional<SweepResult> sweep(LocalStore store, String group, Path outputDir) {
    List<RunRecord> runs = new ArrayList<>(store.runs(RunQuery.builder().group(group)
        .limit(100_000).build()));
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    runs.sort(Comparator.comparing(RunRecord::startTime));
    SweepMetric metric = null;
    List<TrialRecord> trials = new ArrayList<>();
    for (RunRecord run : runs) {
      Optional<SweepMembership> membership = membership(store, run.id());
      if (metric == null && membership.isPresent()) {
        metric = new SweepMetric(membership.get().metric(),
            membership.get().maximize() ? Goal.MAXIMIZE : Goal.MINIMIZE, OptionalDouble.empty());
      }
      Map<String, Object> parameters = membership.map(SweepMembership::parameters)
          .orElseGet(() -> store.config(run.id()));
      trials.add(record(store, run, trials.size(), parameters, status(store, run),
          (metric == null ? defaultMetric() : metric).name(), false));
    }
    return Optional.of(new SweepResult(group, metric == null ? defaultMetric() : metric, trials,
        outputDir, store.location(), false));
  }

  private static SweepMetric defaultMetric() {
    return new SweepMetric(MetricKeys.VAL_ACCURACY, Goal.MAXIMIZE, OptionalDouble.empty());
  }

  private static Optional<SweepMembership> membership(LocalStore store, String runId) {
    Optional<Provenance> provenance = store.provenance(runId);
    if (provenance.isEmpty()) {
      return Optional.empty();
    }
    try {
      return RunRecordCodec.read(provenance.get()).spec().flatMap(TrialSpec::membership);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static TrialStatus status(LocalStore store, RunRecord run) {
    return switch (run.state()) {
      case FINISHED -> RunRecordCodec.stoppedEarly(store.summary(run.id()))
          ? TrialStatus.STOPPED_EARLY : TrialStatus.FINISHED;
      case STOPPED -> TrialStatus.STOPPED_EARLY;
      case INTERRUPTED, RUNNING -> TrialStatus.INTERRUPTED;
      case FAILED, CRASHED -> TrialStatus.FAILED;
    };
  }

  /**
   * One run as a result row: its epochs from the history, the metric's last value, the test
   * metrics from the summary, its duration and error.
   */
  static TrialRecord record(LocalStore store, RunRecord run, int index,
      Map<String, Object> parameters, TrialStatus status, String metricName, boolean resumed) {
    List<Map<String, Double>> history = new ArrayList<>();
    for (HistoryRow row : store.history(run.id())) {
      if (row.values().containsKey(MetricKeys.EPOCH)) {
        Map<String, Double> epoch = new LinkedHashMap<>();
        row.values().forEach((k, v) -> {
          if (v instanceof Number n) {
            epoch.put(k, n.doubleValue());
          }
        });
        history.add(epoch);
      }
    }
    List<MetricPoint> points = store.metric(run.id(), metricName);
    OptionalDouble metric = points.isEmpty() ? OptionalDouble.empty()
        : OptionalDouble.of(points.get(points.size() - 1).value());
    Map<String, Double> test = new LinkedHashMap<>();
    store.summary(run.id()).forEach((k, v) -> {
      if (k.startsWith("test_") && v instanceof Number n) {
        test.put(k, n.doubleValue());
      }
    });
    return new TrialRecord(index, run.id(), parameters, status, metric, history, test,
        run.duration().toMillis() / 1000.0, resumed,
        status == TrialStatus.FAILED ? run.error().or(() -> Optional.of("failed"))
            : Optional.empty());
  }
}
