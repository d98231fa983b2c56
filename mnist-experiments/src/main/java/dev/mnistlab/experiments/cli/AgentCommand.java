package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.UserInputException;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.RunnerSettings;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.trial.TrackingSettings;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.SweepAgent;
import dev.mnistlab.tracking.WandbMode;
import dev.mnistlab.tracking.WandbSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab agent SWEEP}: this JVM as an agent of a sweep W&amp;B drives (created in the W&amp;B
 * UI or with {@code wandb sweep}), as {@code wandb agent} is for a Python program: it trains the
 * runs W&amp;B hands out with mnistlab's own trials, never a program or command line from the
 * server.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Run the trials of a W&B sweep as its agent (as `wandb agent` does).")
final class AgentCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SWEEP", description = "The W&B sweep: entity/project/id,"
      + " project/id, or the id with --project (and --entity).")
  String sweep;

  @Option(names = "--entity", paramLabel = "ENTITY",
      description = "The sweep's entity (default: from SWEEP, else WANDB_ENTITY, else the key's).")
  String entity;

  @Option(names = "--project", paramLabel = "PROJECT",
      description = "The sweep's project (default: from SWEEP, else WANDB_PROJECT).")
  String project;

  @Option(names = "--count", paramLabel = "N",
      description = "Run at most N runs, then exit (default: until W&B says exit).")
  Integer count;

  @Option(names = "--heartbeat-seconds", hidden = true, paramLabel = "S",
      description = "Seconds between heartbeats (default 5, as W&B's agent).")
  double heartbeatSeconds = SweepAgent.HEARTBEAT_INTERVAL.toMillis() / 1000.0;

  @Mixin RunnerOptions runnerOptions = new RunnerOptions();

  /** The parts of SWEEP: entity (may be null), project, id. */
  record SweepPath(String entity, String project, String id) {}

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = CliEnvironment.get();
    SweepPath path = parse(sweep, entity, project, env);
    if (count != null && count < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--count': " + count + " (expected an integer >= 1)");
    }
    if (!(heartbeatSeconds > 0 && heartbeatSeconds <= 60)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--heartbeat-seconds': " + heartbeatSeconds
              + " (expected a number in (0, 60])");
    }
    requireWandbOnline(env, "mnistlab agent");
    RunnerSettings runner = runnerOptions.applyTo(new RunnerSettings("mnist", Optional.empty(),
        OptionalInt.empty(), OptionalInt.empty(), RunnerSettings.DEFAULT_SEED, 1,
        Path.of("results", path.id()), true, new TrackingSettings(TrackingSettings.DEFAULT_STORE,
            Optional.of(WandbMode.ONLINE), path.project(), Optional.ofNullable(path.entity()),
            List.of(), true)), spec.commandLine());
    PrintWriter stdout = spec.commandLine().getOut();
    SweepProgress progress = new SweepProgress(stdout, new SweepMetric("val_accuracy",
        Goal.MAXIMIZE, OptionalDouble.empty()), 0, System.console() != null);
    SweepExecution.Outcome outcome = SweepExecution.runAgent(runner,
        count == null ? OptionalInt.empty() : OptionalInt.of(count),
        Duration.ofMillis(Math.round(heartbeatSeconds * 1000)), progress, (tracker, data) -> {
          SweepAgent agent = tracker.sweepAgent(path.entity(), path.project(), path.id());
          stdout.println("W&B agent " + agent.agentId() + " of sweep "
              + agent.url().orElse(agent.path()));
          stdout.flush();
          return agent;
        });
    return report(outcome, runner, spec);
  }

  /**
   * Prints what the agent ran (the results table, files and store) and its exit code: 130 when
   * interrupted, 1 when it gave up because runs kept failing.
   */
  static int report(SweepExecution.Outcome outcome, RunnerSettings runner, CommandSpec spec) {
    SweepResult result = outcome.result();
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println();
    ResultsTable.print(result, stdout);
    stdout.printf("%nresults   %s, %s%n", result.outputDir().resolve(ResultsFiles.CSV),
        result.outputDir().resolve(ResultsFiles.JSON));
    stdout.printf("report    %s%n", outcome.report());
    String store = LocalStore.redact(runner.tracking().store());
    stdout.printf("runs      %s (mnistlab runs list --store %s --sweep %s)%n", store, store,
        result.sweepName());
    stdout.flush();
    if (result.interrupted()) {
      return ExitCodes.INTERRUPTED;
    }
    if (outcome.failure().isPresent()) {
      spec.commandLine().getErr().println("mnistlab: " + outcome.failure().get().getMessage());
      spec.commandLine().getErr().flush();
      return ExitCodes.INTERNAL_ERROR;
    }
    return ExitCodes.OK;
  }

  /**
   * Refuses to start without W&amp;B online (an agent does nothing without it), naming what is
   * missing: the key, or a mode that keeps W&amp;B off.
   */
  static void requireWandbOnline(Map<String, String> env, String what) {
    WandbSettings settings = WandbSettings.fromEnvironment(env);
    if (settings.apiKey().isEmpty()) {
      throw new UserInputException(what + " needs W&B: no API key found (set WANDB_API_KEY, or"
          + " run `wandb login` for ~/.netrc)");
    }
    if (settings.mode() != WandbMode.ONLINE) {
      throw new UserInputException(what + " needs W&B online, but WANDB_MODE is "
          + settings.mode().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** Splits SWEEP; {@code --entity}/{@code --project} and then the environment fill the rest. */
  static SweepPath parse(String sweep, String entity, String project, Map<String, String> env) {
    String[] parts = sweep.split("/", -1);
    for (String p : parts) {
      if (p.isBlank()) {
        throw new UserInputException("SWEEP '" + sweep + "': expected entity/project/id,"
            + " project/id or id, without empty parts");
      }
    }
    if (parts.length > 3) {
      throw new UserInputException("SWEEP '" + sweep + "': expected entity/project/id,"
          + " project/id or id");
    }
    String id = parts[parts.length - 1];
    String p = parts.length >= 2 ? parts[parts.length - 2] : project;
    String e = parts.length == 3 ? parts[0] : entity;
    if (p == null) {
      p = blankToNull(env.get("WANDB_PROJECT"));
    }
    if (e == null) {
      e = blankToNull(env.get("WANDB_ENTITY"));
    }
    if (p == null) {
      throw new UserInputException("SWEEP '" + sweep + "' names no project: give"
          + " entity/project/id, --project, or set WANDB_PROJECT");
    }
    return new SweepPath(e, p, id);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
