/**
 * Benchmarks that run through the user's own path (the {@code mnistlab} command line in process):
 * {@link dev.mnistlab.experiments.bench.AccuracyBenchmark}, the zoo's accuracy table.
 */
package dev.mnistlab.experiments.bench;
