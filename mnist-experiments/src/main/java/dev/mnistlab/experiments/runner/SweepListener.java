package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.tracking.dl4j.EpochMetrics;

/**
 * Hears what a sweep is doing, e.g. to draw progress bars. Called from the trial threads; all
 * methods default to doing nothing.
 */
public interface SweepListener {
  /** A listener that ignores everything. */
  SweepListener NONE = new SweepListener() { };

  /**
   * The sweep is on W&amp;B as a sweep: its page ({@code …/{entity}/{project}/sweeps/{id}}), or
   * empty while it waits for {@code mnistlab sync} (offline, or W&amp;B did not answer in time).
   */
  default void sweepRegistered(java.util.Optional<String> url) {}

  /** A trial starts (or is skipped because an earlier invocation finished it). */
  default void trialStarted(TrialParameters parameters, String runId, boolean skipped) {}

  /** A trial finished a batch of an epoch (called often: keep it cheap). */
  default void batchFinished(TrialParameters parameters, int epoch, int done, int total) {}

  /** A trial finished an epoch. */
  default void epochFinished(TrialParameters parameters, EpochMetrics metrics) {}

  /** A trial ended. */
  default void trialFinished(TrialRecord record) {}

  /** The sweep ended (every trial ran, or it was stopped); its results are written. */
  default void sweepFinished(SweepResult result) {}
}
