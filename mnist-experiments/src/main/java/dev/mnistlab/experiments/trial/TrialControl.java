package dev.mnistlab.experiments.trial;

import java.util.List;
import java.util.Map;

import dev.mnistlab.tracking.dl4j.EpochMetrics;

/**
 * How the caller of {@link TrialRunner#run} follows and steers one trial: it hears the run's id,
 * every batch and epoch, may stop the trial early after an epoch (hyperband), and may ask it to
 * stop because the user interrupted (Ctrl-C). Called from the trial's thread; all methods default
 * to doing nothing and going on.
 */
public interface TrialControl {
  /** Follows nothing, stops nothing. */
  TrialControl NONE = new TrialControl() { };

  /** The trial's run was started in the store. */
  default void started(TrialSpec spec, String runId) {}

  /**
   * The trial is being run again from the start because the attempt that ran as {@code lostRunId}
   * was lost with the machine it ran on (a Spark executor); what it reported is void. {@link
   * #started} follows for the new attempt.
   */
  default void attemptLost(TrialSpec spec, String lostRunId) {}

  /** A batch of an epoch finished (called often: keep it cheap). */
  default void batchFinished(TrialSpec spec, int epoch, int done, int total) {}

  /**
   * An epoch finished and is recorded in the run.
   *
   * @return true to train on, false to stop the trial after this epoch as finished early (it is
   *     still evaluated on the test split and its model saved)
   */
  default boolean epochFinished(TrialSpec spec, EpochMetrics metrics) {
    return true;
  }

  /**
   * Whether the user asked to stop (Ctrl-C): checked after every epoch and when the trial ends;
   * a trial that ends while this is true is recorded as interrupted.
   */
  default boolean stopRequested() {
    return false;
  }

  /**
   * Called once when a complete trial saved its model, with its epoch metrics: whether it is the
   * best trial of its sweep so far (its model artifact then gets the alias {@code best}, which
   * W&amp;B moves to the newest version holding it).
   */
  default boolean bestSoFar(TrialSpec spec, List<Map<String, Double>> history) {
    return false;
  }

  /**
   * Whether the scheduler asks the trial to stop at its next batch and end as a stopped run (a
   * W&amp;B agent's {@code stop} command: W&amp;B's hyperband or Stop in its UI). Unlike {@link
   * #stopRequested()} the trial is complete: its partial epoch is validated and recorded, it is
   * evaluated on the test split and saved, and its run is recorded as stopped. Checked at every
   * batch (keep it cheap).
   */
  default boolean stopAsStoppedRequested() {
    return false;
  }
}
