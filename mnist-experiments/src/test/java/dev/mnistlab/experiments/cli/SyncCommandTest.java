package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.runner.SweepToWandbTest;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.WandbMode;
import dev.mnistlab.tracking.WandbSettings;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mnistlab sync} uploads runs recorded offline to a W&amp;B stand-in on loopback. */
class SyncCommandTest {

  @TempDir Path dir;
  private Map<String, String> savedEnvironment;

  @AfterEach
  void restoreEnvironment() {
    if (savedEnvironment != null) {
      CliEnvironment.replace(savedEnvironment);
    }
  }

  @Test
  void uploadsARunRecordedOfflineWithItsHistoryAndCompletion() throws Exception {
    Path store = dir.resolve("runs.db");
    String runId;
    try (LocalStore local = LocalStore.open(store.toString());
        Tracker tracker = Tracker.builder().store(local).shutdownHook(false)
            .wandb(WandbSettings.builder().mode(WandbMode.OFFLINE).build()).build()) {
      try (Run run = tracker.start(RunSpec.builder().project("mnistlab").name("offline-run")
          .group("g").config(Map.of("batch_size", 64)).build())) {
        run.log(1, Map.of(MetricKeys.EPOCH, 1, MetricKeys.VAL_ACCURACY, 0.9));
        run.log(2, Map.of(MetricKeys.EPOCH, 2, MetricKeys.VAL_ACCURACY, 0.95));
        run.finish(0);
        runId = run.id();
      }
    }
    SweepToWandbTest.WandbStandIn wandb = new SweepToWandbTest.WandbStandIn();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb);
      server.start();
      savedEnvironment = CliEnvironment.replace(Map.of(
          "WANDB_API_KEY", SweepToWandbTest.KEY,
          "WANDB_BASE_URL", server.url("/").toString().replaceAll("/$", "")));
      CliRun sync = CliRun.of("sync", "--store", store.toString(), "--timeout", "60");
      assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
      assertThat(sync.out()).contains("1 of 1 run(s) uploaded");
      assertThat(sync.out() + sync.err()).doesNotContain(SweepToWandbTest.KEY);
    }
    assertThat(wandb.unauthorized).isEmpty();
    assertThat(wandb.upserts).extracting(v -> v.path("name").asText()).contains(runId);
    long historyLines = wandb.fileStreams.stream()
        .mapToLong(b -> b.path("files").path("wandb-history.jsonl").path("content").size()).sum();
    assertThat(historyLines).isEqualTo(2);
    assertThat(wandb.fileStreams).anySatisfy(b -> assertThat(b.path("complete").asBoolean()).isTrue());
  }

  private String recordWithWandbDisabled(Path store) {
    try (LocalStore local = LocalStore.open(store.toString());
        Tracker tracker = Tracker.builder().store(local).shutdownHook(false)
            .wandb(WandbSettings.builder().mode(WandbMode.DISABLED).build()).build()) {
      try (Run run = tracker.start(RunSpec.builder().project("mnistlab").name("kept-local").build())) {
        run.log(Map.of(MetricKeys.EPOCH, 1));
        return run.id();
      }
    }
  }

  @Test
  void aRunRecordedWithWandbDisabledIsUploadedOnlyWhenNamedOrWithIncludeDisabled() throws Exception {
    Path store = dir.resolve("runs.db");
    String runId = recordWithWandbDisabled(store);
    SweepToWandbTest.WandbStandIn wandb = new SweepToWandbTest.WandbStandIn();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb);
      server.start();
      savedEnvironment = CliEnvironment.replace(Map.of(
          "WANDB_API_KEY", SweepToWandbTest.KEY,
          "WANDB_BASE_URL", server.url("/").toString().replaceAll("/$", "")));
      CliRun list = CliRun.of("runs", "list", "--store", store.toString());
      assertThat(list.out()).containsPattern(runId + " .* finished +off ");

      CliRun all = CliRun.of("sync", "--store", store.toString(), "--timeout", "30");
      assertThat(all.exitCode()).as(all.out() + all.err()).isZero();
      assertThat(wandb.upserts).isEmpty();

      CliRun named = CliRun.of("sync", runId, "--store", store.toString(), "--timeout", "30");
      assertThat(named.exitCode()).as(named.out() + named.err()).isZero();
      assertThat(wandb.upserts).extracting(v -> v.path("name").asText()).contains(runId);
      assertThat(CliRun.of("runs", "list", "--store", store.toString()).out())
          .containsPattern(runId + " .* finished +uploaded ");
      assertThat(CliRun.of("runs", "show", runId, "--store", store.toString()).out())
          .containsPattern("W&B +uploaded http://");
    }
    Path second = dir.resolve("second.db");
    String other = recordWithWandbDisabled(second);
    SweepToWandbTest.WandbStandIn wandb2 = new SweepToWandbTest.WandbStandIn();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb2);
      server.start();
      CliEnvironment.replace(Map.of("WANDB_API_KEY", SweepToWandbTest.KEY,
          "WANDB_BASE_URL", server.url("/").toString().replaceAll("/$", "")));
      CliRun flagged = CliRun.of("sync", "--include-disabled", "--store", second.toString(),
          "--timeout", "30");
      assertThat(flagged.exitCode()).as(flagged.out() + flagged.err()).isZero();
      assertThat(wandb2.upserts).extracting(v -> v.path("name").asText()).contains(other);
    }
  }
}
