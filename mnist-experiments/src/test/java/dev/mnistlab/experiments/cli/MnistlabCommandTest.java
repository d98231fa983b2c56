package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MnistlabCommandTest {

  @TempDir Path dir;

  @Test
  void versionPrintsMnistlabAndJavaVersionAndExitsZero() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("mnistlab ").contains("Java " + System.getProperty("java.version"));
  }

  @Test
  void helpListsTheSubcommands() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("sweep", "--debug");
  }

  @Test
  void noSubcommandShowsUsageOnStderrAndExitsTwo() {
    CliRun run = CliRun.of();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
    assertThat(run.err()).contains("Usage: mnistlab");
  }

  @Test
  void unknownOptionIsOneLineUserError() {
    CliRun run = CliRun.of("--bogus");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("Unknown option: '--bogus'").contains("mnistlab --help");
  }

  @Test
  void missingRequiredParameterNamesItAndTheSubcommand() {
    CliRun run = CliRun.of("sweep");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).containsExactly(
        "mnistlab sweep: Missing required parameter: 'CONFIG' (see 'mnistlab sweep --help')");
  }

  @Test
  void missingConfigFileIsOneLineNamingTheFile() {
    Path missing = dir.resolve("nope.json");
    CliRun run = CliRun.of("sweep", missing.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("mnistlab: no such file or directory: " + missing);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void invalidConfigNamesFileJsonPathAndExpectationWithoutStackTrace() throws Exception {
    Path config = dir.resolve("x.json");
    Files.writeString(config, """
        {"sweep": {"method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
          "parameters": {"batch_size": {"values": [32, "64"]}}}}
        """);
    CliRun run = CliRun.of("sweep", "--dry-run", config.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).containsExactly("mnistlab: " + config
        + ": $.sweep.parameters.batch_size.values[1]: expected integer, got string");
  }

  @Test
  void dryRunListsTheGridWithOverridesApplied() throws Exception {
    Path config = dir.resolve("g.json");
    Files.writeString(config, """
        {"sweep": {"method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
          "parameters": {"batch_size": {"values": [32, 64]}, "epochs": {"values": [1, 2]}}}}
        """);
    CliRun run = CliRun.of("sweep", "--dry-run", config.toString(), "--out", "elsewhere",
        "--parallel", "2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("valid grid sweep 'g'", "trial   1  {batch_size=32, epochs=1}",
        "trial   4  {batch_size=64, epochs=2}", "4 trial(s); output folder elsewhere");
  }

  @Test
  void parallelOutsideItsRangeIsAUsageError() throws Exception {
    Path config = dir.resolve("g.json");
    Files.writeString(config, """
        {"sweep": {"method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
          "parameters": {"epochs": {"value": 1}}}}
        """);
    CliRun run = CliRun.of("sweep", config.toString(), "--parallel", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'--parallel': 0 (expected 1..16)");
  }

  @Test
  void debugAddsTheStackTraceToAUserError() {
    CliRun run = CliRun.of("--debug", "sweep", dir.resolve("nope.json").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines().get(0)).startsWith("mnistlab: no such file or directory: ");
    assertThat(run.err()).contains("java.nio.file.NoSuchFileException", "\tat ");
  }

  @Test
  void debugIsAcceptedAfterTheSubcommandToo() {
    CliRun run = CliRun.of("sweep", dir.resolve("nope.json").toString(), "--debug");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("\tat ");
  }

  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("invariant broken");
    }
  }

  @Test
  void bugExitsOneWithShortMessageAndDebugHint() {
    CommandLine commandLine = MnistlabCommand.newCommandLine().addSubcommand(new Boom());
    CliRun run = CliRun.of(commandLine, "boom");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("internal error: java.lang.IllegalStateException: invariant broken")
        .contains("run with --debug");
  }

  @Test
  void bugWithDebugShowsTheStackTrace() {
    CommandLine commandLine = MnistlabCommand.newCommandLine().addSubcommand(new Boom());
    CliRun run = CliRun.of(commandLine, "--debug", "boom");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("\tat dev.mnistlab.experiments.cli.MnistlabCommandTest$Boom.call");
  }
}
