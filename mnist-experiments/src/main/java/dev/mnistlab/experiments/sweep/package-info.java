/**
 * Sweep configurations and search: {@link dev.mnistlab.experiments.sweep.SweepConfig} (a JSON file
 * whose {@code sweep} object is a Weights &amp; Biases sweep config, plus the local runner's
 * settings), validated against the shipped JSON Schema {@code mnistlab-sweep.schema.json};
 * the search strategies (grid, seeded random, Bayesian optimisation) behind
 * {@link dev.mnistlab.experiments.sweep.SearchStrategy}; and hyperband early termination
 * ({@link dev.mnistlab.experiments.sweep.Hyperband}).
 */
package dev.mnistlab.experiments.sweep;
