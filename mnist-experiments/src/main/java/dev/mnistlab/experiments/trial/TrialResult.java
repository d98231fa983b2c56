package dev.mnistlab.experiments.trial;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one trial run by {@link TrialRunner} produced.
 *
 * @param spec the spec as run and recorded (with the content checksums of the data it trained on)
 * @param runId the tracked run's id
 * @param status how it ended
 * @param history per epoch (epoch 1 first), the epoch's metrics by {@code MetricKeys} name
 * @param testMetrics test-set metrics by name (empty when the trial failed)
 * @param model the saved model file, when the trial completed ({@link TrialStatus#isComplete()})
 * @param seconds wall-clock time of the trial
 * @param error what went wrong, for a failed or interrupted trial, in one line
 * @param failure the exception behind {@code error}, for callers that rethrow it (not part of
 *     the recorded result)
 */
public record TrialResult(
    TrialSpec spec,
    String runId,
    TrialStatus status,
    List<Map<String, Double>> history,
    Map<String, Double> testMetrics,
    Optional<Path> model,
    double seconds,
    Optional<String> error,
    Optional<Throwable> failure) {

  /** Copies and checks the components. */
  public TrialResult {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(status, "status");
    history = history.stream().map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)))
        .toList();
    testMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(testMetrics));
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(failure, "failure");
  }

  /** The last value of {@code metric} over the epochs, if any epoch recorded it. */
  public java.util.OptionalDouble lastValue(String metric) {
    for (int i = history.size() - 1; i >= 0; i--) {
      Double v = history.get(i).get(metric);
      if (v != null) {
        return java.util.OptionalDouble.of(v);
      }
    }
    return java.util.OptionalDouble.empty();
  }
}
