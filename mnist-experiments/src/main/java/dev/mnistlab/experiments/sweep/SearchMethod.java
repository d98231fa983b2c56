package dev.mnistlab.experiments.sweep;

import java.util.Locale;

/** How a sweep chooses the parameters of its next trial (W&amp;B's {@code method}). */
public enum SearchMethod {
  /** Every combination of the parameters' values, in a fixed order. */
  GRID,
  /** Independent samples from each parameter's distribution, seeded. */
  RANDOM,
  /** Bayesian optimisation: a Gaussian process with expected improvement over past trials. */
  BAYES;

  /** The name used in configs ({@code grid}, {@code random}, {@code bayes}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static SearchMethod fromConfigName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
