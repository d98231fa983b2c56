package dev.mnistlab.experiments.runner;

/**
 * Opens {@link TrialScheduler}s that run trials outside this JVM, found with {@link
 * java.util.ServiceLoader} so that mnist-experiments needs no engine on its class path: mnist-spark
 * provides one for {@code runner.spark} / {@code --spark}.
 */
public interface TrialSchedulerProvider {

  /** The engine, as the user names it ({@code spark}). */
  String engine();

  /**
   * Opens a scheduler for the sweep the request describes, e.g. starts a Spark application.
   *
   * @throws dev.mnistlab.experiments.UserInputException when the master is not one this provider
   *     can use (the message says what is expected)
   */
  TrialScheduler open(SchedulerRequest request);

  /**
   * An executor that trains one trial's network data-parallel on {@code workers} workers of the
   * engine at {@code master} (mnistlab {@code train --spark MASTER --workers N}), tracked, evaluated
   * and saved as a local trial is.
   *
   * @throws dev.mnistlab.experiments.UserInputException when the engine cannot do that
   */
  dev.mnistlab.experiments.trial.TrialExecutor dataParallel(String master, int workers);
}
