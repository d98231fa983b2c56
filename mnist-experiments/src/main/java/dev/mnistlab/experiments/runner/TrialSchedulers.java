package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.UserInputException;
import java.util.ServiceLoader;

/** Finds the scheduler of an engine among the {@link TrialSchedulerProvider}s on the class path. */
public final class TrialSchedulers {
  private TrialSchedulers() {}

  /**
   * Opens the Spark scheduler for the request.
   *
   * @throws UserInputException when mnist-spark (or Spark) is not on the class path
   */
  static TrialScheduler openSpark(SchedulerRequest request) {
    return spark("runner.spark / --spark " + request.master()).open(request);
  }

  /**
   * The executor training one network data-parallel on Spark ({@code train --spark}).
   *
   * @throws UserInputException when mnist-spark (or Spark) is not on the class path
   */
  public static dev.mnistlab.experiments.trial.TrialExecutor sparkDataParallel(String master,
      int workers) {
    return spark("--spark " + master).dataParallel(master, workers);
  }

  private static TrialSchedulerProvider spark(String what) {
    for (TrialSchedulerProvider p : ServiceLoader.load(TrialSchedulerProvider.class)) {
      if (p.engine().equals("spark")) {
        return p;
      }
    }
    throw new UserInputException(what
        + ": mnist-spark is not on the class path; build it with"
        + " `./mvnw -B -DskipTests package -pl mnist-spark -am` and run through ./mnistlab (which"
        + " then adds it and Spark), or submit the mnist-spark application jar with spark-submit;"
        + " without --spark it runs in this JVM");
  }
}
