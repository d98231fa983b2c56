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
}
