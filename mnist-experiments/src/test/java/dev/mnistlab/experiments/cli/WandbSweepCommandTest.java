package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.data.testing.SharedData;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.testing.StandInSweeps;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways to sweep with W&amp;B through the command line, with real (tiny) trainings against
 * the W&amp;B stand-in: {@code mnistlab sweep} registers its sweep and attaches every run,
 * {@code mnistlab agent} trains what a W&amp;B-driven sweep hands out, and {@code mnistlab sweep
 * --controller wandb} registers for W&amp;B's controller and runs as its agent; plus the agent's
 * user errors (an unknown sweep, no key) as exit code 2 with one line.
 */
@Tag("slow")
@Timeout(180)
class WandbSweepCommandTest {
  private static final String PROJECT = "cli-sweeps";
  private static final String ENTITY = WandbStandIn.DEFAULT_ENTITY;

  @TempDir Path dir;
  private WandbStandIn wandb;
  private Map<String, String> savedEnvironment;

  @BeforeEach
  void start() throws Exception {
    wandb = new WandbStandIn();
    savedEnvironment = CliEnvironment.replace(Map.of("WANDB_API_KEY", WandbStandIn.KEY,
        "WANDB_BASE_URL", wandb.baseUrl(), "WANDB__FILE_STREAM_TRANSMIT_INTERVAL", "0.05"));
  }

  @AfterEach
  void stop() throws Exception {
    CliEnvironment.replace(savedEnvironment);
    wandb.close();
  }

  private Path config(String name, String parameters) throws Exception {
    Path config = dir.resolve(name + ".json");
    Files.writeString(config, """
        {"sweep": {"name": "%s", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": %s},
         "runner": {"train_subset": 600, "validation_size": 100, "seed": 5,
                    "tracking": {"wandb": "online", "project": "%s"}}}
        """.formatted(name, parameters, PROJECT));
    return config;
  }

  @Test
  void everyRunOfAMnistlabSweepCarriesTheSweepIdAndTheSweepEndsFinished() throws Exception {
    Path config = config("registered", "{\"model\": {\"value\": \"mlp\"}, \"epochs\": {\"value\": 1},"
        + " \"batch_size\": {\"values\": [64, 128]}}");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir",
        SharedData.mnist10k().toString(), "--out", dir.resolve("out").toString(), "--store",
        dir.resolve("runs.db").toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    StandInSweeps.Sweep sweep = wandb.sweeps().all().get(0);
    assertThat(run.out()).contains("W&B sweep " + wandb.baseUrl() + "/" + ENTITY + "/" + PROJECT
        + "/sweeps/" + sweep.id);
    assertThat(sweep.controller).isEqualTo("{\"type\":\"local\"}");
    assertThat(sweep.configYaml).contains("method: grid", "name: registered");
    assertThat(sweep.state()).isEqualTo("FINISHED");
    assertThat(sweep.runs).hasSize(2);
    for (String runId : sweep.runs) {
      assertThat(wandb.run(PROJECT, runId).sweep).isEqualTo(sweep.id);
      assertThat(wandb.run(PROJECT, runId).history).isNotEmpty();
    }
    assertThat(wandb.runs()).hasSize(2);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void theAgentTrainsWhatTheWandbSweepHandsOutAndItsRunsAreListedByTheSweepId() throws Exception {
    StandInSweeps.Sweep sweep = wandb.sweeps().create(ENTITY, PROJECT, "method: random\n"
        + "metric:\n  name: val_accuracy\n  goal: maximize\nparameters:\n  batch_size:\n"
        + "    values: [128, 256]\n");
    wandb.sweeps().queueRun(sweep.id, "agentrun1", Map.of("model", "mlp", "epochs", 1,
        "batch_size", 256));
    wandb.sweeps().queueExit(sweep.id);
    Path store = dir.resolve("runs.db");
    CliRun run = CliRun.of("agent", ENTITY + "/" + PROJECT + "/" + sweep.id, "--data-dir",
        SharedData.mnist10k().toString(), "--store", store.toString(), "--out",
        dir.resolve("out").toString(), "--heartbeat-seconds", "0.1");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("W&B agent", "/sweeps/" + sweep.id);
    try (LocalStore local = LocalStore.open(store.toString())) {
      List<RunRecord> runs = local.runs(RunQuery.builder().group(sweep.id).build());
      assertThat(runs).extracting(RunRecord::id).containsExactly("agentrun1");
      assertThat(runs.get(0).state()).isEqualTo(RunState.FINISHED);
      assertThat(local.config("agentrun1")).containsEntry("batch_size", 256L);
    }
    CliRun list = CliRun.of("runs", "list", "--store", store.toString(), "--sweep", sweep.id);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("agentrun1");
    // the sweep's report from the runs the store holds for the sweep id
    Path reports = dir.resolve("report");
    CliRun report = CliRun.of("report", "--sweep-id", sweep.id, "--store", store.toString(),
        "--out", reports.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(Files.readString(reports.resolve("report.html"))).contains("agentrun1");
    CliRun unknown = CliRun.of("report", "--sweep-id", "nosuchsweep", "--store",
        store.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("has no runs of sweep nosuchsweep");
    assertThat(sweep.runs).containsExactly("agentrun1");
    assertThat(wandb.run(PROJECT, "agentrun1").history).isNotEmpty();
    assertThat(Files.exists(dir.resolve("out").resolve("report.html"))).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void sweepWithTheWandbControllerRegistersForItAndRunsWhatItHandsOut() throws Exception {
    wandb.sweeps().scriptNextSweep(List.of(
        StandInSweeps.runCommand("ctrl1", Map.of("model", "mlp", "epochs", 1, "batch_size", 64)),
        StandInSweeps.exitCommand()));
    Path config = config("driven", "{\"model\": {\"value\": \"mlp\"}, \"epochs\": {\"value\": 1},"
        + " \"batch_size\": {\"values\": [64, 128]}}");
    Path store = dir.resolve("runs.db");
    CliRun run = CliRun.of("sweep", config.toString(), "--controller", "wandb", "--data-dir",
        SharedData.mnist10k().toString(), "--out", dir.resolve("out").toString(), "--store",
        store.toString(), "--heartbeat-seconds", "0.1");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    StandInSweeps.Sweep sweep = wandb.sweeps().all().get(0);
    assertThat(sweep.controller).isNull(); // W&B's own controller
    assertThat(sweep.configYaml).contains("method: grid", "batch_size:");
    assertThat(sweep.runs).containsExactly("ctrl1");
    assertThat(sweep.agents).hasSize(1);
    try (LocalStore local = LocalStore.open(store.toString())) {
      assertThat(local.run("ctrl1").orElseThrow().state()).isEqualTo(RunState.FINISHED);
      assertThat(local.config("ctrl1")).containsEntry("batch_size", 64L);
    }
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void anAgentOfASweepWandbDoesNotHaveExitsWithExitCode2AndOneLine() {
    CliRun run = CliRun.of("agent", ENTITY + "/" + PROJECT + "/nosuch", "--store",
        dir.resolve("runs.db").toString(), "--data-dir", SharedData.mnist10k().toString(),
        "--out", dir.resolve("out").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("W&B has no sweep " + ENTITY + "/" + PROJECT + "/nosuch")
        .doesNotContain("\tat ");
  }

  @Test
  void anAgentWithoutAKeyOrAProjectExitsWithExitCode2() {
    CliEnvironment.replace(Map.of("WANDB_BASE_URL", wandb.baseUrl()));
    CliRun noKey = CliRun.of("agent", ENTITY + "/" + PROJECT + "/abc", "--store",
        dir.resolve("runs.db").toString());
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("needs W&B: no API key found");
    CliRun noProject = CliRun.of("agent", "abc");
    assertThat(noProject.exitCode()).isEqualTo(2);
    assertThat(noProject.err()).contains("names no project");
  }
}
