package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.store.JdbcStore;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server that accepts and never answers bounds nothing but its own upload. */
class WandbTimeoutTest extends WandbStoreFixture {
  /** W&B's own HTTP timeout (180 s): only the deadlines may cut it. */
  WandbSettings.Builder silent() {
    return settings().httpTimeout(Duration.ofSeconds(180));
  }

  @Test
  void startReturnsWithinItsLimitWhenTheServerNeverAnswersAndTheRunGoesOnLocally() throws Exception {
    wandb.neverAnswer(true);
    String runId;
    try (Tracker tracker = Tracker.builder().store(store)
        .wandb(silent().startTimeout(Duration.ofSeconds(1)).build())
        .captureProvenance(false).shutdownHook(false).build()) {
      long t0 = System.nanoTime();
      Run run = tracker.start(RunSpec.builder().project("silent").build());
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      runId = run.id();
      store.flush(Duration.ofSeconds(5));
      assertThat(store.jdbc().cursor(runId, JdbcStore.WANDB_SINK).orElseThrow().lastError())
          .contains("recorded locally").contains("mnistlab sync");
      for (int i = 0; i < 4; i++) {
        run.log(Map.of("loss", 1.0 / (i + 1)));
      }
      long t1 = System.nanoTime();
      UploadStatus status = run.close(Duration.ofSeconds(1));
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(4));
      assertThat(status.complete()).isFalse();
      assertThat(status.describe()).contains("mnistlab sync");
    }
    assertThat(store.history(runId)).hasSize(4);

    wandb.neverAnswer(false);
    SyncReport report = Syncer.builder().store(store).wandb(silent().build()).build()
        .syncAll(Duration.ofSeconds(10));
    assertThat(report.allComplete()).as(report.describe()).isTrue();
    assertThat(wandb.run("silent", runId).history).hasSize(4);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void syncTimeoutBoundsTheWholeSyncAgainstAServerThatNeverAnswers() throws Exception {
    String runId;
    try (Tracker tracker = Tracker.builder().store(store)
        .wandb(silent().mode(WandbMode.OFFLINE).build())
        .captureProvenance(false).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project("later").build());
      runId = run.id();
      run.log(Map.of("loss", 0.5));
      run.close(Duration.ofSeconds(5));
    }
    wandb.neverAnswer(true);
    long t0 = System.nanoTime();
    SyncReport report = Syncer.builder().store(store).wandb(silent().build()).build()
        .syncAll(Duration.ofSeconds(2));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(report.allComplete()).isFalse();

    wandb.neverAnswer(false);
    SyncReport later = Syncer.builder().store(store).wandb(silent().build()).build()
        .syncAll(Duration.ofSeconds(10));
    assertThat(later.allComplete()).as(later.describe()).isTrue();
    assertThat(wandb.run("later", runId).history).hasSize(1);
    assertThat(wandb.violations()).isEmpty();
  }
}
