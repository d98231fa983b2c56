/**
 * The sweep runner: loads the data once, asks the {@link dev.mnistlab.experiments.sweep.SearchStrategy}
 * for trials, runs each as a tracked run through a {@link dev.mnistlab.experiments.runner.TrialExecutor},
 * applies hyperband, resumes finished work, survives failing trials and Ctrl-C, and writes the
 * results (CSV, JSON, best model) under the sweep's output folder.
 */
package dev.mnistlab.experiments.runner;
