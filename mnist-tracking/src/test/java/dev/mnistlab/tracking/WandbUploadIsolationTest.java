package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Uploads never block training: a storage host that answers a PUT only after seconds delays no
 * history line, and a file or artifact whose upload gave up is listed as pending, reported by the
 * close status, and uploaded by a later {@code sync}.
 */
class WandbUploadIsolationTest extends WandbStoreFixture {
  @Test
  void historyKeepsFlowingWhileAFileUploadHangs() throws Exception {
    wandb.stallNextUploads(1, Duration.ofSeconds(3));
    try (Tracker t = tracker(settings().build())) {
      Run run = t.start(RunSpec.builder().project("iso").build());
      run.file("model-summary.txt", "Dense".getBytes(StandardCharsets.UTF_8));
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        run.log(Map.of("loss", 1.0 / (i + 1)));
        Thread.sleep(50);
      }
      RemoteRun remote = wandb.run("iso", run.id());
      long deadline = System.nanoTime() + 2_000_000_000L;
      while (remote.history.size() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(remote.history).as("history lines on W&B after %.2f s", seconds).hasSize(5);
      assertThat(wandb.storageRequests()).as("a PUT is hanging").isPositive();
      assertThat(remote.fileUploads).as("the first PUT is still hanging").hasSizeLessThan(4);
      assertThat(seconds).isLessThan(2.0);
      assertThat(run.close(Duration.ofSeconds(20)).complete()).isTrue();
      assertThat(remote.files).containsKeys("model-summary.txt", "wandb-metadata.json");
    }
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void anUploadThatGaveUpIsPendingInTheStoreAndUploadedByALaterSync() throws Exception {
    wandb.failNextUploads(1_000);
    String id;
    UploadStatus closed;
    try (Tracker t = tracker(settings().maxRetries(2, 2).build())) {
      Run run = t.start(RunSpec.builder().project("iso").build());
      run.file("notes.txt", "n".getBytes(StandardCharsets.UTF_8));
      run.artifact(Artifact.builder("m", "model").file("model.zip", new byte[] {1, 2}).build());
      run.log(Map.of("loss", 0.5));
      closed = run.close(Duration.ofSeconds(10));
      id = run.id();
    }
    assertThat(closed.complete()).isTrue();
    assertThat(closed.describe()).contains("not uploaded").contains("mnistlab sync");
    assertThat(store.pendingUploads(id)).anySatisfy(p -> assertThat(p).startsWith("run file notes.txt: not uploaded")
        .contains("attempt").contains("503"))
        .anySatisfy(p -> assertThat(p).startsWith("artifact m (model): not committed"));
    assertThat(wandb.run("iso", id).files).doesNotContainKey("notes.txt");

    wandb.failNextUploads(0);
    SyncReport report = Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(10));
    assertThat(report.allComplete()).isTrue();
    assertThat(store.pendingUploads(id)).isEmpty();
    RemoteRun remote = wandb.run("iso", id);
    assertThat(remote.files).containsKey("notes.txt");
    assertThat(remote.fileUploads).containsEntry("notes.txt", 1);
    assertThat(wandb.artifacts.versions("iso", "m")).singleElement()
        .satisfies(v -> assertThat(v.state).isEqualTo("COMMITTED"));
    // nothing is left: a further sync finds the run already uploaded
    assertThat(Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(10)).alreadyUploaded()).isEqualTo(1);
    assertThat(wandb.violations()).isEmpty();
  }
}
