package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.SweepToWandbTest;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop pressed in the W&amp;B UI (the file_stream answer {@code "stopped": true}) during
 * {@code mnistlab sweep}: the trial ends at its next batch, is still evaluated on the test
 * set and saved, is recorded as stopped, its upload is completed, and the sweep goes on.
 */
class WandbStopCommandTest {
  @TempDir Path dir;
  private Map<String, String> savedEnvironment;

  @AfterEach
  void restoreEnvironment() {
    if (savedEnvironment != null) {
      CliEnvironment.replace(savedEnvironment);
    }
  }

  @Test
  void aTrialStoppedFromWandbIsEvaluatedSavedRecordedAsStoppedAndTheSweepGoesOn() throws Exception {
    Path config = dir.resolve("stop.json");
    Path out = dir.resolve("out");
    Path store = dir.resolve("runs.db");
    Files.writeString(config, """
        {"sweep": {"name": "stoppable", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 12},
                                  "batch_size": {"values": [64, 128]}}},
         "runner": {"train_subset": 600, "validation_size": 100, "seed": 5,
                    "tracking": {"wandb": "online", "project": "stops"}}}
        """);
    SweepToWandbTest.WandbStandIn wandb = new SweepToWandbTest.WandbStandIn();
    wandb.stopFirstRun = true;
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb);
      server.start();
      savedEnvironment = CliEnvironment.replace(Map.of(
          "WANDB_API_KEY", SweepToWandbTest.KEY,
          "WANDB_BASE_URL", server.url("/").toString().replaceAll("/$", ""),
          "WANDB__FILE_STREAM_TRANSMIT_INTERVAL", "0.05"));
      CliRun run = CliRun.of("sweep", config.toString(), "--data-dir", TestPaths.mnist10k().toString(),
          "--out", out.toString(), "--store", store.toString());
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    }
    List<TrialRecord> trials = ResultsFiles.read(out).trials();
    assertThat(trials).hasSize(2);
    TrialRecord stopped = trials.get(0);
    assertThat(stopped.runId()).isEqualTo(wandb.stoppedRunId);
    assertThat(stopped.status()).isEqualTo(TrialStatus.STOPPED_EARLY);
    // 12 epochs of 600 images outlast the stop's way back (the store gathers rows for up to 200 ms
    // before the uploader sees them) even on a fast, quiet machine
    assertThat(stopped.epochs()).isLessThan(12);
    assertThat(stopped.testMetrics()).containsKey("test_accuracy"); // evaluated on the test set
    TrialRecord next = trials.get(1);
    assertThat(next.status()).isEqualTo(TrialStatus.FINISHED);
    assertThat(next.epochs()).isEqualTo(12);
    try (LocalStore local = LocalStore.open(store.toString())) {
      assertThat(local.run(stopped.runId()).orElseThrow().state()).isEqualTo(RunState.STOPPED);
      assertThat(local.run(next.runId()).orElseThrow().state()).isEqualTo(RunState.FINISHED);
      assertThat(local.summary(stopped.runId())).containsKey("test_accuracy");
    }
    // the stopped trial's upload was completed with its exit code
    boolean completed = false;
    for (int i = 0; i < wandb.fileStreams.size(); i++) {
      if (wandb.fileStreamPaths.get(i).contains("/" + stopped.runId() + "/")
          && wandb.fileStreams.get(i).path("complete").asBoolean()) {
        completed = true;
        assertThat(wandb.fileStreams.get(i).path("exitcode").asInt()).isZero();
      }
    }
    assertThat(completed).isTrue();
  }
}
