package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import dev.mnistlab.tracking.dl4j.TrackingListener;
import java.nio.file.Path;

/**
 * One trial as a {@link TrialExecutor} sees it: its parameters, the sweep's data, its tracked run,
 * and the channel through which it reports each epoch (and learns whether to go on).
 */
public interface Trial {

  /** The trial's parameters as chosen by the search (unset ones take the model's defaults). */
  TrialParameters parameters();

  /** The seed of this trial: the swept {@code seed} if any, else the runner's. */
  long seed();

  /** The sweep's data, shared by all trials; never modify it. */
  SweepData data();

  /** The tracked run of this trial (config, summary, predictions go here). */
  Run run();

  /** The listener that records epochs and test results in {@link #run()} with mnistlab's keys. */
  TrackingListener trackingListener();

  /** A folder private to this trial, for files such as the saved model. */
  Path workDir();

  /**
   * Reports a finished epoch: records it in the run and lets the runner apply early termination.
   *
   * @return true to train on, false when the trial must stop after this epoch (hyperband, or
   *     Ctrl-C); the executor then still evaluates on the test split, records the test metrics
   *     and saves the model, and returns normally
   */
  boolean epochFinished(EpochMetrics metrics);

  /**
   * Reports progress within an epoch (for progress bars); cheap, call it after every batch.
   *
   * @param epoch the epoch being trained, from 1
   * @param batchesDone batches finished in this epoch
   * @param batchesTotal batches in the epoch
   */
  void batchFinished(int epoch, int batchesDone, int batchesTotal);
}
