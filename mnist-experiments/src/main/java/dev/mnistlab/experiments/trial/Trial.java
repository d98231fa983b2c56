package dev.mnistlab.experiments.trial;

import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import dev.mnistlab.tracking.dl4j.TrackingListener;
import java.nio.file.Path;

/**
 * One trial as a {@link TrialExecutor} sees it: its spec, the data, its tracked run, and the
 * channel through which it reports each epoch (and learns whether to go on).
 */
public interface Trial {

  /** What to train (hyperparameters left empty take the model's defaults). */
  TrialSpec spec();

  /** The data, possibly shared by several trials; never modify it. */
  TrialData data();

  /** The tracked run of this trial (config, summary, predictions go here). */
  Run run();

  /** The listener that records epochs and test results in {@link #run()} with mnistlab's keys. */
  TrackingListener trackingListener();

  /** A folder for this trial's files: the executor saves the model as {@code model.zip} in it. */
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

  /**
   * Whether the trial should stop at the next batch boundary: the user interrupted (Ctrl-C) or
   * W&amp;B asked the run to stop (Stop in the UI, a W&amp;B sweep's early termination). Cheap
   * (volatile reads): executors ask it after every batch so a long epoch need not run to its end.
   * The executor then ends the epoch there and completes the trial as after {@link
   * #epochFinished} returned false.
   */
  boolean stopSignalled();
}
