package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.sweep.SearchMethod;
import dev.mnistlab.experiments.sweep.SearchStrategy;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.TrialParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mnistlab sweep CONFIG}: validates a sweep config and runs its trials. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "Run the hyperparameter sweep described by a JSON config.")
final class SweepCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "Sweep config (JSON), e.g."
      + " experiments/quickstart.json.")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Folder with the four IDX files (overrides the config's data).")
  Path dataDir;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder for results, models and the report (overrides the config).")
  Path out;

  @Option(names = "--dry-run",
      description = "Validate the config and list the planned trials without training.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    SweepConfig sweepConfig = SweepConfig.load(config);
    if (dataDir != null) {
      sweepConfig = sweepConfig.withRunner(sweepConfig.runner().withDataDir(dataDir));
    }
    if (out != null) {
      sweepConfig = sweepConfig.withRunner(sweepConfig.runner().withOutputDir(out));
    }
    PrintWriter stdout = spec.commandLine().getOut();
    if (dryRun) {
      printPlan(sweepConfig, stdout);
      return ExitCodes.OK;
    }
    throw new UnsupportedOperationException(
        "running sweeps needs mnist-models and mnist-tracking, which this build does not have yet;"
            + " use --dry-run to validate the config");
  }

  private static void printPlan(SweepConfig config, PrintWriter out) {
    SearchStrategy search = SearchStrategy.forSweep(config.sweep(), config.runner().seed());
    out.printf("%s: valid %s sweep '%s', metric %s (%s)%n", config.source(),
        config.sweep().method().configName(), config.sweep().name(),
        config.sweep().metric().name(), config.sweep().metric().goal().configName());
    int shown = 0;
    for (int i = 0; i < 10_000; i++) {
      Optional<TrialParameters> trial = search.suggest(i, List.of());
      if (trial.isEmpty()) {
        break;
      }
      out.printf("  trial %3d  %s%n", i + 1, trial.get().toConfigMap());
      shown++;
    }
    if (config.sweep().method() == SearchMethod.BAYES) {
      out.println("  (bayes: trials after the first few depend on the results; shown as random)");
    }
    out.printf("%d trial(s); output folder %s%n", shown, config.runner().outputDir());
    out.flush();
  }
}
