package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.Tracker;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsCommandTest {

  @TempDir Path dir;
  private Path storePath;
  private String finishedId;
  private String failedId;

  @BeforeEach
  void recordTwoRuns() {
    storePath = dir.resolve("runs.db");
    try (LocalStore store = LocalStore.open(storePath.toString());
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false).build()) {
      try (Run run = tracker.start(RunSpec.builder().project("mnistlab").name("cnn-basic-b64")
          .group("quickstart").config(Map.of("batch_size", 64, "model", "cnn-basic")).build())) {
        run.log(1, Map.of(MetricKeys.EPOCH, 1, MetricKeys.LOSS, 0.5, MetricKeys.VAL_ACCURACY, 0.91));
        run.log(2, Map.of(MetricKeys.EPOCH, 2, MetricKeys.LOSS, 0.2, MetricKeys.VAL_ACCURACY, 0.95));
        run.summary(MetricKeys.BEST_VAL_ACCURACY, 0.95);
        run.summary(MetricKeys.TEST_ACCURACY, 0.9432);
        run.finish(0);
        finishedId = run.id();
      }
      try (Run run = tracker.start(RunSpec.builder().project("mnistlab").name("broken")
          .group("other").build())) {
        run.fail(new IllegalStateException("out of memory"));
        failedId = run.id();
      }
    }
  }

  @Test
  void listShowsEveryRunWithStateAndKeyMetrics() {
    CliRun run = CliRun.of("runs", "list", "--store", storePath.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(finishedId, "cnn-basic-b64", "quickstart", "finished", "0.9500",
        "0.9432").contains(failedId, "failed").contains("2 run(s)");
  }

  @Test
  void listFiltersByGroupAndState() {
    CliRun byGroup = CliRun.of("runs", "list", "--store", storePath.toString(), "--sweep", "quickstart");
    assertThat(byGroup.out()).contains(finishedId).doesNotContain(failedId);
    CliRun byState = CliRun.of("runs", "list", "--store", storePath.toString(), "--state", "failed");
    assertThat(byState.out()).contains(failedId).doesNotContain(finishedId);
  }

  @Test
  void invalidStateIsAUsageError() {
    CliRun run = CliRun.of("runs", "list", "--store", storePath.toString(), "--state", "sleeping");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'sleeping'");
  }

  @Test
  void showPrintsConfigSummaryHistoryAndProvenance() {
    CliRun run = CliRun.of("runs", "show", finishedId, "--store", storePath.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("run          " + finishedId)
        .contains("state        finished")
        .contains("batch_size", "64")
        .contains(MetricKeys.TEST_ACCURACY)
        .contains("history")
        .containsPattern("\\s+2\\s+0\\.2000\\s+-\\s+-\\s+0\\.9500")
        .contains("provenance", "java");
  }

  @Test
  void showOfAnUnknownRunIsOneLineUserError() {
    CliRun run = CliRun.of("runs", "show", "nope", "--store", storePath.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("no run with id 'nope'");
  }

  @Test
  void missingStoreIsAUserErrorAndIsNotCreated() {
    Path missing = dir.resolve("none.db");
    CliRun run = CliRun.of("runs", "list", "--store", missing.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(missing.toString()).contains("run a sweep first");
    assertThat(missing).doesNotExist();
  }

  @Test
  void syncWithoutAnApiKeyExplainsWhereTheKeyGoes() {
    CliRun run = CliRun.of("sync", "--store", storePath.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no W&B API key").contains("WANDB_API_KEY");
  }
}
