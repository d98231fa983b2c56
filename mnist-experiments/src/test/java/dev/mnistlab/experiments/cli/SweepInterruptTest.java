package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C for real: a child JVM runs {@code mnistlab sweep} on the shared MNIST subset and gets
 * SIGINT during its first trial; the stopped trial must be recorded consistently and the same
 * command must then resume the sweep.
 */
@Tag("slow")  // real trainings or child JVMs: left out by -DexcludedGroups=slow
class SweepInterruptTest {

  @TempDir Path dir;

  @Test
  void sigintStopsTheRunningTrialCleanlyAndTheSameCommandResumesTheSweep() throws Exception {
    Path config = dir.resolve("sigint.json");
    // trial 1 trains 4 epochs of 1300 images (seconds); trial 2 one epoch
    Files.writeString(config, """
        {"sweep": {"name": "sigint", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "batch_size": {"value": 64},
                                  "epochs": {"values": [4, 1]}}},
         "runner": {"train_subset": 1500, "validation_size": 200, "seed": 3,
                    "tracking": {"wandb": "disabled"}}}
        """);
    Path out = dir.resolve("out");
    Path store = dir.resolve("runs.db");
    List<String> args = List.of("sweep", config.toString(), "--data-dir",
        TestPaths.mnist10k().toString(), "--out", out.toString(), "--store", store.toString());

    // env --default-signal: a process started in the background by a non-interactive shell (as a
    // CI script may start the build) inherits SIGINT ignored, and a JVM that starts with SIGINT
    // ignored never runs its shutdown hooks on Ctrl-C; a user's terminal has the default.
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectError(dir.resolve("child-stderr.txt").toFile());
    builder.environment().remove("WANDB_API_KEY");
    Process child = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    StringBuilder stdout = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        lines.add("(reading failed: " + e + ")");
      }
    });
    reader.start();
    try {
      // training has started an epoch and finished one: Ctrl-C now, in the middle of epoch 2
      awaitLine(lines, stdout, "trial 1/2 epoch 1/4");
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
      assertThat(kill.waitFor()).isZero();
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child exits after SIGINT").isTrue();
    } finally {
      child.destroyForcibly();
    }
    reader.join(10_000);
    lines.forEach(l -> stdout.append(l).append('\n'));
    String stderr = Files.readString(dir.resolve("child-stderr.txt"));

    assertThat(child.exitValue()).as(stderr).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(stderr).contains("mnistlab: stopping").doesNotContain("did not stop within");
    assertThat(stdout).contains("trial 1 interrupted").doesNotContain("trial 2/2 started");

    // the results: written whole, the stopped trial marked, with its epochs and test metrics
    SweepResult result = ResultsFiles.read(out);
    assertThat(result.interrupted()).isTrue();
    assertThat(result.trials()).as("%s%n%s", stdout, stderr).singleElement().satisfies(t -> {
      assertThat(t.status()).isEqualTo(TrialStatus.INTERRUPTED);
      assertThat(t.epochs()).isBetween(1, 3);
      assertThat(t.testMetrics()).containsKeys(MetricKeys.TEST_ACCURACY, MetricKeys.TEST_LOSS);
    });
    assertThat(out.resolve(SweepReport.FILE_NAME)).isNotEmptyFile();
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.map(p -> out.relativize(p).toString()))
          .as("no temporary or half-written files, no trial work folders")
          .noneMatch(name -> name.endsWith(".tmp") || name.endsWith(".part") || name.startsWith(".trials"));
    }
    String stoppedRun = result.trials().get(0).runId();
    try (LocalStore local = LocalStore.open(store.toString())) {
      RunRecord run = local.run(stoppedRun).orElseThrow();
      assertThat(run.state()).isEqualTo(RunState.INTERRUPTED);
      assertThat(local.summary(stoppedRun)).containsKeys(MetricKeys.TEST_ACCURACY);
      assertThat(local.history(stoppedRun)).filteredOn(row -> row.values().containsKey(
          MetricKeys.EPOCH)).hasSize(result.trials().get(0).epochs());
      assertThat(local.predictions(stoppedRun)).hasSize(2000);
    }

    // the same command again: the interrupted trial is trained again, then the rest
    CliRun again = CliRun.of(args.toArray(String[]::new));
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("trial 1/2 started", "trial 2/2 started")
        .doesNotContain("skipped");
    SweepResult resumed = ResultsFiles.read(out);
    assertThat(resumed.interrupted()).isFalse();
    assertThat(resumed.trials()).hasSize(2).allSatisfy(t ->
        assertThat(t.status()).isEqualTo(TrialStatus.FINISHED));
    assertThat(resumed.trials().get(0).epochs()).isEqualTo(4);
    try (LocalStore local = LocalStore.open(store.toString())) {
      assertThat(local.runs(RunQuery.builder().group("sigint").build()))
          .extracting(RunRecord::state)
          .containsExactlyInAnyOrder(RunState.INTERRUPTED, RunState.FINISHED, RunState.FINISHED);
    }
  }

  private static void awaitLine(BlockingQueue<String> lines, StringBuilder seen, String prefix)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.append(line).append('\n');
        if (line.startsWith(prefix)) {
          return;
        }
      }
    }
    fail("the child never printed '" + prefix + "'; it printed:\n" + seen);
  }

  @Test
  void sigtermOnAOneTrialSweepIsReportedAsInterruptedWithTheDocumentedExitCode() throws Exception {
    Path config = dir.resolve("sigterm.json");
    Files.writeString(config, """
        {"sweep": {"name": "sigterm", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "batch_size": {"value": 64},
                                  "epochs": {"value": 4}}},
         "runner": {"train_subset": 1500, "validation_size": 200, "seed": 3,
                    "tracking": {"wandb": "disabled"}}}
        """);
    Path out = dir.resolve("out");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "sweep",
        config.toString(), "--data-dir", TestPaths.mnist10k().toString(), "--out", out.toString(),
        "--store", dir.resolve("runs.db").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectError(dir.resolve("child-stderr.txt").toFile());
    builder.environment().remove("WANDB_API_KEY");
    Process child = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    StringBuilder stdout = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        lines.add("(reading failed: " + e + ")");
      }
    });
    reader.start();
    try {
      awaitLine(lines, stdout, "trial 1/1 epoch 1/4");
      child.destroy();  // SIGTERM, as a service manager or `kill PID` sends it
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child exits after SIGTERM").isTrue();
    } finally {
      child.destroyForcibly();
    }
    reader.join(10_000);
    lines.forEach(l -> stdout.append(l).append('\n'));
    String stderr = Files.readString(dir.resolve("child-stderr.txt"));

    // the JVM reports a signal as 128 + its number: 143 for SIGTERM (130 for Ctrl-C), as README says
    assertThat(child.exitValue()).as(stderr).isEqualTo(ExitCodes.TERMINATED);
    assertThat(stderr).contains("mnistlab: stopping").doesNotContain("every trial failed")
        .doesNotContain("unknown");
    SweepResult result = ResultsFiles.read(out);
    assertThat(result.interrupted()).isTrue();
    assertThat(result.trials()).singleElement().satisfies(t ->
        assertThat(t.status()).isEqualTo(TrialStatus.INTERRUPTED));
  }
}
