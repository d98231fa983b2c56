package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLifecycleTest {
  @TempDir Path dir;
  LocalStore store;
  Tracker tracker;

  @BeforeEach
  void setUp() {
    store = LocalStore.open(dir.resolve("runs.db"));
    tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build();
  }

  @AfterEach
  void tearDown() {
    tracker.close();
    store.close();
  }

  @Test
  void stepsCountFromZeroAndExplicitStepsMustIncrease() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    run.log(Map.of("a", 1));
    run.log(10, Map.of("a", 2));
    run.log(Map.of("a", 3));
    assertThatThrownBy(() -> run.log(11, Map.of("a", 4)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not greater than the last logged step 11");
    assertThat(run.lastStep()).isEqualTo(11);
    run.close(Duration.ofSeconds(5));
    assertThat(store.history(run.id())).extracting(HistoryRow::step).containsExactly(0L, 10L, 11L);
  }

  @Test
  void rejectsReservedKeysAndUnsupportedValues() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    assertThatThrownBy(() -> run.log(Map.of("_step", 1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'_step'");
    assertThatThrownBy(() -> run.log(Map.of("x", new Object()))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value of 'x' has unsupported type");
    run.log(Map.of("nested", Map.of("a", List.of(1, 2)), "arr", new double[] {1.5, 2.5}));
    run.close(Duration.ofSeconds(5));
    assertThat(store.history(run.id()).get(0).values()).containsEntry("arr", List.of(1.5, 2.5))
        .containsEntry("nested", Map.of("a", List.of(1L, 2L)));
  }

  @Test
  void loggingAfterFinishIsAnError() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    run.finish(0);
    assertThatThrownBy(() -> run.log(Map.of("a", 1))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is finished");
    assertThat(run.close(Duration.ofSeconds(5))).isEqualTo(run.close(Duration.ofSeconds(5)));
  }

  @Test
  void failureRecordsTheErrorAndExitCode() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    run.fail(new IllegalStateException("out of memory in epoch 3"));
    UploadStatus st = run.close(Duration.ofSeconds(5));
    assertThat(st.remoteEnabled()).isFalse();
    RunRecord rec = store.run(run.id()).orElseThrow();
    assertThat(rec.state()).isEqualTo(RunState.FAILED);
    assertThat(rec.exitCode()).hasValue(1);
    assertThat(rec.error()).contains("IllegalStateException: out of memory in epoch 3");
  }

  @Test
  void closingTheTrackerInterruptsRunsStillOpen() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    run.log(Map.of("a", 1));
    tracker.close();
    RunRecord rec = store.run(run.id()).orElseThrow();
    assertThat(rec.state()).isEqualTo(RunState.INTERRUPTED);
    assertThat(rec.exitCode()).hasValue(130);
    assertThat(rec.historyLines()).isEqualTo(1);
  }

  @Test
  void closeWithoutFinishFinishesSuccessfully() {
    String id;
    try (Run run = tracker.start(RunSpec.builder().project("p").build())) {
      id = run.id();
      run.summary(Map.of("best", 0.9));
    }
    RunRecord rec = store.run(id).orElseThrow();
    assertThat(rec.state()).isEqualTo(RunState.FINISHED);
    assertThat(rec.exitCode()).hasValue(0);
    assertThat(store.summary(id)).containsEntry("best", 0.9);
  }

  @Test
  void aStepAboveWandbsLineLimitKeepsItsOffsetButIsReplacedByAMarker() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    run.log(Map.of("a", 1));
    run.log(Map.of("huge", "x".repeat(11 * 1024 * 1024)));
    run.log(Map.of("a", 3));
    run.close(Duration.ofSeconds(30));
    List<HistoryRow> rows = store.history(run.id());
    assertThat(rows).extracting(HistoryRow::step).containsExactly(0L, 1L, 2L);
    assertThat(rows.get(1).values()).containsEntry("mnistlab_oversize_line_dropped", true)
        .doesNotContainKey("huge");
  }

  @Test
  void runsOfThisProcessAreNeverMarkedCrashed() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    assertThat(store.markCrashedRuns(Duration.ZERO)).isEmpty();
    run.close(Duration.ofSeconds(5));
  }

  @Test
  void generatedRunIdsLookLikeWandbIds() {
    Run run = tracker.start(RunSpec.builder().project("p").build());
    assertThat(run.id()).matches("[a-z0-9]{8}");
    run.close(Duration.ofSeconds(5));
  }
}
