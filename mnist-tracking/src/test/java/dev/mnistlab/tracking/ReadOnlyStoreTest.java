package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mnistlab.tracking.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalStore#openReadOnly}: reading never creates, migrates or writes anything. */
class ReadOnlyStoreTest {
  @TempDir Path dir;

  private static String recordOneRun(Path db) {
    try (LocalStore store = LocalStore.open(db);
        Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project("ro").build());
      run.log(Map.of("loss", 0.5));
      run.log(Map.of("loss", 0.25));
      run.close(Duration.ofSeconds(10));
      return run.id();
    }
  }

  @Test
  void storeOnAReadOnlyMountIsReadWithEveryRow() throws Exception {
    Tmpfs tmpfs = Tmpfs.mount(dir.resolve("ro"), "8m");
    assumeTrue(tmpfs != null, "needs root to mount a tmpfs (CI runs as root)");
    try (tmpfs) {
      Path db = tmpfs.dir().resolve("s.db");
      String id = recordOneRun(db);
      tmpfs.remount(true);
      try (LocalStore store = LocalStore.openReadOnly(db.toString())) {
        assertThat(store.run(id).orElseThrow().state()).isEqualTo(RunState.FINISHED);
        assertThat(store.history(id)).hasSize(2);
        assertThatThrownBy(() -> store.markCrashedRuns(Duration.ZERO))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only");
      }
      // opening for writing says what is wrong instead of SQLITE_CANTOPEN alone
      assertThatThrownBy(() -> LocalStore.open(db)).isInstanceOf(TrackingException.class)
          .hasMessageContaining(db.toString());
      tmpfs.remount(false);
    }
  }

  @Test
  void readingCreatesNoFileAndNamesAMissingStore() throws Exception {
    Path db = dir.resolve("none.db");
    assertThatThrownBy(() -> LocalStore.openReadOnly(db.toString()))
        .isInstanceOf(TrackingException.class)
        .hasMessageContaining(db.toString()).hasMessageContaining("no run store here");
    assertThat(db).doesNotExist();

    Path existing = dir.resolve("s.db");
    String id = recordOneRun(existing);
    long before = Files.getLastModifiedTime(existing).toMillis();
    try (LocalStore store = LocalStore.openReadOnly(existing.toString())) {
      assertThat(store.runs(RunQuery.builder().build())).extracting(RunRecord::id).containsExactly(id);
    }
    // the store file itself is untouched (SQLite may leave an empty -wal/-shm next to it)
    assertThat(Files.getLastModifiedTime(existing).toMillis()).isEqualTo(before);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("none.db");
    }
  }

  @Test
  void aFileThatIsNotAStoreIsRefusedByName() throws Exception {
    Path notAStore = dir.resolve("notes.db");
    Files.writeString(notAStore, "hello");
    assertThatThrownBy(() -> LocalStore.openReadOnly(notAStore.toString()))
        .isInstanceOf(TrackingException.class).hasMessageContaining(notAStore.toString());
    assertThat(Files.readString(notAStore)).isEqualTo("hello");
  }
}
