package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.tracking.testing.ArtifactStandIn.Version;
import dev.mnistlab.tracking.testing.RemoteMedia;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small {@code mnistlab sweep} on real digits with W&amp;B on leaves every tab of every run filled
 * on the W&amp;B stand-in: system-metrics lines, console lines, the run files, the end-of-trial
 * media (confusion chart, misclassified digits, data samples, predictions table) and the model as
 * an artifact ({@code best} on the best trial); and the same when the sweep ran offline and
 * {@code mnistlab sync} uploaded it.
 */
class SweepFillsEveryWandbTabTest {
  @TempDir Path dir;
  private Map<String, String> savedEnvironment;

  @AfterEach
  void restoreEnvironment() {
    if (savedEnvironment != null) {
      CliEnvironment.replace(savedEnvironment);
    }
  }

  private Path config(String name, String mode, String project) throws Exception {
    Path config = dir.resolve(name + ".json");
    Files.writeString(config, """
        {"sweep": {"name": "%s", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 1},
                                  "batch_size": {"values": [32, 128]}}},
         "runner": {"train_subset": 600, "validation_size": 100, "seed": 3,
                    "tracking": {"wandb": "%s", "project": "%s"}}}
        """.formatted(name, mode, project));
    return config;
  }

  private void environment(WandbStandIn wandb) {
    savedEnvironment = CliEnvironment.replace(Map.of(
        "WANDB_API_KEY", WandbStandIn.KEY,
        "WANDB_BASE_URL", wandb.baseUrl(),
        "WANDB__FILE_STREAM_TRANSMIT_INTERVAL", "0.05",
        "WANDB_X_STATS_SAMPLING_INTERVAL", "0.2"));
  }

  @Test
  void everyRunOfAnOnlineSweepHasSystemConsoleFilesMediaAndItsModelArtifact() throws Exception {
    Path out = dir.resolve("out");
    try (WandbStandIn wandb = new WandbStandIn()) {
      environment(wandb);
      CliRun run = CliRun.of("sweep", config("tabs", "online", "tabs").toString(),
          "--data-dir", TestPaths.mnist10k().toString(), "--out", out.toString(),
          "--store", dir.resolve("runs.db").toString());
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      checkEveryTab(wandb, "tabs", "tabs", ResultsFiles.read(out));
    }
  }

  @Test
  void anOfflineSweepSyncedLaterLeavesTheSameOnWandb() throws Exception {
    Path out = dir.resolve("out");
    Path store = dir.resolve("runs.db");
    try (WandbStandIn wandb = new WandbStandIn()) {
      environment(wandb);
      CliRun run = CliRun.of("sweep", config("tabs-offline", "offline", "tabs").toString(),
          "--data-dir", TestPaths.mnist10k().toString(), "--out", out.toString(),
          "--store", store.toString());
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(wandb.runs()).isEmpty();

      CliRun sync = CliRun.of("sync", "--store", store.toString(), "--timeout", "120");
      assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
      assertThat(sync.out()).contains("2 of 2 run(s) uploaded");
      checkEveryTab(wandb, "tabs", "tabs-offline", ResultsFiles.read(out));
      // a second sync finds nothing left: every file and artifact went exactly once
      int puts = wandb.storageRequests();
      CliRun again = CliRun.of("sync", "--store", store.toString());
      assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
      assertThat(wandb.storageRequests()).isEqualTo(puts);
    }
  }

  private static void checkEveryTab(WandbStandIn wandb, String project, String sweep,
      SweepResult result) {
    List<TrialRecord> trials = result.trials();
    assertThat(trials).hasSize(2);
    for (TrialRecord trial : trials) {
      RemoteRun remote = wandb.run(project, trial.runId());
      assertThat(remote.complete).isTrue();
      // System tab
      assertThat(remote.events).isNotEmpty()
          .allSatisfy(e -> assertThat(e).contains("\"system.cpu\"").contains("\"system.proc.memory.rssMB\""));
      // Logs tab: the epoch line and the final metrics mnistlab printed
      assertThat(String.join("\n", remote.console)).contains("epoch 1").contains("test_accuracy");
      // Files and Overview tabs
      assertThat(remote.files).containsKeys("wandb-metadata.json", "config.yaml",
          "dependencies.txt", "model-summary.txt");
      // each version once: only config.yaml changes during a run (the resolved config, the chart)
      assertThat(remote.fileUploads).allSatisfy((name, puts) -> assertThat(puts).as(name)
          .isEqualTo(name.equals("config.yaml") ? puts : 1));
      // Media: one row after the last epoch
      Map<String, Map<String, Object>> media = RemoteMedia.values(remote);
      assertThat(media).containsKeys("confusion_matrix_table", "data_samples", "predictions");
      assertThat(media.get("predictions")).containsEntry("ncols", 5L).containsEntry("nrows", 1000L);
      if (media.containsKey("misclassified")) {
        assertThat((List<?>) media.get("misclassified").get("captions"))
            .allSatisfy(c -> assertThat((String) c).matches(".+ → .+ \\(\\d\\.\\d\\d\\)"));
      }
      assertThat(RemoteMedia.violations(remote)).isEmpty();
      Map<?, ?> internal = (Map<?, ?>) ((Map<?, ?>) remote.config.get("_wandb")).get("value");
      assertThat(((Map<?, ?>) internal.get("visualize")).containsKey("confusion_matrix")).isTrue();
    }
    // the models, as artifacts of type model in the sweep's collection; best on the best trial
    List<Version> versions = wandb.artifacts.versions(project, "model-" + sweep);
    assertThat(versions).hasSize(2).allSatisfy(v -> {
      assertThat(v.state).isEqualTo("COMMITTED");
      assertThat(v.type).isEqualTo("model");
      assertThat(v.metadata).containsKeys("hyperparameters", "metrics", "dataset", "mnistlab_version");
      assertThat(((Map<?, ?>) v.metadata.get("dataset")).containsKey("checksums")).isTrue();
      assertThat(v.file(wandb.artifacts, "model.zip")).get().satisfies(zip ->
          assertThat(zip).startsWith((byte) 'P', (byte) 'K'));
    });
    TrialRecord best = result.best().orElseThrow();
    assertThat(wandb.artifacts.alias(project, "model-" + sweep, "best"))
        .hasValueSatisfying(v -> assertThat(v.runName).isEqualTo(best.runId()));
    assertThat(wandb.violations()).isEmpty();
  }
}
