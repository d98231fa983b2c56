package dev.mnistlab.spark;

import dev.mnistlab.experiments.runner.SchedulerRequest;
import dev.mnistlab.experiments.runner.TrialScheduler;
import dev.mnistlab.experiments.runner.TrialSchedulerProvider;
import dev.mnistlab.spark.internal.SparkTrialScheduler;

/**
 * The {@code spark} engine of {@code runner.spark} / {@code mnistlab sweep --spark MASTER}: found
 * by mnist-experiments with {@link java.util.ServiceLoader} when this module is on the class path.
 * Each trial runs as a Spark task; see the module's README.
 */
public final class SparkTrialSchedulerProvider implements TrialSchedulerProvider {
  /** For {@link java.util.ServiceLoader}. */
  public SparkTrialSchedulerProvider() {}

  @Override
  public String engine() {
    return "spark";
  }

  @Override
  public TrialScheduler open(SchedulerRequest request) {
    return SparkTrialScheduler.start(request);
  }

  @Override
  public dev.mnistlab.experiments.trial.TrialExecutor dataParallel(String master, int workers) {
    return new DataParallelTraining(master, workers);
  }
}
