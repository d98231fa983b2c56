package dev.mnistlab.experiments.sweep;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a finished trial achieved on the sweep metric, as the search strategies see it.
 *
 * @param parameters the trial's parameters
 * @param metric the sweep metric's final value; empty when the trial failed
 */
public record TrialOutcome(TrialParameters parameters, OptionalDouble metric) {
  /** Checks the components. */
  public TrialOutcome {
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(metric, "metric");
  }
}
