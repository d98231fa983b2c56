package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.WandbSweeps;
import dev.mnistlab.tracking.RegisteredSweep;
import dev.mnistlab.tracking.SweepAgent;
import dev.mnistlab.tracking.SweepController;
import dev.mnistlab.experiments.sweep.SearchMethod;
import dev.mnistlab.experiments.sweep.SearchStrategy;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.SweepSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.data.DatasetResolver;
import dev.mnistlab.data.DatasetUnavailableException;
import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.experiments.sweep.RunnerSettings;
import dev.mnistlab.tracking.LocalStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab sweep CONFIG}: runs (or resumes) a sweep: every trial trained and tracked, then
 * a results table, CSV/JSON results, the best model and the HTML report under the output folder.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "Run the hyperparameter sweep described by a JSON config.")
final class SweepCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG", description = "Sweep config (JSON), e.g."
      + " experiments/quickstart.json.")
  Path config;

  @Mixin RunnerOptions runnerOptions = new RunnerOptions();

  @Option(names = "--parallel", paramLabel = "N",
      description = "Trials run at once (overrides runner.parallel_trials; default 1).")
  Integer parallel;

  /** Who chooses the trials' parameters. */
  enum Controller { local, wandb }

  @Option(names = "--controller", paramLabel = "local|wandb", defaultValue = "local",
      description = "local (default): mnistlab chooses the parameters (with W&B on, the sweep is"
          + " registered there too); wandb: register the sweep for W&B's own controller and run"
          + " as its agent, as `wandb sweep` + `wandb agent` do.")
  Controller controller;

  @Option(names = "--heartbeat-seconds", hidden = true, paramLabel = "S",
      description = "With --controller wandb: seconds between agent heartbeats (default 5).")
  double heartbeatSeconds = SweepAgent.HEARTBEAT_INTERVAL.toMillis() / 1000.0;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Run the trials as Spark tasks on MASTER: local[N], spark://host:port, yarn"
          + " or k8s://URL (overrides runner.spark; needs mnist-spark, see its README).")
  String spark;

  @Option(names = "--dry-run",
      description = "Validate the config, list the planned trials and check the data is here"
          + " (nothing is downloaded or trained).")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    SweepConfig sweepConfig = SweepConfig.load(config);
    sweepConfig = sweepConfig.withRunner(
        runnerOptions.applyTo(sweepConfig.runner(), spec.commandLine()));
    PrintWriter stdout = spec.commandLine().getOut();
    if (parallel != null) {
      if (parallel < 1 || parallel > 16) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "Invalid value for option '--parallel': " + parallel + " (expected 1..16)");
      }
      sweepConfig = sweepConfig.withRunner(sweepConfig.runner().withParallelTrials(parallel));
    }
    if (spark != null) {
      if (!RunnerSettings.SPARK_MASTER.matcher(spark).matches()) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "Invalid value for option '--spark': " + spark + " (expected a Spark master: local,"
                + " local[N], spark://host:port, yarn or k8s://URL)");
      }
      sweepConfig = sweepConfig.withRunner(sweepConfig.runner().withSpark(spark));
    }
    if (dryRun) {
      printPlan(sweepConfig, stdout);
      printData(sweepConfig.runner(), stdout);
      return ExitCodes.OK;
    }
    if (controller == Controller.wandb) {
      return runForWandbController(sweepConfig, stdout);
    }
    int planned = plannedTrials(sweepConfig);
    SweepExecution.Outcome outcome = SweepExecution.run(sweepConfig, true,
        c -> new SweepProgress(stdout, c.sweep().metric(), planned,
            System.console() != null));
    SweepResult result = outcome.result();
    stdout.println();
    ResultsTable.print(result, stdout);
    stdout.printf("%nresults   %s, %s%n", result.outputDir().resolve(ResultsFiles.CSV),
        result.outputDir().resolve(ResultsFiles.JSON));
    if (java.nio.file.Files.exists(result.outputDir().resolve(SweepRunner.BEST_MODEL))) {
      stdout.printf("model     %s (trial %d)%n", result.outputDir().resolve(SweepRunner.BEST_MODEL),
          result.best().map(t -> t.index() + 1).orElse(0));
    }
    stdout.printf("report    %s%n", outcome.report());
    String storeLocation = LocalStore.redact(sweepConfig.runner().tracking().store());
    stdout.printf("runs      %s (mnistlab runs list --store %s --sweep %s)%n", storeLocation,
        storeLocation, result.sweepName());
    stdout.flush();
    if (result.interrupted()) {
      // a stopped sweep is interrupted, whatever its trials got to (no "every trial failed")
      return ExitCodes.INTERRUPTED;
    }
    if (result.best().isEmpty() && result.failedCount() == result.trials().size()
        && !result.trials().isEmpty()) {
      spec.commandLine().getErr().println("mnistlab: every trial failed; the first error: "
          + result.trials().stream().filter(t -> t.status() == TrialStatus.FAILED)
              .flatMap(t -> t.error().stream()).findFirst().orElse("unknown"));
      return ExitCodes.INTERNAL_ERROR;
    }
    return ExitCodes.OK;
  }

  /**
   * {@code --controller wandb}: registers the sweep for W&amp;B's controller (its own search and
   * hyperband) and runs as its agent, at most the trials the sweep plans.
   */
  private int runForWandbController(SweepConfig sweepConfig, PrintWriter stdout)
      throws java.io.IOException {
    AgentCommand.requireWandbOnline(CliEnvironment.get(), "--controller wandb");
    if (sweepConfig.runner().parallelTrials() > 1) {
      throw new dev.mnistlab.experiments.UserInputException("--controller wandb runs one trial"
          + " at a time (W&B hands each agent one run); start more agents with `mnistlab agent`"
          + " instead of --parallel / runner.parallel_trials");
    }
    int planned = plannedTrials(sweepConfig);
    SweepConfig registered = sweepConfig;
    SweepExecution.Outcome outcome = SweepExecution.runAgent(sweepConfig.runner(),
        java.util.OptionalInt.of(planned),
        java.time.Duration.ofMillis(Math.round(heartbeatSeconds * 1000)),
        new SweepProgress(stdout, sweepConfig.sweep().metric(), planned,
            System.console() != null),
        (tracker, data) -> {
          RegisteredSweep sweep = WandbSweeps.register(tracker, registered, data,
              SweepController.WANDB);
          String id = sweep.id().orElseThrow(() -> new dev.mnistlab.tracking.TrackingException(
              "W&B did not register the sweep in time; try again when W&B answers"));
          stdout.println("W&B sweep " + sweep.url().orElse(id) + " (W&B's controller)");
          stdout.flush();
          return tracker.sweepAgent(sweepConfig.runner().tracking().entity().orElse(null),
              WandbSweeps.project(tracker, registered), id);
        });
    return AgentCommand.report(outcome, sweepConfig.runner(), spec);
  }

  /** The most trials a dry run lists one by one (the count is always the real one). */
  static final int DRY_RUN_LISTED = 10_000;

  /** The number of trials the sweep will run (at most {@link SweepSpec#MAX_TRIALS}). */
  private static int plannedTrials(SweepConfig config) {
    return (int) Math.min(config.sweep().plannedTrials(), SweepSpec.MAX_TRIALS);
  }

  private static void printPlan(SweepConfig config, PrintWriter out) {
    SearchStrategy search = SearchStrategy.forSweep(config.sweep(), config.runner().seed());
    out.printf("%s: valid %s sweep '%s', metric %s (%s)%n", config.source(),
        config.sweep().method().configName(), config.sweep().name(),
        config.sweep().metric().name(), config.sweep().metric().goal().configName());
    int planned = plannedTrials(config);
    int listed = Math.min(planned, DRY_RUN_LISTED);
    for (int i = 0; i < listed; i++) {
      Optional<TrialParameters> trial = search.suggest(i, List.of());
      if (trial.isEmpty()) {
        break;
      }
      out.printf("  trial %3d  %s%n", i + 1, trial.get().toConfigMap());
    }
    if (planned > listed) {
      out.printf("  ... and %d more%n", planned - listed);
    }
    if (config.sweep().method() == SearchMethod.BAYES) {
      out.println("  (bayes: trials after the first few depend on the results; shown as random)");
    }
    out.printf("%d trial(s); output folder %s%n", planned, config.runner().outputDir());
    out.flush();
  }

  /**
   * Resolves the sweep's data as the real run will, but offline (a dry run downloads nothing):
   * where it comes from and whether it is the official data; a missing data folder or malformed
   * files fail here rather than after the dry run said all was well.
   */
  private static void printData(RunnerSettings runner, PrintWriter out) throws IOException {
    KnownDataset known = KnownDataset.fromId(runner.dataset());
    DatasetResolver.Builder builder = DatasetResolver.builder().offline(true);
    runner.dataDir().ifPresent(builder::dataDir);
    DatasetResolver resolver = builder.build();
    try {
      MnistDataset data = resolver.resolve(known);
      out.printf("data: %s from %s: %d training, %d test images; official %s%n",
          known.displayName(), data.source().map(Path::toString).orElse("memory"),
          data.train().count(), data.test().count(), DataInspectCommand.officialStatus(data));
    } catch (DatasetUnavailableException e) {
      if (runner.dataDir().isPresent()) {
        throw e;
      }
      out.printf("data: %s is not on this machine; the sweep will download it into %s%n",
          known.displayName(), resolver.cacheFolder(known));
    }
    out.flush();
  }
}
