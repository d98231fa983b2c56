package dev.mnistlab.experiments.trial;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TrialExecutor} produced for a trial.
 *
 * @param epochs the epochs actually trained
 * @param stoppedEarly whether training stopped before the planned epochs (hyperband, Ctrl-C,
 *     early stopping); test metrics and model are present all the same
 * @param testMetrics test-set metrics by {@code MetricKeys} name (e.g. {@code test_accuracy})
 * @param model the saved model file, if the executor saved one
 */
public record ExecutionResult(
    int epochs, boolean stoppedEarly, Map<String, Double> testMetrics, Optional<Path> model) {

  /** Copies and checks the components. */
  public ExecutionResult {
    testMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(testMetrics));
    Objects.requireNonNull(model, "model");
  }
}
