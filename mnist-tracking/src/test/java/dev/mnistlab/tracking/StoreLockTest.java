package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.tracking.testing.ChildJvm;
import dev.mnistlab.tracking.testing.LockHolder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process holds the SQLite store locked ({@code BEGIN EXCLUSIVE} in a child JVM) while a
 * run logs: writes wait for it and lose nothing, and a lock that outlasts the lock timeout fails
 * the run loudly instead of dropping rows.
 */
class StoreLockTest {
  @TempDir Path dir;

  private static void logSteps(Run run, int from, int to) {
    for (int i = from; i < to; i++) {
      run.log(Map.of("i", i, "loss", 1.0 / (i + 1)));
    }
  }

  @Test
  void writesWaitForALockHeldLongerThanTheBusyTimeoutAndNoRowIsLost() throws Exception {
    Path db = dir.resolve("s.db");
    String id;
    try (LocalStore store = LocalStore.open(db.toString(), Duration.ofSeconds(60));
        Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project("lock").build());
      id = run.id();
      logSteps(run, 0, 5);
      store.flush(Duration.ofSeconds(30));
      // held for 3 s: three times SQLite's per-statement busy timeout of 1 s
      try (ChildJvm holder = ChildJvm.start(LockHolder.class, db.toString(), "3000")) {
        holder.awaitLine("LOCKED");
        logSteps(run, 5, 10);
        run.summary("test_accuracy", 0.9);
        run.close(Duration.ofSeconds(60));
        assertThat(holder.exitCode(30)).isZero();
      }
    }
    try (LocalStore store = LocalStore.open(db)) {
      RunRecord rec = store.run(id).orElseThrow();
      assertThat(rec.state()).isEqualTo(RunState.FINISHED);
      assertThat(store.history(id)).extracting(HistoryRow::line)
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(store.summary(id)).containsEntry("test_accuracy", 0.9);
    }
  }

  @Test
  void lockHeldPastTheLockTimeoutFailsTheRunInsteadOfDroppingTheRow() throws Exception {
    Path db = dir.resolve("s.db");
    String id;
    try (ChildJvm holder = ChildJvm.start(LockHolder.class, db.toString(), "600000")) {
      LocalStore store = LocalStore.open(db.toString(), Duration.ofSeconds(2));
      Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build();
      Run run = tracker.start(RunSpec.builder().project("lock").build());
      id = run.id();
      logSteps(run, 0, 3);
      store.flush(Duration.ofSeconds(30));
      holder.awaitLine("LOCKED");
      logSteps(run, 3, 6);
      assertThatThrownBy(() -> run.close(Duration.ofSeconds(30)))
          .isInstanceOf(TrackingException.class)
          .hasMessageContaining(db.toString())
          .hasMessageContaining("locked by another process");
      assertThatThrownBy(() -> run.log(Map.of("i", 99))).isInstanceOf(TrackingException.class)
          .hasMessageContaining("could not record a write");
      assertThatThrownBy(() -> tracker.start(RunSpec.builder().project("lock").build()))
          .isInstanceOf(TrackingException.class);
      tracker.close();
      holder.kill();
      assertThatThrownBy(store::close).isInstanceOf(TrackingException.class)
          .hasMessageContaining(db.toString());
    }
    try (LocalStore store = LocalStore.open(db)) {
      RunRecord rec = store.run(id).orElseThrow();
      // never "finished": once the lock is gone the run is marked failed with the reason, and
      // what was kept has no gap
      assertThat(rec.state()).isEqualTo(RunState.FAILED);
      assertThat(rec.error()).hasValueSatisfying(e -> assertThat(e).contains("locked by another process"));
      List<HistoryRow> history = store.history(id);
      assertThat(history).extracting(HistoryRow::line).containsExactly(0L, 1L, 2L);
      assertThat(rec.historyLines()).isEqualTo(3);
    }
  }
}
