package dev.mnistlab.tracking.internal.store;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Waiting for a database another connection holds locked: exponential backoff from 10 ms up to
 * {@code maxMillis} between tries, until the lock timeout. What counts as "locked" is {@link
 * StoreWriter#isLocked}.
 */
final class LockWait {
  private final long deadlineNanos;
  private final long maxMillis;
  private long nextMillis = 10;

  LockWait(Duration timeout, long maxMillis) {
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    this.maxMillis = maxMillis;
  }

  /** True once the lock timeout has passed. */
  boolean expired() {
    return System.nanoTime() >= deadlineNanos;
  }

  /** The next pause, in milliseconds. */
  long nextMillis() {
    return nextMillis;
  }

  /**
   * Sleeps before the next try.
   *
   * @throws SQLException if interrupted (the interrupt flag is kept)
   */
  void pause() throws SQLException {
    try {
      Thread.sleep(nextMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a locked store", e);
    }
    nextMillis = Math.min(maxMillis, nextMillis * 2);
  }
}
