package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.store.JdbcStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded record of every run: a SQLite file (default {@value #DEFAULT_LOCATION}) or a
 * PostgreSQL database ({@code jdbc:postgresql://...}). Runs are written here first; remote sinks
 * upload from here. Thread-safe. Writes are applied by one background writer in batched
 * transactions; queries see everything committed.
 *
 * <p>Durability: SQLite runs in WAL mode with {@code synchronous=FULL}, so a killed process (or a
 * power cut) never corrupts the file and never loses a committed transaction; at most the last few
 * milliseconds of {@code log()} calls that were still queued in memory are lost when the JVM is
 * killed.
 */
public final class LocalStore implements AutoCloseable {
  /** The default SQLite file, relative to the working directory. */
  public static final String DEFAULT_LOCATION = "runs/mnistlab.db";

  private final JdbcStore store;

  private LocalStore(JdbcStore store) {
    this.store = store;
  }

  /**
   * Opens a store, creating and migrating its schema if needed.
   *
   * @param locationOrJdbcUrl a file path (SQLite), {@code jdbc:sqlite:PATH} or
   *     {@code jdbc:postgresql://host:port/db?user=...&password=...}
   * @throws TrackingException if it cannot be opened; the message names the location
   */
  public static LocalStore open(String locationOrJdbcUrl) {
    return open(locationOrJdbcUrl, JdbcStore.defaultLockTimeout());
  }

  /**
   * Opens a store with an explicit lock timeout: how long a write waits for a store another process
   * holds locked before the store fails (default: the system property
   * {@code mnistlab.store.lockTimeoutSeconds}, else 10 minutes). For tests.
   */
  static LocalStore open(String locationOrJdbcUrl, java.time.Duration lockTimeout) {
    try {
      return new LocalStore(JdbcStore.open(locationOrJdbcUrl, lockTimeout));
    } catch (SQLException | IOException | IllegalArgumentException e) {
      throw new TrackingException(redact("cannot open the run store " + locationOrJdbcUrl + ": "
          + e.getMessage()), e);
    }
  }

  /**
   * A store location (or any text holding one, such as a config file) as it may be shown, logged
   * or written down: JDBC passwords are replaced by {@code ***}, both as a {@code password=...}
   * parameter (also {@code sslpassword=}, any case, up to the next {@code &}, {@code ;}, quote or
   * space) and as the {@code user:password@} part of a URL. The one redaction every message,
   * results file and report uses.
   */
  public static String redact(String locationOrText) {
    if (locationOrText == null) {
      return null;
    }
    return PASSWORD_PARAMETER.matcher(USER_INFO.matcher(locationOrText).replaceAll("$1***@"))
        .replaceAll("$1***");
  }

  private static final java.util.regex.Pattern PASSWORD_PARAMETER =
      java.util.regex.Pattern.compile("(?i)(password=)[^&;\\s\"']*");
  private static final java.util.regex.Pattern USER_INFO =
      java.util.regex.Pattern.compile("(//[^/:@\\s\"']*:)[^/\\s\"']*@");

  /**
   * Opens an existing store for reading only, as the commands that only read do ({@code runs
   * list|show}, {@code report}, {@code rerun}'s look-up): nothing is created, migrated or written,
   * so it works on a read-only mount and never changes a store it merely looks at. Write methods
   * ({@link #markCrashedRuns}, {@link #claimTrial}, a {@link Tracker}) throw
   * {@link IllegalStateException}.
   *
   * @throws TrackingException if it cannot be opened (the message names the location and why),
   *     also when a SQLite file does not exist
   */
  public static LocalStore openReadOnly(String locationOrJdbcUrl) {
    try {
      return new LocalStore(JdbcStore.openReadOnly(locationOrJdbcUrl));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new TrackingException(redact("cannot open the run store " + locationOrJdbcUrl + ": "
          + (e.getReason() != null ? e.getReason() : "no such file")), e);
    } catch (SQLException | IOException | IllegalArgumentException e) {
      throw new TrackingException(redact("cannot open the run store " + locationOrJdbcUrl
          + " for reading: " + e.getMessage()), e);
    }
  }

  /** Opens a SQLite store file. */
  public static LocalStore open(Path sqliteFile) {
    return open(sqliteFile.toString());
  }

  /** Opens the default store, {@value #DEFAULT_LOCATION}. */
  public static LocalStore openDefault() {
    return open(DEFAULT_LOCATION);
  }

  /** Where the store is (a JDBC URL, passwords hidden). */
  public String location() {
    return store.location();
  }

  /** Runs matching a query, newest first. */
  public List<RunRecord> runs(RunQuery query) {
    return query(() -> store.runs(query));
  }

  /** One run. */
  public Optional<RunRecord> run(String runId) {
    return query(() -> store.run(runId));
  }

  /**
   * A run's logged steps in order (the exact W&amp;B history). Line numbers ({@link
   * HistoryRow#line()}) are consecutive from 0; a jump is a gap, which only a store written by an
   * earlier mnistlab can have (its writer could drop a write), and is returned as it is.
   */
  public List<HistoryRow> history(String runId) {
    return query(() -> store.history(runId));
  }

  /** One numeric metric of a run by step, e.g. {@code metric(id, "val_accuracy")}. */
  public List<MetricPoint> metric(String runId, String key) {
    return query(() -> store.metric(runId, key));
  }

  /**
   * Every numeric metric series of a run, keyed by metric name (sorted), each ordered by step —
   * what loss/accuracy-per-epoch charts need in one query. Non-finite values are NaN.
   */
  public Map<String, List<MetricPoint>> metrics(String runId) {
    return query(() -> store.metrics(runId));
  }

  /** Names of the numeric metrics a run logged. */
  public List<String> metricKeys(String runId) {
    return query(() -> store.metricKeys(runId));
  }

  /** A run's summary: the latest value of every logged key plus explicit summary values. */
  public Map<String, Object> summary(String runId) {
    return query(() -> store.summary(runId));
  }

  /** A run's configuration. */
  public Map<String, Object> config(String runId) {
    return query(() -> store.config(runId));
  }

  /** A run's provenance, if recorded. */
  public Optional<Provenance> provenance(String runId) {
    return query(() -> store.provenance(runId).map(Provenance::fromJson));
  }

  /**
   * A run's console ({@link Run#console}), each line as W&amp;B's {@code output.log} holds it:
   * {@code [ERROR ]<UTC time with microseconds> <text>}, {@code ERROR } before standard-error lines.
   */
  public List<String> console(String runId) {
    return query(() -> store.console(runId, 0, Integer.MAX_VALUE, Long.MAX_VALUE).stream()
        .map(dev.mnistlab.tracking.internal.store.ConsoleLine::outputLogLine).toList());
  }

  /** A stored run file ({@link Run#file}, or one mnistlab writes such as {@code config.yaml}). */
  public Optional<byte[]> file(String runId, String name) {
    return query(() -> store.runFileContent(runId, name));
  }

  /**
   * What W&amp;B has not received yet of a run's files and artifacts (e.g. an upload that gave up
   * after its retries), one line each with attempts and last error; {@code mnistlab sync} retries
   * them. Empty when everything is uploaded or the run was never meant for W&amp;B.
   */
  public List<String> pendingUploads(String runId) {
    return query(() -> store.cursor(runId, JdbcStore.WANDB_SINK).isPresent()
        ? store.pendingUploads(runId, JdbcStore.WANDB_SINK) : List.of());
  }

  /** A run's stored test-set predictions, by image index. */
  public List<TestPrediction> predictions(String runId) {
    return query(() -> store.predictions(runId));
  }

  /**
   * Records as {@link RunState#CRASHED} (exit code 1) every run still marked running whose process
   * is gone: on this host its pid is dead; on other hosts it sent no heartbeat for
   * {@code staleAfter}. Queries already show such runs crashed without writing; this records it
   * (so W&amp;B is told); {@link Syncer} does it before uploading.
   *
   * @return the ids of the runs marked crashed
   */
  public List<String> markCrashedRuns(java.time.Duration staleAfter) {
    store.writer(); // throws for a read-only store
    List<String> crashed = new java.util.ArrayList<>();
    for (dev.mnistlab.tracking.internal.store.StoredRun r : query(store::storedRuns)) {
      if (r.state() == RunState.RUNNING
          && !dev.mnistlab.tracking.internal.store.RunLiveness.isAlive(r, staleAfter)) {
        store.finishRun(r.id(), RunState.CRASHED, 1,
            dev.mnistlab.tracking.internal.store.RunLiveness.CRASHED_ERROR, r.heartbeatMillis());
        crashed.add(r.id());
      }
    }
    flush(java.time.Duration.ofMinutes(1));
    return crashed;
  }

  /**
   * Claims one trial of a sweep for this open store, so that processes running the same sweep at
   * the same time (two terminals, two machines on one PostgreSQL store) train each trial once. The
   * claim is atomic in the database. It is granted when nobody holds the trial, when this store
   * already holds it, or when its holder's process is gone (same host: its pid; other hosts: no
   * heartbeat for 2 minutes) and the trial was not {@linkplain #completeTrial completed}.
   *
   * @param sweepKey identifies the sweep, e.g. its project, name and fingerprint
   * @return true if this store may run the trial, false while another live process holds it or
   *     once it was completed
   * @throws TrackingException if the store cannot record the claim
   */
  public boolean claimTrial(String sweepKey, int trial) {
    return await(store.claimTrial(sweepKey, trial), "claiming trial " + trial + " of " + sweepKey);
  }

  /** Marks a trial claimed by this store completed: it is not taken over again. */
  public void completeTrial(String sweepKey, int trial) {
    await(store.completeTrial(sweepKey, trial), "completing trial " + trial + " of " + sweepKey);
  }

  private <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while " + what + " in the run store " + location(), e);
    } catch (ExecutionException e) {
      throw new TrackingException(what + " in the run store " + location() + " failed: "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Every stored row of one run, committed so far, as a value that can travel to another process
   * and be {@linkplain #importRun imported} into another store.
   *
   * @return the copy, or empty when this store has no such run
   */
  public Optional<RunExport> exportRun(String runId) {
    return query(() -> store.exportRun(runId)).map(RunExport::new);
  }

  /**
   * Writes a run {@linkplain #exportRun exported} from another store, every row of it, under its
   * own id: idempotent by run id (importing the same run again replaces it, each row is here
   * once). A run this store holds as ended is not replaced by a copy taken while it was running.
   *
   * @return whether the copy is now in this store
   * @throws TrackingException when the store cannot write it
   */
  public boolean importRun(RunExport run) {
    return await(store.importRun(run.rows()), "importing run " + run.runId());
  }

  /**
   * Records a run as ended in {@code state} with its exit code and {@code error}, when
   * it is still marked running: for a run whose process is known to be gone or stopped from
   * outside, such as a Spark task attempt whose executor was lost ({@link RunState#CRASHED}) or
   * that was cancelled ({@link RunState#INTERRUPTED}). A run already ended is left as it is.
   *
   * @throws TrackingException when the store cannot write it
   */
  public void endRun(String runId, RunState state, int exitCode, String error) {
    await(store.finishRun(runId, state, exitCode, error,
        System.currentTimeMillis()), "ending run " + runId);
  }

  /**
   * Waits until every write made so far is committed.
   *
   * @throws TrackingException if a write failed or the wait timed out
   */
  public void flush(java.time.Duration timeout) {
    try {
      store.flush().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while flushing the run store", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new TrackingException("flushing the run store " + location() + " failed: " + e, e);
    }
  }

  /** The implementation, for the tracker and the syncer. */
  JdbcStore jdbc() {
    return store;
  }

  /**
   * Commits queued writes and closes the store.
   *
   * @throws TrackingException if a write could not be committed (the store failed; the message
   *     names it and the cause): what was logged after it is not recorded
   */
  @Override
  public void close() {
    store.close();
    if (!store.readOnly()) {
      store.writer().checkHealthy();
    }
  }

  @Override
  public String toString() {
    return "LocalStore{" + location() + "}";
  }

  private interface Query<T> {
    T run() throws SQLException;
  }

  private <T> T query(Query<T> q) {
    try {
      return q.run();
    } catch (SQLException e) {
      throw readFailed(e);
    }
  }

  /**
   * The one wording of "reading this store failed" ({@link Tracker} and {@link Syncer} read it
   * too), naming the store so the user knows which file or database to look at.
   */
  TrackingException readFailed(SQLException e) {
    return new TrackingException("reading the run store " + location() + " failed: " + e.getMessage(), e);
  }
}
