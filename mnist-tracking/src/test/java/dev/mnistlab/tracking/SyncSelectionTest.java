package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `mnistlab sync` uploads the runs recorded for W&B; a run kept off W&B stays off unless named. */
class SyncSelectionTest extends WandbStoreFixture {
  String record(WandbMode mode) {
    try (Tracker t = Tracker.builder().store(store).wandb(settings().mode(mode).build())
        .captureProvenance(false).shutdownHook(false).build()) {
      Run run = t.start(RunSpec.builder().project("sel").build());
      run.log(Map.of("loss", 0.5));
      run.close(Duration.ofSeconds(5));
      return run.id();
    }
  }

  Syncer.Builder syncer() {
    return Syncer.builder().store(store).wandb(settings().build());
  }

  @Test
  void syncAllUploadsOfflineRunsButLeavesRunsRecordedWithWandbDisabled() throws Exception {
    String offline = record(WandbMode.OFFLINE);
    String disabled = record(WandbMode.DISABLED);
    assertThat(store.run(offline).orElseThrow().wandbState()).isEqualTo(WandbState.PENDING);
    assertThat(store.run(disabled).orElseThrow().wandbState()).isEqualTo(WandbState.OFF);

    SyncReport report = syncer().build().syncAll(Duration.ofSeconds(10));

    assertThat(report.results()).extracting(UploadStatus::runId).containsExactly(offline);
    assertThat(wandb.run("sel", offline)).isNotNull();
    assertThat(wandb.run("sel", disabled)).isNull();
    assertThat(store.run(offline).orElseThrow().wandbState()).isEqualTo(WandbState.UPLOADED);
    assertThat(store.run(disabled).orElseThrow().wandbState()).isEqualTo(WandbState.OFF);
  }

  @Test
  void aRunRecordedWithWandbDisabledIsUploadedWhenNamed() throws Exception {
    String disabled = record(WandbMode.DISABLED);
    SyncReport report = syncer().build().sync(List.of(disabled), Duration.ofSeconds(10));
    assertThat(report.allComplete()).as(report.describe()).isTrue();
    assertThat(wandb.run("sel", disabled).history).hasSize(1);
  }

  @Test
  void aRunRecordedWithWandbDisabledIsUploadedWithTheExplicitFlag() throws Exception {
    String disabled = record(WandbMode.DISABLED);
    SyncReport report = syncer().includeRunsWithoutWandb(true).build().syncAll(Duration.ofSeconds(10));
    assertThat(report.results()).extracting(UploadStatus::runId).containsExactly(disabled);
    assertThat(wandb.run("sel", disabled).complete).isTrue();
  }
}
