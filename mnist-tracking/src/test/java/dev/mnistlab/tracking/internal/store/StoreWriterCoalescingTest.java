package dev.mnistlab.tracking.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.RunState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logger called every few milliseconds (a training loop's batches) shares transactions instead
 * of paying a commit and an fsync per call, and a write someone waits for is not held back.
 */
class StoreWriterCoalescingTest {
  @TempDir Path dir;

  private static StoredRun run(String id) {
    long now = System.currentTimeMillis();
    return new StoredRun(id, "p", null, null, null, List.of(), null, RunState.RUNNING, null, null,
        now, null, now, "host", ProcessHandle.current().pid(), 0, null, 0, 0, "{}");
  }

  @Test
  void rowsLoggedEveryFewMillisecondsShareTransactionsAndAreAllCommitted() throws Exception {
    try (JdbcStore store = JdbcStore.open(dir.resolve("c.db").toString())) {
      store.insertRun(run("r1"), Map.of()).get(10, TimeUnit.SECONDS);
      long before = store.writer().transactions();
      for (int i = 0; i < 60; i++) {
        store.appendHistory("r1", i, i, i * 0.01, i, Map.of("loss", 1.0 / (i + 1)));
        Thread.sleep(5);
      }
      store.flush().get(10, TimeUnit.SECONDS);
      long used = store.writer().transactions() - before;
      assertThat(store.history("r1")).hasSize(60);
      // 60 rows over >= 300 ms in windows of 200 ms: a handful of commits, not 60
      assertThat(used).isBetween(1L, 10L);
    }
  }

  @Test
  void aFlushEndsTheGatheringWindowAtOnce() throws Exception {
    try (JdbcStore store = JdbcStore.open(dir.resolve("f.db").toString())) {
      store.insertRun(run("r2"), Map.of()).get(10, TimeUnit.SECONDS);
      store.appendHistory("r2", 0, 0, 0, 0, Map.of("loss", 1.0)); // opens a window
      long start = System.nanoTime();
      store.flush().get(10, TimeUnit.SECONDS);
      double millis = (System.nanoTime() - start) / 1e6;
      assertThat(store.history("r2")).hasSize(1);
      assertThat(millis).as("ms until the flush returned").isLessThan(
          StoreWriter.COALESCE_MILLIS * 0.75);
    }
  }
}
