package dev.mnistlab.experiments.cli;

import dev.mnistlab.data.DownloadProgress;
import dev.mnistlab.experiments.internal.ZooTrialExecutor;
import dev.mnistlab.experiments.report.DataSummary;
import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.SweepData;
import dev.mnistlab.experiments.runner.SweepListener;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.Trackers;
import dev.mnistlab.experiments.sweep.ParameterDistribution;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.SweepConfigException;
import dev.mnistlab.experiments.sweep.SweepParameter;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a validated sweep config end to end for the commands ({@code sweep}, {@code train},
 * {@code rerun}): data, tracker, runner with Ctrl-C handling, data pictures and the report.
 */
final class SweepExecution {
  private SweepExecution() {}

  /** Outcome of a run: the results and the report file. */
  record Outcome(SweepResult result, Path report) {}

  static Outcome run(SweepConfig config, boolean resume,
      Function<SweepConfig, SweepListener> listenerFactory) throws IOException {
    checkModels(config);
    SweepData data = SweepData.resolve(config.runner(), DownloadProgress.consoleBarsIfTerminal());
    Path out = config.runner().outputDir();
    DataSummary.write(data, out, config.runner().seed());
    try (Tracker tracker = Trackers.open(config.runner().tracking(), CliEnvironment.get())) {
      SweepRunner runner = SweepRunner.builder().config(config).data(data).tracker(tracker)
          .executor(new ZooTrialExecutor()).listener(listenerFactory.apply(config))
          .resume(resume).build();
      Thread hook = new Thread(runner::interrupt, "mnistlab-sweep-interrupt");
      Runtime.getRuntime().addShutdownHook(hook);
      SweepResult result;
      try {
        result = runner.run();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is already exiting (Ctrl-C): the hook runs
        }
      }
      Path report = SweepReport.write(result, Optional.of(tracker.store()));
      return new Outcome(result, report);
    }
  }

  /** Rejects unknown model names before any data is loaded, naming the config path. */
  private static void checkModels(SweepConfig config) throws SweepConfigException {
    ParameterDistribution models = config.sweep().parameters().get(SweepParameter.MODEL);
    if (models == null) {
      return;
    }
    List<Object> names = models.extremes();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).toString();
      if (!ModelZoo.names().contains(name)) {
        String path = models instanceof ParameterDistribution.Categorical
            ? "$.sweep.parameters.model.values[" + i + "]" : "$.sweep.parameters.model.value";
        throw new SweepConfigException(config.source(), List.of(path + ": unknown model '" + name
            + "' (expected one of: " + String.join(", ", ModelZoo.names()) + ")"));
      }
    }
  }
}
