package dev.mnistlab.experiments.sweep;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The metric a sweep optimises, as logged per epoch by the trainer (for example {@code
 * val_accuracy}), its goal, and an optional target that ends the sweep once reached.
 *
 * @param name the metric key as logged per epoch
 * @param goal minimise or maximise
 * @param target a value that, once reached by a trial, stops the sweep
 */
public record SweepMetric(String name, Goal goal, OptionalDouble target) {
  /** Validates the components. */
  public SweepMetric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(goal, "goal");
    Objects.requireNonNull(target, "target");
  }

  /** Returns true when {@code value} reaches the target (never, when there is no target). */
  public boolean reachesTarget(double value) {
    if (target.isEmpty()) {
      return false;
    }
    return goal == Goal.MAXIMIZE ? value >= target.getAsDouble() : value <= target.getAsDouble();
  }
}
