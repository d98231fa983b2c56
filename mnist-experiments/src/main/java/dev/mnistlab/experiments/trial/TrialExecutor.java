package dev.mnistlab.experiments.trial;

/**
 * Trains one trial. Implementations build the network the parameters describe, train it epoch by
 * epoch (reporting each through {@link Trial#epochFinished}, stopping when it returns false),
 * evaluate on the test split, record test metrics and predictions in the trial's run, and may
 * save the model.
 *
 * <p>Must be safe to call from several threads at once when trials run in parallel.
 */
@FunctionalInterface
public interface TrialExecutor {

  /**
   * Runs the trial.
   *
   * @return what the trial produced
   * @throws Exception any failure; the runner records the trial as failed
   */
  ExecutionResult execute(Trial trial) throws Exception;

  /**
   * The zoo executor: trains the zoo network the spec names with mnist-models' trainer, records
   * test metrics and per-image predictions in the run, and saves the model with its metadata.
   */
  static TrialExecutor zoo() {
    return new ZooTrialExecutor();
  }
}
