package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.Tracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose process was killed with SIGKILL is shown crashed by every command reading the store. */
class CrashedRunCommandTest {
  @TempDir Path dir;

  /** The child: starts a run, logs two steps, prints {@code STARTED id}, then waits to be killed. */
  public static final class RunningChild {
    public static void main(String[] args) throws Exception {
      LocalStore store = LocalStore.open(args[0]);
      Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build();
      Run run = tracker.start(RunSpec.builder().project("mnistlab").name("doomed").group("g").build());
      run.log(Map.of("epoch", 1, "loss", 0.5));
      run.log(Map.of("epoch", 2, "loss", 0.4));
      store.flush(java.time.Duration.ofSeconds(30));
      System.out.println("STARTED " + run.id());
      System.out.flush();
      Thread.sleep(600_000);
    }
  }

  @Test
  void runOfAProcessKilledWithSigkillIsShownCrashedByListAndShow() throws Exception {
    Path store = dir.resolve("runs.db");
    Process child = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), RunningChild.class.getName(), store.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String id;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).startsWith("STARTED ");
      id = line.substring("STARTED ".length());
      CliRun alive = CliRun.of("runs", "list", "--store", store.toString());
      assertThat(alive.out()).contains(id).contains("running");
      child.destroyForcibly(); // SIGKILL: no hook, nothing finishes the run
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }

    CliRun list = CliRun.of("runs", "list", "--store", store.toString());
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains(id).contains("crashed").doesNotContain("running");
    CliRun crashedOnly = CliRun.of("runs", "list", "--store", store.toString(), "--state", "crashed");
    assertThat(crashedOnly.out()).contains(id);
    CliRun show = CliRun.of("runs", "show", id, "--store", store.toString());
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).contains("crashed").contains("the process ended without finishing the run");
  }
}
