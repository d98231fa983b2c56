package dev.mnistlab.spark.internal;

import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.RunExport;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a trial's Spark task returns to the driver: the trial's result as the trial runner produced
 * it on the executor, the model file's bytes when it completed, and the whole run when the driver
 * imports it into a SQLite store.
 */
public final class TaskOutcome implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  final String runId;
  final TrialStatus status;
  final ArrayList<LinkedHashMap<String, Double>> history;
  final LinkedHashMap<String, Double> testMetrics;
  final byte[] model;
  final double seconds;
  final String error;
  final RunExport run;
  final String executor;

  TaskOutcome(String runId, TrialStatus status, List<Map<String, Double>> history,
      Map<String, Double> testMetrics, Optional<byte[]> model, double seconds,
      Optional<String> error, Optional<RunExport> run, String executor) {
    this.runId = runId;
    this.status = status;
    this.history = new ArrayList<>();
    history.forEach(h -> this.history.add(new LinkedHashMap<>(h)));
    this.testMetrics = new LinkedHashMap<>(testMetrics);
    this.model = model.orElse(null);
    this.seconds = seconds;
    this.error = error.orElse(null);
    this.run = run.orElse(null);
    this.executor = executor;
  }

  @Override
  public String toString() {
    return "TaskOutcome{" + runId + ", " + status + ", on executor " + executor + "}";
  }
}
