package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.UserInputException;
import java.util.ServiceLoader;

/** Finds the scheduler of an engine among the {@link TrialSchedulerProvider}s on the class path. */
final class TrialSchedulers {
  private TrialSchedulers() {}

  /**
   * Opens the Spark scheduler for the request.
   *
   * @throws UserInputException when mnist-spark (or Spark) is not on the class path
   */
  static TrialScheduler openSpark(SchedulerRequest request) {
    for (TrialSchedulerProvider p : ServiceLoader.load(TrialSchedulerProvider.class)) {
      if (p.engine().equals("spark")) {
        return p.open(request);
      }
    }
    throw new UserInputException("runner.spark / --spark " + request.master()
        + ": mnist-spark is not on the class path; build it with"
        + " `./mvnw -B -DskipTests package -pl mnist-spark -am` and run through ./mnistlab (which"
        + " then adds it and Spark), or submit the mnist-spark application jar with spark-submit;"
        + " without --spark the sweep runs in this JVM");
  }
}
