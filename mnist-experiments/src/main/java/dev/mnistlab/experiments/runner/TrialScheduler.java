package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrialControl;
import dev.mnistlab.experiments.trial.TrialResult;
import dev.mnistlab.experiments.trial.TrialSpec;
import java.nio.file.Path;

/**
 * Where a sweep's trials run: in this JVM ({@link #local}), or elsewhere, such as Spark executors
 * (mnist-spark's scheduler, found through {@link TrialSchedulerProvider}). The sweep runner keeps
 * the search, hyperband, results and best model; a scheduler only runs the {@link TrialSpec}s it is
 * given, each through a {@link dev.mnistlab.experiments.trial.TrialRunner} wherever it runs, and
 * reports every epoch to the {@link TrialControl} so that hyperband and Ctrl-C act as in a local
 * sweep.
 */
public interface TrialScheduler extends AutoCloseable {

  /** How many trials may run at once (the sweep keeps that many in flight). */
  int slots();

  /**
   * Runs one trial and waits for it; called from up to {@link #slots()} threads at once.
   *
   * @param spec what to train
   * @param workDir the trial's folder on this machine: a completed trial's model file is here
   *     when this returns
   * @param control follows and steers the trial from this JVM
   * @return the outcome, also for a failed or interrupted trial
   */
  TrialResult run(TrialSpec spec, Path workDir, TrialControl control);

  /**
   * Ctrl-C: the trials in flight are being asked to stop ({@link TrialControl#stopRequested()});
   * a remote scheduler also cancels what it cannot reach. Default: nothing more to do.
   */
  default void interrupt() {}

  /** Releases what the scheduler holds (a Spark context, a socket); no trial is running. */
  @Override
  void close();

  /** Runs trials on threads of this JVM, sharing {@code data}, {@code slots} at once. */
  static TrialScheduler local(dev.mnistlab.experiments.trial.TrialRunner runner,
      dev.mnistlab.experiments.trial.TrialData data, int slots) {
    return new TrialScheduler() {
      @Override
      public int slots() {
        return slots;
      }

      @Override
      public TrialResult run(TrialSpec spec, Path workDir, TrialControl control) {
        return runner.run(spec, data, workDir, control);
      }

      @Override
      public void close() {}
    };
  }
}
