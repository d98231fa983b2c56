package dev.mnistlab.tracking.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's single writer: a daemon thread that drains a bounded queue and applies everything
 * it drained in one transaction, so callers ({@code Run.log()}) only enqueue and never wait for
 * the disk. The queue bounds memory; when it is full (the disk is more than {@code capacity} writes
 * behind) callers wait rather than lose data. While idle the writer refreshes the heartbeat of
 * active runs so other processes can tell live runs from crashed ones.
 */
public final class StoreWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
  static final int MAX_BATCH = 4096;
  static final long HEARTBEAT_MILLIS = 5_000;

  private final Connection connection;
  private final Dialect dialect;
  private final BlockingQueue<Item> queue;
  private final Thread thread;
  private final Set<String> activeRuns = ConcurrentHashMap.newKeySet();
  private final AtomicLong committedOps = new AtomicLong();
  private final AtomicLong failedOps = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private volatile boolean closing;

  private record Item(WriteOp op, CompletableFuture<Void> done) {}

  private static final WriteOp STOP = tx -> {};

  StoreWriter(Connection connection, Dialect dialect, int capacity, String name) throws SQLException {
    this.connection = connection;
    this.dialect = dialect;
    this.connection.setAutoCommit(false);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::loop, "mnistlab-store-writer-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Enqueues a write; returns at once unless the queue is full. */
  public void submit(WriteOp op) {
    enqueue(new Item(op, null));
  }

  /** Enqueues a write and returns a future completed once it is committed (or failed). */
  public CompletableFuture<Void> submitAndTrack(WriteOp op) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    enqueue(new Item(op, f));
    return f;
  }

  /** A future completed when everything enqueued before this call is committed. */
  public CompletableFuture<Void> flush() {
    return submitAndTrack(tx -> {});
  }

  /** Marks a run as alive (its heartbeat is refreshed while idle). */
  public void activate(String runId) {
    activeRuns.add(runId);
  }

  /** Stops refreshing a run's heartbeat. */
  public void deactivate(String runId) {
    activeRuns.remove(runId);
  }

  /** Writes committed so far. */
  public long committedOps() {
    return committedOps.get();
  }

  /** Writes that failed (each logged). */
  public long failedOps() {
    return failedOps.get();
  }

  /** The last write error, if any. */
  public String lastError() {
    return lastError.get();
  }

  /** Writes waiting in the queue. */
  public int backlog() {
    return queue.size();
  }

  private void enqueue(Item item) {
    if (closing && item.op() != STOP) {
      throw new IllegalStateException("the local store is closed");
    }
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the local store", e);
    }
  }

  private void loop() {
    List<Item> batch = new ArrayList<>();
    long lastHeartbeat = System.currentTimeMillis();
    boolean stop = false;
    while (!stop) {
      Item first;
      try {
        first = queue.poll(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      long now = System.currentTimeMillis();
      if (now - lastHeartbeat >= HEARTBEAT_MILLIS && !activeRuns.isEmpty()) {
        batch.add(new Item(this::heartbeat, null));
        lastHeartbeat = now;
      }
      if (first != null) {
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH);
      }
      for (Item it : batch) {
        if (it.op() == STOP) {
          stop = true;
        }
      }
      if (!batch.isEmpty()) {
        applyBatch(batch);
        batch.clear();
      }
    }
  }

  private void heartbeat(WriteTransaction tx) throws SQLException {
    PreparedStatement ps = tx.statement("UPDATE runs SET heartbeat_time = ? WHERE id = ?");
    long now = System.currentTimeMillis();
    for (String id : activeRuns) {
      ps.setLong(1, now);
      ps.setString(2, id);
      ps.executeUpdate();
    }
  }

  private void applyBatch(List<Item> batch) {
    try (WriteTransaction tx = new WriteTransaction(connection, dialect)) {
      for (Item it : batch) {
        it.op().apply(tx);
      }
      connection.commit();
      committedOps.addAndGet(batch.size());
      for (Item it : batch) {
        if (it.done() != null) {
          it.done().complete(null);
        }
      }
      return;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      LOG.debug("batch of {} writes failed ({}); retrying one by one", batch.size(), e.toString());
    }
    // Isolate the failing write so one bad record cannot take its neighbours down with it.
    for (Item it : batch) {
      try (WriteTransaction tx = new WriteTransaction(connection, dialect)) {
        it.op().apply(tx);
        connection.commit();
        committedOps.incrementAndGet();
        if (it.done() != null) {
          it.done().complete(null);
        }
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        failedOps.incrementAndGet();
        lastError.set(e.getMessage());
        LOG.error("local store write failed: {}", e.getMessage());
        if (it.done() != null) {
          it.done().completeExceptionally(e);
        }
      }
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback failed: {}", e.getMessage());
    }
  }

  /** Commits everything queued, stops the thread and closes the writer's connection. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    enqueue(new Item(STOP, null));
    try {
      thread.join(TimeUnit.MINUTES.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing the store connection failed: {}", e.getMessage());
    }
  }
}
