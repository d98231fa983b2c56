package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the server signals and expects beyond data: heartbeats, stop, request size, the config
 * record's shape, and upserts that leave people's edits alone.
 */
class WandbServerSignalsTest extends WandbStoreFixture {
  @Test
  void heartbeatsStartWithTheRunNotWithItsFirstLog() throws Exception {
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("hb").build());
      Thread.sleep(900); // a long first epoch: nothing logged yet
      RemoteRun remote = wandb.run("hb", run.id());
      assertThat(remote.history).isEmpty();
      assertThat(remote.heartbeats).isGreaterThanOrEqualTo(2);
      run.log(Map.of("loss", 0.5));
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
    }
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void stopFromWandbReachesTheRunWhichEndsAsStoppedAndCompletesItsUpload() throws Exception {
    String runId;
    UploadStatus status;
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("stop").build());
      runId = run.id();
      CountDownLatch told = new CountDownLatch(1);
      run.onStopRequested(told::countDown);
      assertThat(run.isStopRequested()).isFalse();
      wandb.requestStop("stop", runId);
      int epochs = 0;
      // a training loop that honours the stop at its epoch boundary
      while (!run.isStopRequested() && epochs < 200) {
        run.log(Map.of("epoch", ++epochs, "loss", 1.0 / epochs));
        Thread.sleep(20);
      }
      assertThat(told.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(run.isStopRequested()).isTrue();
      assertThat(epochs).isLessThan(200);
      run.summary("test_accuracy", 0.9);
      run.finish(0);
      status = run.close(Duration.ofSeconds(10));
    }
    assertThat(status.complete()).as(status.describe()).isTrue();
    assertThat(store.run(runId).orElseThrow().state()).isEqualTo(RunState.STOPPED);
    RemoteRun remote = wandb.run("stop", runId);
    assertThat(remote.complete).isTrue();
    assertThat(remote.exitCode).isZero();
    assertThat(Json.readMap(remote.summary)).containsEntry("test_accuracy", 0.9);
    assertThat(remote.history).hasSize(store.history(runId).size());
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aRequestTooLargeForTheServerIsSplitInsteadOfStallingTheUpload() throws Exception {
    wandb.maxRequestBytes(3000);
    String runId;
    UploadStatus status;
    try (Tracker tracker = tracker(settings().transmitInterval(Duration.ofHours(1)).build())) {
      Run run = tracker.start(RunSpec.builder().project("big").build());
      runId = run.id();
      for (int i = 0; i < 60; i++) {
        run.log(Map.of("text", "x".repeat(100), "i", i)); // ~160 bytes a line, ~10 kB together
      }
      status = run.close(Duration.ofSeconds(10));
    }
    assertThat(status.complete()).as(status.describe()).isTrue();
    assertThat(wandb.tooLargeRequests()).isPositive();
    RemoteRun remote = wandb.run("big", runId);
    assertThat(remote.history).hasSize(60);
    assertThat(remote.complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void theRequestSizeCapCountsUtf8BytesNotCharacters() throws Exception {
    // three lines of 1.5 M two-byte characters: 3 MB each in UTF-8; a 4 Mi cap in characters would
    // put two (6 MB) in one request, over this server's 5 MiB limit
    wandb.maxRequestBytes(5L * 1024 * 1024);
    String runId;
    try (Tracker tracker = tracker(settings().mode(WandbMode.OFFLINE).build())) {
      Run run = tracker.start(RunSpec.builder().project("utf8").build());
      runId = run.id();
      for (int i = 0; i < 3; i++) {
        run.log(Map.of("text", "é".repeat(1_500_000)));
      }
      run.log(Map.of("text", "short")); // keeps the summary small
      run.close(Duration.ofSeconds(30));
    }
    SyncReport report = Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(30));

    assertThat(report.allComplete()).as(report.describe()).isTrue();
    assertThat(wandb.tooLargeRequests()).isZero();
    assertThat(wandb.run("utf8", runId).history).hasSize(4);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aSummaryTooLargeToTravelWithALineIsSentInARequestOfItsOwn() throws Exception {
    wandb.maxRequestBytes(5L * 1024 * 1024);
    String runId;
    try (Tracker tracker = tracker(settings().mode(WandbMode.OFFLINE).build())) {
      Run run = tracker.start(RunSpec.builder().project("sum").build());
      runId = run.id();
      run.log(Map.of("text", "é".repeat(1_500_000))); // the summary repeats it: 6 MB together
      run.close(Duration.ofSeconds(30));
    }
    SyncReport report = Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(30));

    assertThat(report.allComplete()).as(report.describe()).isTrue();
    RemoteRun remote = wandb.run("sum", runId);
    assertThat(remote.history).hasSize(1);
    assertThat(remote.summary).contains("ééé");
    assertThat(remote.complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void configCarriesStartTimeInSecondsAnEnvironmentRecordAndProvenanceAsOrdinaryKeys() throws Exception {
    long before = System.currentTimeMillis() / 1000;
    String runId;
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("cfg").config("lr", 0.1).build());
      runId = run.id();
      run.provenance(Provenance.builder().git("0123abcd", false).java("17.0.9", "Eclipse")
          .os("Linux-6.1-amd64").cpu("test cpu", 8).hostName("box").program("mnistlab train")
          .extra("dataset", "mnist").extra("dataset_checksums", Map.of("train", "sha256:aa"))
          .extra("sweep_config", "a large text").build());
      run.log(Map.of("loss", 0.1));
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
    }
    RemoteRun remote = wandb.run("cfg", runId);
    Map<String, Object> internal = (Map<String, Object>) ((Map<String, Object>) remote.config.get("_wandb")).get("value");
    assertThat(((Number) internal.get("start_time")).doubleValue())
        .isBetween((double) before - 1, System.currentTimeMillis() / 1000.0 + 1);
    Map<String, Object> env = (Map<String, Object>) internal.get("e");
    assertThat(env).hasSize(1);
    Map<String, Object> record = (Map<String, Object>) env.values().iterator().next();
    assertThat(record).containsEntry("os", "Linux-6.1-amd64").containsEntry("host", "box")
        .containsEntry("program", "mnistlab train").containsKeys("startedAt", "java", "cpu_count_logical")
        .containsEntry("git", Map.of("commit", "0123abcd"));
    Map<String, Object> shown = (Map<String, Object>) ((Map<String, Object>) remote.config.get("provenance")).get("value");
    assertThat(shown).containsEntry("commit", "0123abcd").containsEntry("dataset", "mnist")
        .containsEntry("dataset_checksums", Map.of("train", "sha256:aa"))
        .containsKey("mnistlab_version").doesNotContainKey("sweep_config");
    assertThat(remote.variables).containsEntry("commit", "0123abcd").containsEntry("host", "box");
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void laterUpsertsLeaveTagsAndNotesEditedInTheUiAloneAndNeverSendEmptyTags() throws Exception {
    String runId;
    try (Tracker tracker = tracker(settings().build())) {
      Run run = tracker.start(RunSpec.builder().project("edit").name("first").build());
      runId = run.id();
      wandb.editInUi("edit", runId, List.of("promising"), "looks good");
      run.config(Map.of("seed", 7)); // re-upserted while the run goes on
      run.log(Map.of("loss", 0.1));
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
    }
    RemoteRun remote = wandb.run("edit", runId);
    assertThat(remote.upserts).isGreaterThanOrEqualTo(2);
    assertThat(remote.tags).containsExactly("promising");
    assertThat(remote.notes).isEqualTo("looks good");
    assertThat(remote.displayName).isEqualTo("first");
    assertThat(remote.config.get("seed")).isEqualTo(Map.of("value", 7L));
    assertThat(remote.upsertLog).noneMatch(v -> v.containsKey("tags"));
    assertThat(remote.upsertLog.subList(1, remote.upsertLog.size()))
        .allSatisfy(v -> assertThat(v).doesNotContainKeys("notes", "displayName", "groupName", "jobType"));
    assertThat(wandb.violations()).isEmpty();
  }
}
