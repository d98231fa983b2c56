package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run id that already exists on W&B: refused by default, continued only when asked. */
class WandbResumeTest extends WandbStoreFixture {
  Tracker tracker(Map<String, String> env) {
    return Tracker.builder().store(store).environment(env).wandb(settings().build()).captureProvenance(false)
        .shutdownHook(false).build();
  }

  @Test
  void anExistingRemoteRunWithHistoryIsNotOverwrittenByDefault() {
    RemoteRun remote = wandb.existingRun("p", "reused01", 5);
    List<String> before = List.copyOf(remote.history);
    try (Tracker tracker = tracker(Map.of())) {
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("p").runId("reused01").build()))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining("run standin-user/p/reused01 already exists on W&B with 5 history lines")
          .hasMessageContaining("WANDB_RESUME=allow")
          .hasMessageContaining("choose a new run id");
    }
    assertThat(remote.history).containsExactlyElementsOf(before);
    assertThat(remote.upserts).isZero();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void resumeAllowContinuesHistoryStepsAndRuntimeAfterTheRemoteRunAndSyncFinishesItExactlyOnce()
      throws Exception {
    RemoteRun remote = wandb.existingRun("p", "resume01", 5); // steps 0..4, 5 s of runtime
    List<String> before = List.copyOf(remote.history);
    UploadStatus status;
    try (Tracker tracker = tracker(Map.of("WANDB_RESUME", "allow"))) {
      Run run = tracker.start(RunSpec.builder().project("p").runId("resume01").build());
      assertThat(run.spec().resume()).contains(ResumeMode.ALLOW);
      run.log(Map.of("loss", 0.3));
      assertThat(run.lastStep()).isEqualTo(5);
      Thread.sleep(300);
      wandb.outage(true); // the rest waits in the store
      run.log(Map.of("loss", 0.2));
      run.log(Map.of("loss", 0.1));
      status = run.close(Duration.ofMillis(500));
    }
    assertThat(status.complete()).isFalse();
    wandb.outage(false);
    SyncReport report = Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(10));

    assertThat(report.allComplete()).as(report.describe()).isTrue();
    assertThat(remote.history).hasSize(8);
    assertThat(remote.history.subList(0, 5)).containsExactlyElementsOf(before);
    for (int i = 5; i < 8; i++) {
      Map<String, Object> line = Json.readMap(remote.history.get(i));
      assertThat(line.get("_step")).isEqualTo((long) i);
      assertThat(((Number) line.get("_runtime")).doubleValue()).isGreaterThan(5.0);
    }
    assertThat(remote.complete).isTrue();
    assertThat(wandb.violations()).isEmpty(); // no gap, no line overwritten, steps increasing
    assertThat(store.history("resume01")).hasSize(3); // the store keeps this run's own lines
  }

  @Test
  void whenTheServerCannotSayWhetherTheRunExistsTheUpsertsAnswerStillKeepsItsHistory() {
    RemoteRun remote = wandb.existingRun("p", "reused02", 4);
    List<String> before = List.copyOf(remote.history);
    wandb.resumeStatusUnsupported(true);
    try (Tracker tracker = tracker(Map.of())) {
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("p").runId("reused02").build()))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining("already has 4 history lines on W&B that this store did not write");
    }
    assertThat(remote.history).containsExactlyElementsOf(before);
    assertThat(remote.fileStreamRequests).isZero();
  }

  @Test
  void resumeMustFailsClearlyWhenTheRunDoesNotExist() {
    try (Tracker tracker = tracker(Map.of())) {
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("p").runId("missing1")
          .resume(ResumeMode.MUST).build()))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining("WANDB_RESUME=must but W&B has no run standin-user/p/missing1");
    }
    assertThat(wandb.runs()).isEmpty();
  }

  @Test
  void resumeNeverRefusesAnExistingRunEvenWithoutHistory() {
    wandb.existingRun("p", "taken001", 0);
    try (Tracker tracker = tracker(Map.of("WANDB_RESUME", "never"))) {
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("p").runId("taken001").build()))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining("already exists on W&B and WANDB_RESUME=never");
    }
  }

  @Test
  void anInvalidResumeValueIsAClearError() {
    assertThatThrownBy(() -> RunSpec.builder().build().withEnvironmentDefaults(Map.of("WANDB_RESUME", "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("WANDB_RESUME must be allow, must, never or auto, was 'yes'");
  }
}
