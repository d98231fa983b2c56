package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStandIn.Endpoint;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WandbStreamingTest {
  @TempDir Path dir;
  WandbStandIn wandb;
  LocalStore store;

  @BeforeEach
  void setUp() throws Exception {
    wandb = new WandbStandIn();
    store = LocalStore.open(dir.resolve("runs.db"));
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
    wandb.close();
  }

  WandbSettings.Builder settings() {
    return WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl())
        .transmitInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMillis(200))
        .retryWaits(Duration.ofMillis(10), Duration.ofMillis(100))
        .httpTimeout(Duration.ofSeconds(5)).startTimeout(Duration.ofSeconds(5));
  }

  Tracker tracker(WandbSettings s) {
    return Tracker.builder().store(store).wandb(s).captureProvenance(false).shutdownHook(false).build();
  }

  static Map<String, Object> metrics(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", i + 1);
    m.put("loss", 1.0 / (i + 1));
    m.put("val_accuracy", i % 7 == 3 ? Double.NaN : 0.9 + i / 1000.0);
    m.put("grad_norm", i == 5 ? Double.POSITIVE_INFINITY : (double) i);
    return m;
  }

  void assertServerHoldsExactlyTheStoredHistory(RemoteRun remote, String runId) throws Exception {
    List<HistoryRow> rows = store.history(runId);
    assertThat(remote.history).hasSize(rows.size());
    List<String> stored = store.jdbc().lines(runId, 0, Integer.MAX_VALUE, Long.MAX_VALUE).stream()
        .map(dev.mnistlab.tracking.internal.store.StoredLine::line).toList();
    assertThat(remote.history).containsExactlyElementsOf(stored);
  }

  @Test
  void streamsRunWithWrappedConfigHistorySummaryAndFinish() throws Exception {
    String runId;
    UploadStatus status;
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("mnist").name("cnn-basic").group("sweep-1")
          .jobType("train").tags("cnn", "test").notes("stand-in").config("lr", 0.01)
          .config("layers", List.of(64, 64)).config("optimizer", Map.of("name", "adam")).build());
      runId = run.id();
      assertThat(run.url()).contains(wandb.baseUrl() + "/" + WandbStandIn.DEFAULT_ENTITY + "/mnist/runs/" + runId);
      run.defineMetric("epoch", null);
      run.defineMetric("loss", "epoch");
      for (int i = 0; i < 25; i++) {
        run.log(metrics(i));
        if (i % 5 == 0) {
          Thread.sleep(20);
        }
      }
      run.summary("test_accuracy", 0.981);
      run.config(Map.of("seed", 7)); // a config change after start is re-sent with the run's storage id
      status = run.close(Duration.ofSeconds(20));
    }
    assertThat(status.complete()).as(status.describe()).isTrue();
    assertThat(wandb.violations()).isEmpty();
    assertThat(wandb.unauthorizedRequests()).isZero();
    RemoteRun remote = wandb.run("mnist", runId);
    assertThat(remote.complete).isTrue();
    assertThat(remote.exitCode).isZero();
    assertServerHoldsExactlyTheStoredHistory(remote, runId);
    assertThat(remote.history.get(3)).contains("NaN");
    assertThat(remote.history.get(5)).contains("Infinity");
    Map<String, Object> first = Json.readMap(remote.history.get(0));
    assertThat(first).containsKeys("_step", "_runtime", "_timestamp", "loss", "epoch");
    Map<String, Object> summary = Json.readMap(remote.summary);
    assertThat(summary).containsEntry("test_accuracy", 0.981).containsEntry("_step", 24L)
        .containsKey("_wandb");
    assertThat(remote.config).containsKey("lr");
    assertThat(remote.config.get("lr")).isEqualTo(Map.of("value", 0.01));
    assertThat(remote.config.get("layers")).isEqualTo(Map.of("value", List.of(64L, 64L)));
    assertThat(remote.config.get("seed")).isEqualTo(Map.of("value", 7L));
    assertThat(remote.upserts).isGreaterThanOrEqualTo(2);
    assertThat(remote.variables).containsEntry("id", remote.storageId);
    @SuppressWarnings("unchecked")
    Map<String, Object> internal = (Map<String, Object>) ((Map<String, Object>) remote.config.get("_wandb")).get("value");
    assertThat(internal).containsKey("t");
    assertThat(internal.get("m")).isEqualTo(List.of(Map.of("1", "epoch", "6", List.of(3L)),
        Map.of("1", "loss", "5", 1L, "6", List.of(3L))));
    assertThat(remote.upsertLog.get(0)).containsEntry("groupName", "sweep-1").containsEntry("jobType", "train")
        .containsEntry("displayName", "cnn-basic").containsEntry("notes", "stand-in")
        .containsEntry("tags", List.of("cnn", "test"));
    assertThat(remote.group).isEqualTo("sweep-1");
    assertThat(remote.tags).containsExactly("cnn", "test");
    // requests were batched, not one per log call
    assertThat(remote.fileStreamRequests).isLessThan(25);
    assertThat(store.run(runId).orElseThrow().wandbUrl()).isPresent();
  }

  @Test
  void survivesServerErrorsRateLimitsDroppedAndSlowResponsesWithoutGapsOrDuplicates() throws Exception {
    wandb.failNext(Endpoint.GRAPHQL, 500, null);
    wandb.failNext(Endpoint.FILE_STREAM, 500, null);
    wandb.failNext(Endpoint.FILE_STREAM, 429, "0");
    wandb.dropAfterProcessing(Endpoint.FILE_STREAM);
    wandb.failNext(Endpoint.FILE_STREAM, 502, null);
    wandb.slowNext(Endpoint.FILE_STREAM, Duration.ofMillis(1500));
    wandb.dropAfterProcessing(Endpoint.FILE_STREAM);
    String runId;
    UploadStatus status;
    try (Tracker tracker = tracker(settings().httpTimeout(Duration.ofMillis(700)).build())) {
      Run run = tracker.start(RunSpec.builder().project("faults").build());
      runId = run.id();
      for (int i = 0; i < 40; i++) {
        run.log(metrics(i));
        Thread.sleep(10);
      }
      status = run.close(Duration.ofSeconds(30));
    }
    assertThat(status.complete()).as(status.describe()).isTrue();
    assertThat(wandb.violations()).isEmpty();
    RemoteRun remote = wandb.run("faults", runId);
    assertServerHoldsExactlyTheStoredHistory(remote, runId);
    assertThat(remote.history).hasSize(40);
    assertThat(remote.complete).isTrue();
  }

  @Test
  void backlogAfterAnOutageAtStartIsSentInFullRequestsWithoutWaitingForTheInterval() throws Exception {
    wandb.outage(true);
    String runId;
    try (Tracker tracker = tracker(settings().transmitInterval(Duration.ofHours(1))
        .startTimeout(Duration.ofMillis(200)).build())) {
      Run run = tracker.start(RunSpec.builder().project("backlog").build()); // W&B down: continues locally
      runId = run.id();
      for (int i = 0; i < 25_000; i++) {
        run.log(Map.of("i", i));
      }
      store.flush(Duration.ofSeconds(30));
      wandb.outage(false);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while ((wandb.run("backlog", runId) == null || wandb.run("backlog", runId).history.size() < 25_000)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      RemoteRun remote = wandb.run("backlog", runId);
      assertThat(remote).isNotNull();
      assertThat(remote.history).hasSize(25_000);
      assertThat(remote.fileStreamRequests).isBetween(3, 4);
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
    }
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void sendsHeartbeatsWhileIdle() throws Exception {
    String runId;
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("idle").build());
      runId = run.id();
      run.log(Map.of("x", 1));
      Thread.sleep(900);
      run.close(Duration.ofSeconds(10));
    }
    assertThat(wandb.run("idle", runId).heartbeats).isGreaterThanOrEqualTo(2);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void badKeyFailsFastWithClearMessageAndRunIsMarkedFailedLocally() {
    WandbSettings s = settings().apiKey("wrong-key-0123456789012345678901234567890123").build();
    try (Tracker tracker = tracker(s)) {
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("p").runId("badkey1").build()))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining("rejected the API key")
          .hasMessageContaining("HTTP 401")
          .hasMessageNotContaining("wrong-key");
    }
    store.flush(Duration.ofSeconds(5));
    assertThat(store.run("badkey1").orElseThrow().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void unknownEntityFailsFastNamingTheEntity() {
    wandb.unknownEntity("nobody");
    try (Tracker tracker = tracker(settings().entity("nobody").build())) {
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("p").build()))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining("HTTP 404").hasMessageContaining("entity 'nobody'");
    }
  }

  @Test
  void runIdOfDeletedRunIsAClearErrorWithoutRetrying() {
    wandb.deletedRunId("reused01");
    long t0 = System.nanoTime();
    try (Tracker tracker = tracker(settings().retryWaits(Duration.ofSeconds(2), Duration.ofSeconds(60)).build())) {
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("p").runId("reused01").build()))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining("run id reused01 was used by a deleted run; choose a new id");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(wandb.requestLog().stream().filter(r -> r.startsWith("POST /graphql")
        && r.contains("\"operationName\":\"UpsertBucket\"")).count()).isEqualTo(1);
  }

  @Test
  void otherConflictsOnUpsertAreRetried() throws Exception {
    wandb.failNext(Endpoint.GRAPHQL, 409, null);
    String runId;
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("conflict").build());
      runId = run.id();
      run.log(Map.of("a", 1));
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
    }
    assertThat(wandb.run("conflict", runId).complete).isTrue();
  }

  @Test
  void closeIsBoundedDuringOutageAndSyncUploadsTheRestExactlyOnce() throws Exception {
    String runId;
    UploadStatus status;
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("outage").build());
      runId = run.id();
      for (int i = 0; i < 5; i++) {
        run.log(metrics(i));
      }
      Thread.sleep(300); // some lines are acknowledged before the outage
      wandb.outage(true);
      for (int i = 5; i < 12; i++) {
        run.log(metrics(i));
      }
      long t0 = System.nanoTime();
      status = run.close(Duration.ofMillis(800));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }
    assertThat(status.complete()).isFalse();
    assertThat(status.finishPending()).isTrue();
    assertThat(status.pendingHistoryLines()).isPositive();
    assertThat(status.describe()).contains("mnistlab sync");
    assertThat(store.run(runId).orElseThrow().state()).isEqualTo(RunState.FINISHED);

    wandb.outage(false);
    SyncReport report = Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(20));
    assertThat(report.allComplete()).as(report.describe()).isTrue();
    assertThat(report.results()).extracting(UploadStatus::runId).containsExactly(runId);
    RemoteRun remote = wandb.run("outage", runId);
    assertThat(remote.history).hasSize(12);
    assertServerHoldsExactlyTheStoredHistory(remote, runId);
    assertThat(remote.complete).isTrue();
    assertThat(remote.exitCode).isZero();
    assertThat(wandb.violations()).isEmpty();
    // a second sync has nothing to do
    SyncReport again = Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(5));
    assertThat(again.results()).isEmpty();
    assertThat(again.alreadyUploaded()).isEqualTo(1);
  }

  @Test
  void offlineRunsAreRecordedLocallyAndSyncedLater() throws Exception {
    Map<String, String> env = Map.of("WANDB_API_KEY", WandbStandIn.KEY, "WANDB_BASE_URL", wandb.baseUrl(),
        "WANDB_MODE", "offline", "WANDB_PROJECT", "offline-proj", "WANDB_RUN_GROUP", "g1",
        "WANDB_TAGS", "a, b", "WANDB_JOB_TYPE", "train", "WANDB_NAME", "nice-name");
    String runId;
    try (Tracker tracker = Tracker.builder().store(store).environment(env)
        .wandb(WandbSettings.fromEnvironment(env)).captureProvenance(false).shutdownHook(false).build()) {
      assertThat(tracker.streaming()).isFalse();
      Run run = tracker.start(RunSpec.builder().build());
      runId = run.id();
      assertThat(run.spec().project()).isEqualTo("offline-proj");
      assertThat(run.spec().tags()).containsExactly("a", "b");
      run.log(Map.of("loss", 0.5));
      run.close(Duration.ofSeconds(5));
    }
    assertThat(wandb.requestLog()).isEmpty();
    RunRecord rec = store.run(runId).orElseThrow();
    assertThat(rec.group()).contains("g1");
    assertThat(rec.jobType()).contains("train");
    assertThat(rec.name()).contains("nice-name");

    SyncReport report = Syncer.builder().store(store).wandb(WandbSettings.fromEnvironment(env)).build()
        .syncAll(Duration.ofSeconds(10));
    assertThat(report.allComplete()).isTrue();
    RemoteRun remote = wandb.run("offline-proj", runId);
    assertThat(remote.history).hasSize(1);
    assertThat(remote.complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }
}
