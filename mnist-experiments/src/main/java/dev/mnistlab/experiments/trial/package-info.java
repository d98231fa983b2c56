/**
 * One trial, the unit of work of mnist-experiments: a {@link
 * dev.mnistlab.experiments.trial.TrialSpec} (a plain, serializable value: model, hyperparameters,
 * epochs, batch size, seed, data identity, tracking, sweep membership) run by a {@link
 * dev.mnistlab.experiments.trial.TrialRunner} (data → network → trainer → tracked run → model file)
 * into a {@link dev.mnistlab.experiments.trial.TrialResult}. Everything that schedules trials
 * calls the runner: {@code train}, {@code rerun}, the local sweep, and later a W&amp;B agent or a
 * Spark task. This package knows nothing of sweeps' search or scheduling (it imports neither
 * {@code sweep} nor {@code runner}); {@link dev.mnistlab.experiments.trial.RunRecordCodec} owns
 * the keys a trial's run is recorded with.
 */
package dev.mnistlab.experiments.trial;
