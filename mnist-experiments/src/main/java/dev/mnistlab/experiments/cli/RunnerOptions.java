package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.sweep.RunnerSettings;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The data, store and output options of the commands that schedule trials ({@code sweep},
 * {@code agent}): each overrides the matching runner setting.
 */
final class RunnerOptions {
  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Folder with the four IDX files (overrides the config's data).")
  Path dataDir;

  @Option(names = "--dataset", paramLabel = "NAME",
      description = "mnist, fashion or kmnist, from the cache or downloaded (overrides the"
          + " config's dataset; with --data-dir: what the folder holds).")
  String dataset;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder for results, models and the report (overrides the config).")
  Path out;

  @Option(names = "--store", paramLabel = "PATH|JDBC_URL",
      description = "Local run store (overrides the config's runner.tracking.store).")
  String store;

  /**
   * The settings with these options applied.
   *
   * @throws CommandLine.ParameterException for an unknown {@code --dataset}
   */
  RunnerSettings applyTo(RunnerSettings runner, CommandLine commandLine) {
    RunnerSettings r = runner;
    if (dataset != null) {
      r = r.withDataset(DatasetChoice.known(commandLine, dataset).id());
    }
    if (dataDir != null) {
      r = r.withDataDir(dataDir);
    }
    if (out != null) {
      r = r.withOutputDir(out);
    }
    if (store != null) {
      r = r.withStore(store);
    }
    return r;
  }
}
