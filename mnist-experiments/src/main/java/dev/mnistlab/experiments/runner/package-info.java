/**
 * Scheduling of trials: the {@link dev.mnistlab.experiments.runner.SweepRunner} loads the data
 * once, asks the {@link dev.mnistlab.experiments.sweep.SearchStrategy} for trials, turns each into
 * a {@link dev.mnistlab.experiments.trial.TrialSpec} run by the {@link
 * dev.mnistlab.experiments.trial.TrialRunner}, applies hyperband, resumes finished work, survives
 * failing trials and Ctrl-C, keeps the best model and writes the results (CSV, JSON) under the
 * sweep's output folder. {@link dev.mnistlab.experiments.runner.OneTrial} runs a single spec the
 * same way ({@code train}, {@code rerun}); {@link dev.mnistlab.experiments.runner.RecordedTrial}
 * reads a spec back from a run's record.
 */
package dev.mnistlab.experiments.runner;
