/**
 * mnistlab experiments: JSON sweep configurations, the sweep runner that trains and tracks every
 * trial, the HTML sweep report and the {@code mnistlab} command line that ties the other modules
 * together.
 *
 * <p>Sub-packages: {@link dev.mnistlab.experiments.sweep} (configs, search strategies, early
 * termination), {@link dev.mnistlab.experiments.cli} (the command line), and
 * {@code dev.mnistlab.experiments.internal} (implementation details, not API).
 */
package dev.mnistlab.experiments;
