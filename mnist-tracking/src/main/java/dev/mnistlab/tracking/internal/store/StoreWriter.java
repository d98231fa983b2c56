package dev.mnistlab.tracking.internal.store;

import dev.mnistlab.tracking.TrackingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * behind) callers wait rather than lose data. A write is never dropped: a locked store is waited
 * for, and a write that cannot succeed (full disk, I/O error) fails the store for good, which every
 * run using it then reports (see {@link #checkHealthy()}). While idle the writer refreshes the heartbeat of
 * active runs so other processes can tell live runs from crashed ones.
 *
 * <p>Writes nobody waits for ({@link #submit}: history rows, console lines, system samples) are
 * gathered for up to {@value #COALESCE_MILLIS} ms before they are committed: a logger called every
 * training batch then costs one transaction (and one {@code fsync}) per window, not per call — on
 * this project's 2-core benchmark machine each single-row commit took about 0.8 ms of CPU from
 * training. A write someone waits for ({@link #submitAndTrack}, {@link #flush()}, close) ends the
 * window at once. Nothing is lost by waiting: an enqueued write is committed as before, only later.
 */
public final class StoreWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
  static final int MAX_BATCH = 4096;
  static final long HEARTBEAT_MILLIS = 5_000;
  /** How long writes nobody waits for are gathered before one transaction commits them. */
  static final long COALESCE_MILLIS = 200;

  private final Connection connection;
  private final Dialect dialect;
  private final BlockingQueue<Item> queue;
  private final Thread thread;
  private final Set<String> activeRuns = ConcurrentHashMap.newKeySet();
  private final Set<String> recording = ConcurrentHashMap.newKeySet();
  private final Set<String> unmarkedFailedRuns = ConcurrentHashMap.newKeySet();
  private final AtomicLong committedOps = new AtomicLong();
  private final AtomicLong failedOps = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final String location;
  private final String ownerToken = java.util.UUID.randomUUID().toString();
  /** Owner tokens of the writers open in this JVM (a claim of a closed one is free). */
  private static final Set<String> OPEN_TOKENS = ConcurrentHashMap.newKeySet();
  private final Duration lockTimeout;
  private volatile boolean closing;
  /** Set when a write someone waits for is enqueued: it ends the gathering window. */
  private volatile boolean urgent;
  private final AtomicLong transactions = new AtomicLong();
  private volatile TrackingException failure;

  private record Item(WriteOp op, CompletableFuture<Void> done) {}

  private static final WriteOp STOP = tx -> {};

  StoreWriter(Connection connection, Dialect dialect, int capacity, String name, String location,
      Duration lockTimeout) throws SQLException {
    this.connection = connection;
    this.dialect = dialect;
    this.location = location;
    this.lockTimeout = lockTimeout;
    dialect.prepare(connection);
    this.queue = new ArrayBlockingQueue<>(capacity);
    OPEN_TOKENS.add(ownerToken);
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
    recording.add(runId);
  }

  /** Called once a run's end is committed: the store no longer answers for it if it fails. */
  void ended(String runId) {
    recording.remove(runId);
  }

  /** Stops refreshing a run's heartbeat. */
  public void deactivate(String runId) {
    activeRuns.remove(runId);
  }

  /** Writes committed so far. */
  public long committedOps() {
    return committedOps.get();
  }

  /** Writes that could not be committed (0 or 1: the first one fails the store). */
  public long failedOps() {
    return failedOps.get();
  }

  /** The last write error, if any. */
  public String lastError() {
    return lastError.get();
  }

  /** Why the store stopped taking writes, once a write could not be committed. */
  public Optional<TrackingException> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Throws if the store failed: a write could not be committed, so nothing after it is recorded.
   *
   * @throws TrackingException naming the store and the cause
   */
  public void checkHealthy() {
    TrackingException f = failure;
    if (f != null) {
      throw new TrackingException(f.getMessage(), f.getCause());
    }
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
      if (item.done() != null || item.op() == STOP) {
        urgent = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);
      }
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
      if (now - lastHeartbeat >= HEARTBEAT_MILLIS && !activeRuns.isEmpty() && failure == null) {
        batch.add(new Item(this::heartbeat, null));
        lastHeartbeat = now;
      }
      if (first != null) {
        batch.add(first);
        if (first.done() == null && first.op() != STOP) {
          gather();
        }
        urgent = false;
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

  /**
   * Waits up to {@link #COALESCE_MILLIS} for more writes to share the next transaction; a write
   * someone waits for, a full queue or closing ends the wait.
   */
  private void gather() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COALESCE_MILLIS);
    long left;
    while (!urgent && !closing && queue.remainingCapacity() > 0
        && (left = deadline - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(this, left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  /** Transactions committed so far (each commits one drained batch of writes). */
  public long transactions() {
    return transactions.get();
  }

  private void heartbeat(WriteTransaction tx) throws SQLException {
    PreparedStatement ps = tx.statement("UPDATE runs SET heartbeat_time = ? WHERE id = ?");
    long now = System.currentTimeMillis();
    for (String id : activeRuns) {
      ps.setLong(1, now);
      ps.setString(2, id);
      ps.executeUpdate();
    }
    PreparedStatement claims = tx.statement("UPDATE trial_claims SET heartbeat_time = ?"
        + " WHERE owner_token = ? AND completed = 0");
    claims.setLong(1, now);
    claims.setString(2, ownerToken);
    claims.executeUpdate();
  }

  /** True if {@code token} is the owner token of a writer open in this JVM. */
  static boolean isOpenInThisJvm(String token) {
    return OPEN_TOKENS.contains(token);
  }

  /** Identifies this writer (one open store) as the owner of trial claims. */
  public String ownerToken() {
    return ownerToken;
  }

  /**
   * Commits {@code batch} in order, or, once a write turns out to be impossible, commits what comes
   * before it and fails the store. A locked store (another process's transaction, SQLite's
   * {@code SQLITE_BUSY}, PostgreSQL's serialization failures) is waited for with backoff up to the
   * lock timeout: nothing is skipped or reordered, so a run's history never has a gap.
   */
  private void applyBatch(List<Item> batch) {
    if (failure != null) {
      reject(batch, 0);
      return;
    }
    SQLException error = commitWithRetry(batch);
    if (error == null) {
      complete(batch, 0, batch.size());
      return;
    }
    if (batch.size() > 1 && !isLocked(error)) {
      // keep every write before the impossible one (a prefix: no gap, nothing reordered)
      for (int i = 0; i < batch.size(); i++) {
        SQLException single = commitWithRetry(batch.subList(i, i + 1));
        if (single != null) {
          enterFailedState(single);
          reject(batch, i);
          return;
        }
        complete(batch, i, i + 1);
      }
      return;
    }
    enterFailedState(error);
    reject(batch, 0);
  }

  /** Applies and commits {@code items} in one transaction; null on success, else the final error. */
  private SQLException commitWithRetry(List<Item> items) {
    LockWait wait = new LockWait(lockTimeout, 1_000);
    while (true) {
      try (WriteTransaction tx = new WriteTransaction(connection, dialect)) {
        dialect.begin(connection);
        for (Item it : items) {
          it.op().apply(tx);
        }
        dialect.commit(connection);
        transactions.incrementAndGet();
        return null;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        SQLException sql = e instanceof SQLException s ? s : new SQLException(describe(e), e);
        if (!isLocked(sql)) {
          return sql;
        }
        if (wait.expired()) {
          return new SQLException("the store stayed locked by another process for more than "
              + lockTimeout.toSeconds() + " s (" + describe(sql) + ")", sql.getSQLState(),
              sql.getErrorCode(), sql);
        }
        LOG.debug("store {} is locked ({}); retrying in {} ms", location, describe(sql), wait.nextMillis());
        try {
          wait.pause();
        } catch (SQLException interrupted) {
          return interrupted;
        }
      }
    }
  }

  /**
   * True when the write can succeed later: the database is locked by another connection (SQLite
   * {@code SQLITE_BUSY}/{@code SQLITE_LOCKED}, also as {@code BUSY_SNAPSHOT}) or PostgreSQL aborted
   * it for a concurrent one (serialization failure, deadlock, lock not available).
   */
  static boolean isLocked(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state) || "55P03".equals(state)) {
          return true;
        }
        String m = String.valueOf(s.getMessage());
        if (m.contains("stayed locked")) {
          return true;
        }
        if (m.startsWith("[SQLITE_BUSY") || m.startsWith("[SQLITE_LOCKED")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first line of an error's message (PostgreSQL adds "Position: ..." lines). */
  private static String describe(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline).strip();
  }

  /**
   * Fails the store for good: later writes are refused (a run's history stays a gap-free prefix),
   * the runs it was recording are marked failed with the reason if the database still takes that
   * write (a full disk or a held lock may not; then they are detected as crashed once this process
   * ends), and every later {@code log}, {@code finish} or {@code close} of them throws.
   */
  private void enterFailedState(SQLException cause) {
    String reason = dev.mnistlab.tracking.LocalStore.redact(
        "the run store " + location + " could not record a write: " + describe(cause));
    failure = new TrackingException(reason, cause);
    failedOps.incrementAndGet();
    lastError.set(reason);
    LOG.error("{}; the runs it records are failed", reason);
    unmarkedFailedRuns.addAll(recording);
    markFailedRuns();
  }

  /** Marks the runs this writer was recording failed with the store's failure, if it can. */
  private void markFailedRuns() {
    if (unmarkedFailedRuns.isEmpty()) {
      return;
    }
    try (WriteTransaction tx = new WriteTransaction(connection, dialect)) {
      dialect.begin(connection);
      PreparedStatement ps = tx.statement("UPDATE runs SET state = ?, exit_code = 1, error = ?,"
          + " end_time = ? WHERE id = ? AND state = ?");
      for (String id : unmarkedFailedRuns) {
        ps.setString(1, dev.mnistlab.tracking.RunState.FAILED.label());
        ps.setString(2, failure.getMessage());
        ps.setLong(3, System.currentTimeMillis());
        ps.setString(4, id);
        ps.setString(5, dev.mnistlab.tracking.RunState.RUNNING.label());
        ps.executeUpdate();
      }
      dialect.commit(connection);
      unmarkedFailedRuns.clear();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      LOG.warn("could not mark the runs failed in {} either ({}); they will show as crashed once"
          + " this process ends", location, describe(e));
    }
  }

  private void complete(List<Item> batch, int from, int to) {
    committedOps.addAndGet(to - from);
    for (Item it : batch.subList(from, to)) {
      if (it.done() != null) {
        it.done().complete(null);
      }
    }
  }

  private void reject(List<Item> batch, int from) {
    for (Item it : batch.subList(from, batch.size())) {
      if (it.done() != null) {
        it.done().completeExceptionally(failure);
      }
    }
  }

  private void rollbackQuietly() {
    try {
      dialect.rollback(connection);
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
      thread.join(lockTimeout.toMillis() + TimeUnit.MINUTES.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    OPEN_TOKENS.remove(ownerToken);
    if (failure != null && !thread.isAlive()) {
      markFailedRuns(); // a lock may be gone by now
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing the store connection failed: {}", e.getMessage());
    }
  }
}
