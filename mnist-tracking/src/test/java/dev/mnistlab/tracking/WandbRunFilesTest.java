package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Run files (W&amp;B's Files and Overview tabs) are stored with the run, uploaded through
 * {@code CreateRunFiles} to the signed URL on another host with exactly the returned headers and
 * no W&amp;B key, then listed once in file_stream's {@code uploaded}.
 */
class WandbRunFilesTest extends WandbStoreFixture {
  Tracker tracker(WandbSettings s, boolean provenance) {
    return Tracker.builder().store(store).wandb(s).captureProvenance(provenance)
        .shutdownHook(false).systemMetricsInterval(Duration.ZERO).build();
  }

  @Test
  void metadataConfigDependenciesAndAUsersFileReachTheStorageHostWithoutTheKeyAndAreReportedOnce()
      throws Exception {
    String id;
    try (Tracker t = tracker(settings().build(), true)) {
      Run run = t.start(RunSpec.builder().project("files").config("lr", 0.01).build());
      run.log(Map.of("loss", 0.5));
      run.config(Map.of("batch_size", 64));
      run.file("model-summary.txt", "Dense(784 -> 10)\n".getBytes(StandardCharsets.UTF_8));
      run.finish(0);
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
      id = run.id();
    }
    RemoteRun remote = wandb.run("files", id);
    assertThat(remote.files).containsOnlyKeys("wandb-metadata.json", "config.yaml",
        "dependencies.txt", "model-summary.txt");
    Map<String, Object> metadata = Json.readMap(new String(remote.files.get("wandb-metadata.json"),
        StandardCharsets.UTF_8));
    assertThat(metadata).containsKeys("os", "java", "startedAt", "program", "args", "host",
        "cpu_count_logical", "memory");
    String config = new String(remote.files.get("config.yaml"), StandardCharsets.UTF_8);
    assertThat(config).startsWith("wandb_version: 1\n")
        .contains("\"lr\":\n  desc: null\n  value: 0.01\n")
        .contains("\"batch_size\":\n  desc: null\n  value: 64\n");
    assertThat(new String(remote.files.get("dependencies.txt"), StandardCharsets.UTF_8))
        .contains("com.squareup.okhttp3:okhttp:");
    assertThat(remote.files.get("model-summary.txt")).asString(StandardCharsets.UTF_8)
        .isEqualTo("Dense(784 -> 10)\n");
    // every uploaded version is reported exactly once (config.yaml changed: it may go twice)
    assertThat(remote.fileUploads).allSatisfy((name, puts) -> assertThat(
        remote.reportedFiles.stream().filter(name::equals).count()).as(name).isEqualTo((long) puts));
    assertThat(remote.fileUploads).containsEntry("wandb-metadata.json", 1)
        .containsEntry("dependencies.txt", 1).containsEntry("model-summary.txt", 1);
    assertThat(remote.complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aThousandSmallFilesAsATablesImagesAreAllUploadedWithinTheCloseTimeout() throws Exception {
    // 20 ms per PUT: one after the other that is 20 s; W&B's client uploads several at once
    wandb.storageLatency(Duration.ofMillis(20));
    String id;
    try (Tracker t = tracker(settings().build(), false)) {
      Run run = t.start(RunSpec.builder().project("files").build());
      for (int i = 0; i < 1000; i++) {
        run.file("media/images/digit_" + i + ".png", new byte[] {(byte) i, 1, 2, 3});
      }
      run.finish(0);
      long start = System.nanoTime();
      UploadStatus status = run.close(Duration.ofSeconds(60));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(status.complete()).as(status.toString()).isTrue();
      assertThat(seconds).as("seconds to upload 1,000 files").isLessThan(10);
      id = run.id();
    }
    RemoteRun remote = wandb.run("files", id);
    assertThat(remote.files.keySet().stream().filter(n -> n.startsWith("media/images/")))
        .hasSize(1000);
    remote.fileUploads.forEach((name, puts) -> {
      if (name.startsWith("media/images/")) {
        assertThat(puts).as(name).isEqualTo(1);
      }
    });
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void anOfflineRunsFilesAreUploadedBySyncExactlyOnce() throws Exception {
    String id;
    try (Tracker t = tracker(settings().mode(WandbMode.OFFLINE).build(), false)) {
      Run run = t.start(RunSpec.builder().project("files").build());
      run.file("notes/a.txt", new byte[] {1, 2, 3});
      run.close(Duration.ofSeconds(5));
      id = run.id();
    }
    Syncer syncer = Syncer.builder().store(store).wandb(settings().build()).build();
    assertThat(syncer.syncAll(Duration.ofSeconds(10)).allComplete()).isTrue();
    syncer.syncAll(Duration.ofSeconds(10));

    RemoteRun remote = wandb.run("files", id);
    assertThat(remote.files.get("notes/a.txt")).containsExactly(1, 2, 3);
    assertThat(remote.fileUploads).allSatisfy((name, puts) -> assertThat(puts).as(name).isEqualTo(1));
    assertThat(remote.reportedFiles).containsExactlyInAnyOrder("wandb-metadata.json",
        "config.yaml", "dependencies.txt", "notes/a.txt");
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aFailingStorageHostIsRetriedByTheUploadPolicyAndTheRunStillCompletes() throws Exception {
    wandb.failNextUploads(3);
    String id;
    try (Tracker t = tracker(settings().build(), false)) {
      Run run = t.start(RunSpec.builder().project("files").build());
      run.log(Map.of("loss", 0.5));
      run.finish(0);
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
      id = run.id();
    }
    RemoteRun remote = wandb.run("files", id);
    assertThat(remote.history).hasSize(1);
    assertThat(remote.files).containsKeys("wandb-metadata.json", "config.yaml", "dependencies.txt");
    assertThat(wandb.storageRequests()).isGreaterThanOrEqualTo(3 + 3);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aFileUploadThatGivesUpDoesNotHoldBackTheRunsFinishAndItsErrorIsKept() throws Exception {
    wandb.failNextUploads(1_000);
    String id;
    UploadStatus status;
    try (Tracker t = tracker(settings().maxRetries(2, 2).build(), false)) {
      Run run = t.start(RunSpec.builder().project("files").build());
      run.log(Map.of("loss", 0.5));
      run.finish(0);
      status = run.close(Duration.ofSeconds(5));
      id = run.id();
    }
    assertThat(status.complete()).isTrue();
    assertThat(status.lastError()).get().asString().contains("not uploaded").contains("503");
    RemoteRun remote = wandb.run("files", id);
    assertThat(remote.complete).isTrue();
    assertThat(remote.history).hasSize(1);
    assertThat(remote.files).isEmpty();
    assertThat(remote.reportedFiles).isEmpty();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aUserFileMayNotEscapeTheRunOrTakeAFileMnistlabWrites() {
    try (Tracker t = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = t.start(RunSpec.builder().project("files").build());
      assertThatThrownBy(() -> run.file("../x", new byte[0]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../x' is invalid");
      assertThatThrownBy(() -> run.file("/etc/x", new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> run.file("config.yaml", new byte[0]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("written by mnistlab");
      run.close();
    }
  }
}
