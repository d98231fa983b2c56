package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrialStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One row of a sweep's results.
 *
 * @param index the trial's position, from 0
 * @param runId the tracked run's id
 * @param parameters the trial's parameters by config name
 * @param status how it ended
 * @param metric the sweep metric's final value (empty if failed before any epoch)
 * @param history per epoch (epoch 1 first), the epoch's metrics by {@code MetricKeys} name
 * @param testMetrics test-set metrics by name
 * @param seconds wall-clock time of the trial
 * @param resumed true when the trial finished in an earlier invocation and was skipped now
 * @param error the error message of a failed trial
 */
public record TrialRecord(
    int index,
    String runId,
    Map<String, Object> parameters,
    TrialStatus status,
    OptionalDouble metric,
    List<Map<String, Double>> history,
    Map<String, Double> testMetrics,
    double seconds,
    boolean resumed,
    Optional<String> error) {

  /** Copies and checks the components. */
  public TrialRecord {
    Objects.requireNonNull(runId, "runId");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(metric, "metric");
    history = history.stream().map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)))
        .toList();
    testMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(testMetrics));
    Objects.requireNonNull(error, "error");
  }

  /** The number of epochs trained. */
  public int epochs() {
    return history.size();
  }
}
