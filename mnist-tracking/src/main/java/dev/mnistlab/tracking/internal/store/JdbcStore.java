package dev.mnistlab.tracking.internal.store;

import dev.mnistlab.tracking.HistoryRow;
import dev.mnistlab.tracking.MetricPoint;
import dev.mnistlab.tracking.TestPrediction;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.WandbState;
import dev.mnistlab.tracking.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The SQL store behind {@link dev.mnistlab.tracking.LocalStore}: opens SQLite (WAL journal,
 * {@code synchronous=FULL}, so neither a killed process nor a power cut can corrupt it or lose a
 * committed transaction) or PostgreSQL, migrates the schema, owns the single {@link StoreWriter} and
 * a read connection. All writes go through the writer; reads are serialised on one connection.
 */
public final class JdbcStore implements AutoCloseable {
  /** The sink name W&amp;B cursors are stored under. */
  public static final String WANDB_SINK = "wandb";
  /** W&amp;B's largest history line (10 MiB - 100 KiB); longer lines are skipped by its server. */
  public static final int MAX_LINE_BYTES = 10 * 1024 * 1024 - 100 * 1024;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcStore.class);
  private static final int QUEUE_CAPACITY = 65_536;
  /** The system property that sets the lock timeout, in seconds. */
  public static final String LOCK_TIMEOUT_PROPERTY = "mnistlab.store.lockTimeoutSeconds";

  private final String url;
  private final Dialect dialect;
  private final Connection reader;
  private final StoreWriter writer;

  private JdbcStore(String url, Dialect dialect, Connection reader, StoreWriter writer) {
    this.url = url;
    this.dialect = dialect;
    this.reader = reader;
    this.writer = writer;
  }

  /**
   * Opens (creating and migrating if needed) the store at a file path or JDBC URL.
   *
   * @throws SQLException if the database cannot be opened or migrated
   * @throws IOException if the parent folder of a SQLite file cannot be created
   */
  public static JdbcStore open(String locationOrUrl) throws SQLException, IOException {
    return open(locationOrUrl, defaultLockTimeout());
  }

  /**
   * How long a write waits for a store another process holds locked before the store fails: the
   * system property {@value #LOCK_TIMEOUT_PROPERTY} (seconds), default 600.
   */
  public static Duration defaultLockTimeout() {
    String v = System.getProperty(LOCK_TIMEOUT_PROPERTY);
    if (v == null || v.isBlank()) {
      return Duration.ofMinutes(10);
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(v.strip()) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + LOCK_TIMEOUT_PROPERTY
          + " must be a number of seconds, not '" + v + "'");
    }
  }

  /**
   * Opens the store with an explicit lock timeout (see {@link #defaultLockTimeout()}).
   *
   * @throws SQLException if the database cannot be opened or migrated
   * @throws IOException if the parent folder of a SQLite file cannot be created
   */
  public static JdbcStore open(String locationOrUrl, Duration lockTimeout)
      throws SQLException, IOException {
    String url = locationOrUrl.startsWith("jdbc:") ? locationOrUrl : "jdbc:sqlite:" + sqlitePath(locationOrUrl);
    Dialect dialect = Dialect.of(url);
    if (dialect == Dialect.SQLITE) {
      Path file = Path.of(url.substring("jdbc:sqlite:".length()));
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
    }
    // concurrent first use: another process may be creating or migrating the store right now
    LockWait wait = new LockWait(lockTimeout, 500);
    while (true) {
      try {
        return openOnce(url, dialect, lockTimeout);
      } catch (SQLException e) {
        if (!StoreWriter.isLocked(e) || wait.expired()) {
          throw e;
        }
        LOG.debug("store {} is locked while opening ({}); retrying",
            dev.mnistlab.tracking.LocalStore.redact(url), e.getMessage());
        wait.pause();
      }
    }
  }

  private static JdbcStore openOnce(String url, Dialect dialect, Duration lockTimeout)
      throws SQLException {
    Connection w = connect(url, dialect, lockTimeout);
    try {
      Migrations.apply(w, dialect);
      Connection r = connect(url, dialect, lockTimeout);
      r.setAutoCommit(true);
      StoreWriter writer = new StoreWriter(w, dialect, QUEUE_CAPACITY,
          Integer.toHexString(System.identityHashCode(r)), dev.mnistlab.tracking.LocalStore.redact(url), lockTimeout);
      return new JdbcStore(url, dialect, r, writer);
    } catch (SQLException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /**
   * Opens an existing store for reading only: nothing is created, migrated or written (a SQLite
   * file is opened with {@code SQLITE_OPEN_READONLY}, a PostgreSQL connection is read-only). On a
   * read-only filesystem, where SQLite cannot create the WAL index ({@code -shm}) next to the file,
   * the file is opened {@code immutable=1}: then what a process still writing has not checkpointed
   * into the file is not seen.
   *
   * @throws SQLException if it cannot be opened or is not a store this code can read
   * @throws NoSuchFileException if a SQLite file does not exist
   */
  public static JdbcStore openReadOnly(String locationOrUrl) throws SQLException, IOException {
    String url = locationOrUrl.startsWith("jdbc:") ? locationOrUrl : "jdbc:sqlite:" + sqlitePath(locationOrUrl);
    Dialect dialect = Dialect.of(url);
    Connection r;
    if (dialect == Dialect.SQLITE) {
      Path file = Path.of(url.substring("jdbc:sqlite:".length()));
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file.toString(), null, Files.exists(file)
            ? "not a regular file, so not a run store" : "no run store here");
      }
      try {
        r = sqliteReadOnly("jdbc:sqlite:" + file, false);
        try {
          Migrations.checkReadable(r);
        } catch (SQLException e) {
          r.close();
          throw e;
        }
      } catch (SQLException e) {
        if (!String.valueOf(e.getMessage()).contains("SQLITE_CANTOPEN")
            && !String.valueOf(e.getMessage()).contains("SQLITE_READONLY")) {
          throw e;
        }
        // a read-only folder: the WAL index cannot be created; read the file as it is
        LOG.debug("store {} opened immutable: {}", file, e.getMessage());
        r = sqliteReadOnly("jdbc:sqlite:file:" + file.toUri().getRawPath() + "?immutable=1", true);
      }
    } else {
      r = DriverManager.getConnection(url);
      r.setReadOnly(true);
    }
    try {
      Migrations.checkReadable(r);
    } catch (SQLException e) {
      r.close();
      throw e;
    }
    r.setAutoCommit(true);
    return new JdbcStore(url, dialect, r, null);
  }

  private static Connection sqliteReadOnly(String url, boolean immutable) throws SQLException {
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(1_000);
    if (immutable) {
      config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
    }
    return DriverManager.getConnection(url, config.toProperties());
  }

  private static String sqlitePath(String location) {
    return Path.of(location).toAbsolutePath().normalize().toString();
  }

  private static Connection connect(String url, Dialect dialect, Duration lockTimeout)
      throws SQLException {
    Connection c = DriverManager.getConnection(url);
    if (dialect == Dialect.SQLITE) {
      try (Statement st = c.createStatement()) {
        // short per statement: the writer retries with backoff up to the lock timeout itself
        st.execute("PRAGMA busy_timeout = " + Math.min(1_000, Math.max(1, lockTimeout.toMillis())));
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = FULL");
        st.execute("PRAGMA foreign_keys = ON");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    } else {
      // as SQLite's busy timeout: a row or table lock held by another session fails the statement
      // after a second (55P03), and the writer retries up to the lock timeout
      try (Statement st = c.createStatement()) {
        st.execute("SET lock_timeout = " + Math.min(1_000, Math.max(1, lockTimeout.toMillis())));
      } catch (SQLException e) {
        c.close();
        throw e;
      }
    }
    return c;
  }

  /** The JDBC URL (passwords hidden). */
  public String location() {
    return dev.mnistlab.tracking.LocalStore.redact(url);
  }

  /** The SQLite file, or empty for a database server. */
  public Optional<Path> file() {
    return dialect == Dialect.SQLITE ? Optional.of(Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")))
        : Optional.empty();
  }

  /** The database dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * The single writer.
   *
   * @throws IllegalStateException if the store was opened read-only
   */
  public StoreWriter writer() {
    if (writer == null) {
      throw new IllegalStateException("the run store " + location() + " is open read-only");
    }
    return writer;
  }

  /** True if opened by {@link #openReadOnly}. */
  public boolean readOnly() {
    return writer == null;
  }

  /** Waits until every write enqueued so far is committed. */
  public CompletableFuture<Void> flush() {
    return writer == null ? CompletableFuture.completedFuture(null) : writer.flush();
  }

  // ---------------------------------------------------------------- writes (enqueued)

  /** Enqueues the creation of a run with its config and metric definitions. */
  public CompletableFuture<Void> insertRun(StoredRun run, Map<String, Object> config) {
    Map<String, String> configJson = new LinkedHashMap<>();
    config.forEach((k, v) -> configJson.put(k, Json.write(v)));
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO runs (id, project, name, run_group, job_type,"
          + " tags, notes, state, exit_code, error, start_time, end_time, heartbeat_time, host, pid,"
          + " history_lines, last_step, summary_version, config_version, metric_definitions)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, ?, ?, ?, 0, NULL, 0, 1, ?)");
      ps.setString(1, run.id());
      ps.setString(2, run.project());
      ps.setString(3, run.name());
      ps.setString(4, run.group());
      ps.setString(5, run.jobType());
      ps.setString(6, Json.write(run.tags()));
      ps.setString(7, run.notes());
      ps.setString(8, RunState.RUNNING.label());
      ps.setLong(9, run.startTimeMillis());
      ps.setLong(10, run.startTimeMillis());
      ps.setString(11, run.host());
      setLong(ps, 12, run.pid());
      ps.setString(13, run.metricDefinitionsJson());
      ps.executeUpdate();
      upsertConfig(tx, run.id(), configJson);
    });
  }

  private static void upsertConfig(WriteTransaction tx, String runId, Map<String, String> configJson)
      throws SQLException {
    PreparedStatement ps = tx.statement("INSERT INTO run_config (run_id, key, value_json) VALUES (?, ?, ?)"
        + " ON CONFLICT (run_id, key) DO UPDATE SET value_json = excluded.value_json");
    for (Map.Entry<String, String> e : configJson.entrySet()) {
      ps.setString(1, runId);
      ps.setString(2, e.getKey());
      ps.setString(3, e.getValue());
      ps.executeUpdate();
    }
  }

  /** Enqueues a config update (bumps the config version so sinks re-send it). */
  public void updateConfig(String runId, Map<String, Object> config) {
    Map<String, String> configJson = new LinkedHashMap<>();
    config.forEach((k, v) -> configJson.put(k, Json.write(v)));
    writer().submit(tx -> {
      upsertConfig(tx, runId, configJson);
      bumpConfigVersion(tx, runId);
    });
  }

  /** Enqueues new metric definitions (JSON list) for a run. */
  public void updateMetricDefinitions(String runId, String definitionsJson) {
    writer().submit(tx -> {
      PreparedStatement ps = tx.statement("UPDATE runs SET metric_definitions = ?,"
          + " config_version = config_version + 1 WHERE id = ?");
      ps.setString(1, definitionsJson);
      ps.setString(2, runId);
      ps.executeUpdate();
    });
  }

  private static void bumpConfigVersion(WriteTransaction tx, String runId) throws SQLException {
    PreparedStatement ps = tx.statement("UPDATE runs SET config_version = config_version + 1 WHERE id = ?");
    ps.setString(1, runId);
    ps.executeUpdate();
  }

  /**
   * Enqueues one logged step. The exact history line (values plus {@code _step}, {@code _runtime},
   * {@code _timestamp}) is built here on the writer thread, stored, and mirrored into the narrow
   * metrics table and the summary.
   */
  public void appendHistory(String runId, long lineNo, long step, double runtime, double timestamp,
      Map<String, Object> values) {
    writer().submit(tx -> {
      Map<String, Object> line = new LinkedHashMap<>(values);
      line.put("_step", step);
      line.put("_runtime", runtime);
      line.put("_timestamp", timestamp);
      String json = Json.write(line);
      if (json.length() > MAX_LINE_BYTES / 4
          && json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
        // W&B skips lines this long; keep the offset (no gap) but say loudly what was dropped.
        LOG.error("step {} of run {} is {} bytes, above W&B's line limit of {} bytes; its values are"
            + " replaced by a marker (log large data as files, not metrics)", step, runId,
            json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, MAX_LINE_BYTES);
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("mnistlab_oversize_line_dropped", true);
        marker.put("_step", step);
        marker.put("_runtime", runtime);
        marker.put("_timestamp", timestamp);
        json = Json.write(marker);
      }
      PreparedStatement h = tx.statement("INSERT INTO history (run_id, line_no, step, line) VALUES (?, ?, ?, ?)");
      h.setString(1, runId);
      h.setLong(2, lineNo);
      h.setLong(3, step);
      h.setString(4, json);
      h.executeUpdate();
      PreparedStatement m = tx.statement("INSERT INTO metrics (run_id, key, step, value) VALUES (?, ?, ?, ?)");
      for (Map.Entry<String, Object> e : values.entrySet()) {
        if (e.getValue() instanceof Number n) {
          double d = n.doubleValue();
          m.setString(1, runId);
          m.setString(2, e.getKey());
          m.setLong(3, step);
          if (Double.isFinite(d)) {
            m.setDouble(4, d);
          } else {
            m.setNull(4, Types.DOUBLE);
          }
          m.executeUpdate();
        }
      }
      upsertSummary(tx, runId, line);
      PreparedStatement r = tx.statement("UPDATE runs SET history_lines = ?, last_step = ?,"
          + " summary_version = summary_version + 1, heartbeat_time = ? WHERE id = ?");
      r.setLong(1, lineNo + 1);
      r.setLong(2, step);
      r.setLong(3, System.currentTimeMillis());
      r.setString(4, runId);
      r.executeUpdate();
    });
  }

  private static void upsertSummary(WriteTransaction tx, String runId, Map<String, Object> values)
      throws SQLException {
    PreparedStatement ps = tx.statement("INSERT INTO summary (run_id, key, value_json) VALUES (?, ?, ?)"
        + " ON CONFLICT (run_id, key) DO UPDATE SET value_json = excluded.value_json");
    for (Map.Entry<String, Object> e : values.entrySet()) {
      ps.setString(1, runId);
      ps.setString(2, e.getKey());
      ps.setString(3, Json.write(e.getValue()));
      ps.executeUpdate();
    }
  }

  /** Enqueues explicit summary values. */
  public void updateSummary(String runId, Map<String, Object> values) {
    Map<String, Object> copy = new LinkedHashMap<>(values);
    writer().submit(tx -> {
      upsertSummary(tx, runId, copy);
      PreparedStatement r = tx.statement("UPDATE runs SET summary_version = summary_version + 1 WHERE id = ?");
      r.setString(1, runId);
      r.executeUpdate();
    });
  }

  /** Enqueues the run's provenance document (replacing an earlier one). */
  public void putProvenance(String runId, String documentJson) {
    writer().submit(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO provenance (run_id, document) VALUES (?, ?)"
          + " ON CONFLICT (run_id) DO UPDATE SET document = excluded.document");
      ps.setString(1, runId);
      ps.setString(2, documentJson);
      ps.executeUpdate();
      bumpConfigVersion(tx, runId);
    });
  }

  /** Enqueues predictions (an image index already stored is replaced). */
  public CompletableFuture<Void> putPredictions(String runId, List<TestPrediction> predictions) {
    List<TestPrediction> copy = List.copyOf(predictions);
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO predictions (run_id, image_index, image,"
          + " true_label, predicted_label, probabilities) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, image_index) DO UPDATE SET image = excluded.image,"
          + " true_label = excluded.true_label, predicted_label = excluded.predicted_label,"
          + " probabilities = excluded.probabilities");
      for (TestPrediction p : copy) {
        ps.setString(1, runId);
        ps.setInt(2, p.imageIndex());
        ps.setBytes(3, p.image());
        ps.setInt(4, p.trueLabel());
        ps.setInt(5, p.predictedLabel());
        float[] probs = p.probabilities();
        List<Float> list = new ArrayList<>(probs.length);
        for (float f : probs) {
          list.add(f);
        }
        ps.setString(6, Json.write(list));
        ps.executeUpdate();
      }
    });
  }

  /**
   * Enqueues one system-metrics line ({@code wandb-events.jsonl}) at {@code lineNo}; the caller
   * assigns line numbers in order, as for history.
   */
  public void appendEvent(String runId, long lineNo, String line) {
    writer().submit(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO run_events (run_id, line_no, line) VALUES (?, ?, ?)");
      ps.setString(1, runId);
      ps.setLong(2, lineNo);
      ps.setString(3, line);
      ps.executeUpdate();
    });
  }

  /** Enqueues one console line at {@code lineNo} (the caller assigns line numbers in order). */
  public void appendConsole(String runId, long lineNo, ConsoleLine line) {
    writer().submit(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO console_lines (run_id, line_no, stream,"
          + " time_micros, text) VALUES (?, ?, ?, ?, ?)");
      ps.setString(1, runId);
      ps.setLong(2, lineNo);
      ps.setString(3, line.stderr() ? "stderr" : "stdout");
      ps.setLong(4, line.timeMicros());
      ps.setString(5, line.text());
      ps.executeUpdate();
    });
  }

  /**
   * Enqueues a run file (replacing an earlier version of the same name); sinks upload a name again
   * when its MD5 changed.
   */
  public void putRunFile(String runId, String name, byte[] content) {
    byte[] copy = content.clone();
    String md5 = md5Hex(copy);
    writer().submit(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO run_files (run_id, name, content, md5, size,"
          + " updated_time) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET"
          + " content = excluded.content, md5 = excluded.md5, size = excluded.size,"
          + " updated_time = excluded.updated_time");
      ps.setString(1, runId);
      ps.setString(2, name);
      ps.setBytes(3, copy);
      ps.setString(4, md5);
      ps.setLong(5, copy.length);
      ps.setLong(6, System.currentTimeMillis());
      ps.executeUpdate();
    });
  }

  /**
   * Enqueues an artifact of a run with its files, numbered after the run's earlier artifacts.
   *
   * @param files content by path (the caller's copies: not modified later)
   */
  public CompletableFuture<Void> putArtifact(String runId, String name, String type,
      String description, String metadataJson, List<String> aliases,
      dev.mnistlab.tracking.internal.ArtifactManifest manifest, Map<String, byte[]> files) {
    String aliasesJson = Json.write(aliases);
    return writer().submitAndTrack(tx -> {
      int seq = 0;
      PreparedStatement next = tx.statement("SELECT COALESCE(MAX(seq) + 1, 0) FROM artifacts WHERE run_id = ?");
      next.setString(1, runId);
      try (ResultSet rs = next.executeQuery()) {
        if (rs.next()) {
          seq = rs.getInt(1);
        }
      }
      PreparedStatement a = tx.statement("INSERT INTO artifacts (run_id, seq, name, type, description,"
          + " metadata_json, aliases_json, manifest_json, digest, created_time)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      a.setString(1, runId);
      a.setInt(2, seq);
      a.setString(3, name);
      a.setString(4, type);
      a.setString(5, description);
      a.setString(6, metadataJson);
      a.setString(7, aliasesJson);
      a.setString(8, manifest.json());
      a.setString(9, manifest.digest());
      a.setLong(10, System.currentTimeMillis());
      a.executeUpdate();
      PreparedStatement f = tx.statement("INSERT INTO artifact_files (run_id, seq, path, content)"
          + " VALUES (?, ?, ?, ?)");
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        f.setString(1, runId);
        f.setInt(2, seq);
        f.setString(3, e.getKey());
        f.setBytes(4, e.getValue());
        f.executeUpdate();
      }
    });
  }

  /** Enqueues what a sink did with an artifact. */
  public CompletableFuture<Void> saveSinkArtifact(String runId, String sink, ArtifactState a) {
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO sink_artifacts (run_id, sink, seq, committed,"
          + " attempts, last_error, updated_time) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, sink, seq) DO UPDATE SET committed = excluded.committed,"
          + " attempts = excluded.attempts, last_error = excluded.last_error,"
          + " updated_time = excluded.updated_time");
      ps.setString(1, runId);
      ps.setString(2, sink);
      ps.setInt(3, a.seq());
      ps.setInt(4, a.committed() ? 1 : 0);
      ps.setInt(5, a.attempts());
      ps.setString(6, a.lastError());
      ps.setLong(7, System.currentTimeMillis());
      ps.executeUpdate();
    });
  }

  /** The MD5 of {@code bytes} in hex, as run files are compared by. */
  public static String md5Hex(byte[] bytes) {
    return dev.mnistlab.tracking.internal.Hashes.md5Hex(bytes);
  }

  /** Enqueues what a sink did with a run file. */
  public CompletableFuture<Void> saveSinkFile(String runId, String sink, RunFileState f) {
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO sink_files (run_id, sink, name, uploaded_md5,"
          + " reported_md5, attempts, last_error, updated_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, sink, name) DO UPDATE SET uploaded_md5 = excluded.uploaded_md5,"
          + " reported_md5 = excluded.reported_md5, attempts = excluded.attempts,"
          + " last_error = excluded.last_error, updated_time = excluded.updated_time");
      ps.setString(1, runId);
      ps.setString(2, sink);
      ps.setString(3, f.name());
      ps.setString(4, f.uploadedMd5());
      ps.setString(5, f.reportedMd5());
      ps.setInt(6, f.attempts());
      ps.setString(7, f.lastError());
      ps.setLong(8, System.currentTimeMillis());
      ps.executeUpdate();
    });
  }

  /** Enqueues the end of a run (ignored if the run already ended). */
  public CompletableFuture<Void> finishRun(String runId, RunState state, int exitCode, String error,
      long endMillis) {
    CompletableFuture<Void> done = writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("UPDATE runs SET state = ?, exit_code = ?, error = ?,"
          + " end_time = ? WHERE id = ? AND state = ?");
      ps.setString(1, state.label());
      ps.setInt(2, exitCode);
      ps.setString(3, error);
      ps.setLong(4, endMillis);
      ps.setString(5, runId);
      ps.setString(6, RunState.RUNNING.label());
      ps.executeUpdate();
    });
    done.thenRun(() -> writer().ended(runId));
    return done;
  }

  /**
   * Claims trial {@code trial} of the sweep {@code sweepKey} for this open store, atomically: true
   * if nobody claimed it, if this store already holds it, or if its owner's process is gone (see
   * {@link RunLiveness}) and it was not completed; false while another live owner holds it or
   * once it is completed.
   */
  public CompletableFuture<Boolean> claimTrial(String sweepKey, int trial) {
    String host = RunLiveness.localHost();
    long pid = ProcessHandle.current().pid();
    String token = writer().ownerToken();
    boolean[] claimed = new boolean[1];
    return writer().submitAndTrack(tx -> {
      long now = System.currentTimeMillis();
      PreparedStatement insert = tx.statement("INSERT INTO trial_claims (sweep_key, trial,"
          + " owner_token, owner_host, owner_pid, claimed_time, heartbeat_time, completed)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (sweep_key, trial) DO NOTHING");
      insert.setString(1, sweepKey);
      insert.setInt(2, trial);
      insert.setString(3, token);
      insert.setString(4, host);
      insert.setLong(5, pid);
      insert.setLong(6, now);
      insert.setLong(7, now);
      if (insert.executeUpdate() == 1) {
        claimed[0] = true;
        return;
      }
      PreparedStatement select = tx.statement("SELECT owner_token, owner_host, owner_pid,"
          + " claimed_time, heartbeat_time, completed FROM trial_claims"
          + " WHERE sweep_key = ? AND trial = ?");
      select.setString(1, sweepKey);
      select.setInt(2, trial);
      String ownerToken;
      boolean alive;
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          claimed[0] = false;
          return;
        }
        ownerToken = rs.getString(1);
        String ownerHost = rs.getString(2);
        long ownerPid = rs.getLong(3);
        Long ownerPidOrNull = rs.wasNull() ? null : ownerPid;
        long claimedTime = rs.getLong(4);
        long heartbeat = rs.getLong(5);
        boolean completed = rs.getInt(6) != 0;
        if (completed || token.equals(ownerToken)) {
          claimed[0] = !completed;
          return;
        }
        boolean thisProcess = ownerPidOrNull != null && ownerPidOrNull == pid
            && host != null && host.equals(ownerHost);
        alive = thisProcess ? StoreWriter.isOpenInThisJvm(ownerToken)
            : RunLiveness.isAlive(ownerHost, ownerPidOrNull, claimedTime, heartbeat,
                RunLiveness.DEFAULT_STALE_AFTER);
      }
      if (alive) {
        claimed[0] = false;
        return;
      }
      // the owner is gone: take the claim over, unless someone else just did (compare and set)
      PreparedStatement take = tx.statement("UPDATE trial_claims SET owner_token = ?,"
          + " owner_host = ?, owner_pid = ?, claimed_time = ?, heartbeat_time = ?"
          + " WHERE sweep_key = ? AND trial = ? AND owner_token = ? AND completed = 0");
      take.setString(1, token);
      take.setString(2, host);
      take.setLong(3, pid);
      take.setLong(4, now);
      take.setLong(5, now);
      take.setString(6, sweepKey);
      take.setInt(7, trial);
      take.setString(8, ownerToken);
      claimed[0] = take.executeUpdate() == 1;
    }).thenApply(v -> claimed[0]);
  }

  /** Marks a trial this store claimed as completed: nobody takes it over any more. */
  public CompletableFuture<Void> completeTrial(String sweepKey, int trial) {
    String token = writer().ownerToken();
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("UPDATE trial_claims SET completed = 1"
          + " WHERE sweep_key = ? AND trial = ? AND owner_token = ?");
      ps.setString(1, sweepKey);
      ps.setInt(2, trial);
      ps.setString(3, token);
      ps.executeUpdate();
    });
  }

  /** Enqueues a sink cursor (insert or replace). */
  public CompletableFuture<Void> saveCursor(SinkCursor c) {
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO sink_cursors (run_id, sink, history_acked,"
          + " summary_acked, config_acked, finish_acked, storage_id, entity, project, remote_name,"
          + " url, last_error, updated_time, history_base, events_acked, console_acked,"
          + " events_base, console_base)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, sink) DO UPDATE SET history_acked = excluded.history_acked,"
          + " summary_acked = excluded.summary_acked, config_acked = excluded.config_acked,"
          + " finish_acked = excluded.finish_acked, storage_id = excluded.storage_id,"
          + " entity = excluded.entity, project = excluded.project,"
          + " remote_name = excluded.remote_name, url = excluded.url,"
          + " last_error = excluded.last_error, updated_time = excluded.updated_time,"
          + " history_base = excluded.history_base, events_acked = excluded.events_acked,"
          + " console_acked = excluded.console_acked, events_base = excluded.events_base,"
          + " console_base = excluded.console_base");
      ps.setString(1, c.runId());
      ps.setString(2, c.sink());
      ps.setLong(3, c.historyAcked());
      ps.setLong(4, c.summaryAcked());
      ps.setLong(5, c.configAcked());
      ps.setInt(6, c.finishAcked() ? 1 : 0);
      ps.setString(7, c.storageId());
      ps.setString(8, c.entity());
      ps.setString(9, c.project());
      ps.setString(10, c.remoteName());
      ps.setString(11, c.url());
      ps.setString(12, c.lastError());
      ps.setLong(13, System.currentTimeMillis());
      ps.setLong(14, c.historyBase());
      ps.setLong(15, c.eventsAcked());
      ps.setLong(16, c.consoleAcked());
      ps.setLong(17, c.eventsBase());
      ps.setLong(18, c.consoleBase());
      ps.executeUpdate();
    });
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  // ---------------------------------------------------------------- reads

  private static final String RUN_COLUMNS = "r.id, r.project, r.name, r.run_group, r.job_type,"
      + " r.tags, r.notes, r.state, r.exit_code, r.error, r.start_time, r.end_time,"
      + " r.heartbeat_time, r.host, r.pid, r.history_lines, r.last_step, r.summary_version,"
      + " r.config_version, r.metric_definitions";

  /** Runs matching the query, newest first. */
  public synchronized List<RunRecord> runs(RunQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + ", " + CURSOR_COLUMNS + " FROM runs r"
        + " LEFT JOIN sink_cursors c ON c.run_id = r.id AND c.sink = '" + WANDB_SINK + "' WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    q.project().ifPresent(p -> {
      sql.append(" AND r.project = ?");
      args.add(p);
    });
    q.group().ifPresent(g -> {
      sql.append(" AND r.run_group = ?");
      args.add(g);
    });
    // running and crashed are told apart by liveness, not by the stored state alone
    boolean byLiveness = q.state().map(s -> s == RunState.RUNNING || s == RunState.CRASHED).orElse(false);
    q.state().ifPresent(s -> {
      if (byLiveness) {
        sql.append(" AND r.state IN (?, ?)");
        args.add(RunState.RUNNING.label());
        args.add(RunState.CRASHED.label());
      } else {
        sql.append(" AND r.state = ?");
        args.add(s.label());
      }
    });
    sql.append(" ORDER BY r.start_time DESC, r.id");
    if (q.limit() != Integer.MAX_VALUE && !byLiveness) {
      sql.append(" LIMIT ").append(q.limit());
    }
    try (PreparedStatement ps = reader.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, (String) args.get(i));
      }
      List<RunRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && out.size() < q.limit()) {
          RunRecord rec = toRecord(readRun(rs), rs);
          if (q.state().isEmpty() || rec.state() == q.state().get()) {
            out.add(rec);
          }
        }
      }
      return out;
    }
  }

  /** One run's public record. */
  public synchronized Optional<RunRecord> run(String id) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT " + RUN_COLUMNS + ", " + CURSOR_COLUMNS + " FROM runs r"
        + " LEFT JOIN sink_cursors c ON c.run_id = r.id AND c.sink = '" + WANDB_SINK + "' WHERE r.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(toRecord(readRun(rs), rs)) : Optional.empty();
      }
    }
  }

  /** One run's full row. */
  public synchronized Optional<StoredRun> storedRun(String id) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(readRun(rs)) : Optional.empty();
      }
    }
  }

  /** Every run's full row (for the syncer). */
  public synchronized List<StoredRun> storedRuns() throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT " + RUN_COLUMNS
        + " FROM runs r ORDER BY r.start_time, r.id");
        ResultSet rs = ps.executeQuery()) {
      List<StoredRun> out = new ArrayList<>();
      while (rs.next()) {
        out.add(readRun(rs));
      }
      return out;
    }
  }

  private static StoredRun readRun(ResultSet rs) throws SQLException {
    List<String> tags = new ArrayList<>();
    for (Object o : Json.readList(rs.getString(6))) {
      tags.add(String.valueOf(o));
    }
    return new StoredRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), tags, rs.getString(7), RunState.fromLabel(rs.getString(8)),
        (Integer) nullable(rs, rs.getInt(9)), rs.getString(10), rs.getLong(11),
        (Long) nullable(rs, rs.getLong(12)), rs.getLong(13), rs.getString(14),
        (Long) nullable(rs, rs.getLong(15)), rs.getLong(16), (Long) nullable(rs, rs.getLong(17)),
        rs.getLong(18), rs.getLong(19), rs.getString(20));
  }

  private static Object nullable(ResultSet rs, Object value) throws SQLException {
    return rs.wasNull() ? null : value;
  }

  /** The W&amp;B cursor columns joined to a run (21 onwards): url, presence and acknowledgements. */
  private static final String CURSOR_COLUMNS = "c.url, c.sink, c.finish_acked, c.history_acked,"
      + " c.summary_acked, c.config_acked";

  /**
   * The public record. A run still marked running whose process is gone (see {@link RunLiveness})
   * is shown crashed, with exit code 1 and its last heartbeat as end time, by every reader, without
   * writing: read-only stores show it too, and {@link dev.mnistlab.tracking.LocalStore#markCrashedRuns}
   * or a sync records it.
   */
  private static RunRecord toRecord(StoredRun r, ResultSet rs) throws SQLException {
    WandbState wandb;
    if (rs.getString(22) == null) {
      wandb = WandbState.OFF;
    } else {
      boolean uploaded = rs.getInt(23) != 0 && rs.getLong(24) >= r.historyLines()
          && rs.getLong(25) >= r.summaryVersion() && rs.getLong(26) >= r.configVersion();
      wandb = uploaded ? WandbState.UPLOADED : WandbState.PENDING;
    }
    RunState state = RunLiveness.effectiveState(r);
    boolean crashed = state != r.state();
    return new RunRecord(r.id(), r.project(), r.name(), r.group(), r.jobType(), r.tags(), r.notes(),
        state, crashed ? Integer.valueOf(1) : r.exitCode(), Instant.ofEpochMilli(r.startTimeMillis()),
        crashed ? Instant.ofEpochMilli(r.heartbeatMillis())
            : r.endTimeMillis() == null ? null : Instant.ofEpochMilli(r.endTimeMillis()),
        r.historyLines(), rs.getString(21), crashed ? RunLiveness.CRASHED_ERROR : r.error(), wandb);
  }

  /** History lines {@code [fromLine, ...)}, at most {@code maxLines} and about {@code maxChars}. */
  public synchronized List<StoredLine> lines(String runId, long fromLine, int maxLines, long maxChars)
      throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT line_no, step, line FROM history"
        + " WHERE run_id = ? AND line_no >= ? ORDER BY line_no LIMIT ?")) {
      ps.setString(1, runId);
      ps.setLong(2, fromLine);
      ps.setInt(3, maxLines);
      List<StoredLine> out = new ArrayList<>();
      long chars = 0;
      long expected = fromLine;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StoredLine l = new StoredLine(rs.getLong(1), rs.getLong(2), rs.getString(3));
          if (l.lineNo() != expected) {
            break; // never hand out a gap
          }
          if (!out.isEmpty() && chars + l.line().length() > maxChars) {
            break;
          }
          out.add(l);
          chars += l.line().length();
          expected++;
        }
      }
      return out;
    }
  }

  /**
   * System-metrics lines {@code [fromLine, ...)}, at most {@code maxLines} and about
   * {@code maxChars}, never past a gap.
   */
  public synchronized List<String> events(String runId, long fromLine, int maxLines, long maxChars)
      throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT line_no, line FROM run_events"
        + " WHERE run_id = ? AND line_no >= ? ORDER BY line_no LIMIT ?")) {
      ps.setString(1, runId);
      ps.setLong(2, fromLine);
      ps.setInt(3, maxLines);
      List<String> out = new ArrayList<>();
      long chars = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String line = rs.getString(2);
          if (rs.getLong(1) != fromLine + out.size()
              || (!out.isEmpty() && chars + line.length() > maxChars)) {
            break;
          }
          out.add(line);
          chars += line.length();
        }
      }
      return out;
    }
  }

  /** A run's files with what {@code sink} did with each, by name. */
  public synchronized List<RunFileState> runFiles(String runId, String sink) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT f.name, f.md5, f.size,"
        + " s.uploaded_md5, s.reported_md5, s.attempts, s.last_error FROM run_files f"
        + " LEFT JOIN sink_files s ON s.run_id = f.run_id AND s.name = f.name AND s.sink = ?"
        + " WHERE f.run_id = ? ORDER BY f.name")) {
      ps.setString(1, sink);
      ps.setString(2, runId);
      List<RunFileState> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RunFileState(rs.getString(1), rs.getString(2), rs.getLong(3),
              rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7)));
        }
      }
      return out;
    }
  }

  /**
   * What {@code sink} still has to upload of a run's files and artifacts, one line each naming
   * the file or artifact, its attempts and last error; empty when nothing is pending.
   */
  public List<String> pendingUploads(String runId, String sink) throws SQLException {
    List<String> out = new ArrayList<>();
    for (RunFileState f : runFiles(runId, sink)) {
      if (f.uploadPending() || f.reportPending()) {
        out.add("run file " + f.name() + ": " + (f.uploadPending() ? "not uploaded" : "not reported")
            + attempts(f.attempts(), f.lastError()));
      }
    }
    for (ArtifactState a : artifacts(runId, sink)) {
      if (!a.committed()) {
        out.add("artifact " + a.name() + " (" + a.type() + "): not committed"
            + attempts(a.attempts(), a.lastError()));
      }
    }
    return out;
  }

  private static String attempts(int attempts, String lastError) {
    return attempts == 0 ? "" : " (" + attempts + " attempt" + (attempts == 1 ? "" : "s")
        + (lastError == null ? "" : "; last error: " + lastError) + ")";
  }

  /** A run's artifacts (without file contents) and their state for {@code sink}, in order. */
  public synchronized List<ArtifactState> artifacts(String runId, String sink) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT a.seq, a.name, a.type, a.description,"
        + " a.metadata_json, a.aliases_json, a.manifest_json, a.digest, s.committed, s.attempts,"
        + " s.last_error FROM artifacts a LEFT JOIN sink_artifacts s ON s.run_id = a.run_id"
        + " AND s.seq = a.seq AND s.sink = ? WHERE a.run_id = ? ORDER BY a.seq")) {
      ps.setString(1, sink);
      ps.setString(2, runId);
      List<ArtifactState> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> aliases = new ArrayList<>();
          for (Object o : Json.readList(rs.getString(6))) {
            aliases.add(String.valueOf(o));
          }
          out.add(new ArtifactState(rs.getInt(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), List.copyOf(aliases), rs.getString(7),
              rs.getString(8), rs.getInt(9) == 1, rs.getInt(10), rs.getString(11)));
        }
      }
      return out;
    }
  }

  /** The files of a run's artifact, by path (sorted). */
  public synchronized Map<String, byte[]> artifactFiles(String runId, int seq) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT path, content FROM artifact_files"
        + " WHERE run_id = ? AND seq = ? ORDER BY path")) {
      ps.setString(1, runId);
      ps.setInt(2, seq);
      Map<String, byte[]> out = new java.util.TreeMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getBytes(2));
        }
      }
      return out;
    }
  }

  /** A run file's stored bytes, if it has that file. */
  public synchronized Optional<byte[]> runFileContent(String runId, String name) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement(
        "SELECT content FROM run_files WHERE run_id = ? AND name = ?")) {
      ps.setString(1, runId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    }
  }

  /** How many system-metrics and console lines a run has: {@code {events, console}}. */
  public synchronized long[] eventAndConsoleLines(String runId) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT"
        + " (SELECT COALESCE(MAX(line_no) + 1, 0) FROM run_events WHERE run_id = ?),"
        + " (SELECT COALESCE(MAX(line_no) + 1, 0) FROM console_lines WHERE run_id = ?)")) {
      ps.setString(1, runId);
      ps.setString(2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /**
   * Console lines {@code [fromLine, ...)}, at most {@code maxLines} and about {@code maxChars},
   * never past a gap.
   */
  public synchronized List<ConsoleLine> console(String runId, long fromLine, int maxLines,
      long maxChars) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT line_no, stream, time_micros, text"
        + " FROM console_lines WHERE run_id = ? AND line_no >= ? ORDER BY line_no LIMIT ?")) {
      ps.setString(1, runId);
      ps.setLong(2, fromLine);
      ps.setInt(3, maxLines);
      List<ConsoleLine> out = new ArrayList<>();
      long chars = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ConsoleLine l = new ConsoleLine("stderr".equals(rs.getString(2)), rs.getLong(3),
              rs.getString(4));
          if (rs.getLong(1) != fromLine + out.size()
              || (!out.isEmpty() && chars + l.text().length() > maxChars)) {
            break;
          }
          out.add(l);
          chars += l.text().length();
        }
      }
      return out;
    }
  }

  /**
   * The parsed history of a run: every stored line in order, also past a gap (lines lost by an
   * earlier mnistlab, whose writer could drop a write); {@link HistoryRow#line()} shows it.
   */
  public List<HistoryRow> history(String runId) throws SQLException {
    List<StoredLine> all = new ArrayList<>();
    synchronized (this) {
      try (PreparedStatement ps = reader.prepareStatement("SELECT line_no, step, line FROM history"
          + " WHERE run_id = ? ORDER BY line_no")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            all.add(new StoredLine(rs.getLong(1), rs.getLong(2), rs.getString(3)));
          }
        }
      }
    }
    List<HistoryRow> out = new ArrayList<>();
    for (StoredLine l : all) {
      Map<String, Object> v = Json.readMap(l.line());
      Object rt = v.remove("_runtime");
      Object ts = v.remove("_timestamp");
      v.remove("_step");
      out.add(new HistoryRow(l.lineNo(), l.step(), asDouble(rt), asDouble(ts), v));
    }
    return out;
  }

  private static double asDouble(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** One metric's series, by step. */
  public synchronized List<MetricPoint> metric(String runId, String key) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT step, value FROM metrics"
        + " WHERE run_id = ? AND key = ? ORDER BY step")) {
      ps.setString(1, runId);
      ps.setString(2, key);
      List<MetricPoint> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long step = rs.getLong(1);
          double v = rs.getDouble(2);
          out.add(new MetricPoint(step, rs.wasNull() ? Double.NaN : v));
        }
      }
      return out;
    }
  }

  /** Every numeric metric series of a run, by key (sorted), each by step. */
  public synchronized Map<String, List<MetricPoint>> metrics(String runId) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT key, step, value FROM metrics"
        + " WHERE run_id = ? ORDER BY key, step")) {
      ps.setString(1, runId);
      Map<String, List<MetricPoint>> out = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          long step = rs.getLong(2);
          double v = rs.getDouble(3);
          out.computeIfAbsent(key, k -> new ArrayList<>()).add(new MetricPoint(step, rs.wasNull() ? Double.NaN : v));
        }
      }
      return out;
    }
  }

  /** The names of the numeric metrics logged by a run. */
  public synchronized List<String> metricKeys(String runId) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT DISTINCT key FROM metrics WHERE run_id = ? ORDER BY key")) {
      ps.setString(1, runId);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  /** A run's summary, parsed, ordered by key. */
  public Map<String, Object> summary(String runId) throws SQLException {
    return keyValues("SELECT key, value_json FROM summary WHERE run_id = ? ORDER BY key", runId);
  }

  /** A run's config, parsed, ordered by key. */
  public Map<String, Object> config(String runId) throws SQLException {
    return keyValues("SELECT key, value_json FROM run_config WHERE run_id = ? ORDER BY key", runId);
  }

  private synchronized Map<String, Object> keyValues(String sql, String runId) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement(sql)) {
      ps.setString(1, runId);
      Map<String, Object> out = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), Json.readValue(rs.getString(2)));
        }
      }
      return out;
    }
  }

  /** A run's provenance document (JSON), if stored. */
  public synchronized Optional<String> provenance(String runId) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT document FROM provenance WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** A run's predictions, by image index. */
  public synchronized List<TestPrediction> predictions(String runId) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT image_index, image, true_label,"
        + " predicted_label, probabilities FROM predictions WHERE run_id = ? ORDER BY image_index")) {
      ps.setString(1, runId);
      List<TestPrediction> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<Object> probs = Json.readList(rs.getString(5));
          float[] p = new float[probs.size()];
          for (int i = 0; i < p.length; i++) {
            p[i] = ((Number) probs.get(i)).floatValue();
          }
          out.add(TestPrediction.of(rs.getInt(1), rs.getBytes(2), rs.getInt(3), rs.getInt(4), p));
        }
      }
      return out;
    }
  }

  /** A sink's cursor for a run, if the sink has started on it. */
  public synchronized Optional<SinkCursor> cursor(String runId, String sink) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT history_acked, summary_acked,"
        + " config_acked, finish_acked, storage_id, entity, project, remote_name, url, last_error,"
        + " history_base, events_acked, console_acked, events_base, console_base"
        + " FROM sink_cursors WHERE run_id = ? AND sink = ?")) {
      ps.setString(1, runId);
      ps.setString(2, sink);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new SinkCursor(runId, sink, rs.getLong(1), rs.getLong(2), rs.getLong(3),
            rs.getInt(4) != 0, rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
            rs.getString(9), rs.getString(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
            rs.getLong(14), rs.getLong(15)));
      }
    }
  }

  // ---------------------------------------------------------------- W&B sweeps

  /**
   * Enqueues a sweep row (insert or replace every column). The caller reads the row first
   * ({@link #sweep}) so the W&amp;B id a resumed sweep got earlier is kept.
   */
  public CompletableFuture<Void> saveSweep(StoredSweep s) {
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO sweeps (sweep_key, project, entity,"
          + " config_yaml, controller, state, remote_id, storage_id, remote_entity, remote_project,"
          + " state_acked, url, last_error, updated_time)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (sweep_key) DO UPDATE SET project = excluded.project,"
          + " entity = excluded.entity, config_yaml = excluded.config_yaml,"
          + " controller = excluded.controller, state = excluded.state,"
          + " remote_id = excluded.remote_id, storage_id = excluded.storage_id,"
          + " remote_entity = excluded.remote_entity,"
          + " remote_project = excluded.remote_project, state_acked = excluded.state_acked,"
          + " url = excluded.url, last_error = excluded.last_error,"
          + " updated_time = excluded.updated_time");
      ps.setString(1, s.key());
      ps.setString(2, s.project());
      ps.setString(3, s.entity());
      ps.setString(4, s.configYaml());
      ps.setString(5, s.controller().name());
      ps.setString(6, s.state().wireName());
      ps.setString(7, s.remoteId());
      ps.setString(8, s.storageId());
      ps.setString(9, s.remoteEntity());
      ps.setString(10, s.remoteProject());
      ps.setString(11, s.stateAcked() == null ? null : s.stateAcked().wireName());
      ps.setString(12, s.url());
      ps.setString(13, s.lastError());
      ps.setLong(14, System.currentTimeMillis());
      ps.executeUpdate();
    });
  }

  /** Enqueues attaching a run to a recorded sweep (W&amp;B's {@code sweep} of the run's upsert). */
  public CompletableFuture<Void> attachRunToSweep(String runId, String sweepKey) {
    return writer().submitAndTrack(tx -> {
      PreparedStatement ps = tx.statement("INSERT INTO run_sweeps (run_id, sweep_key) VALUES (?, ?)"
          + " ON CONFLICT (run_id) DO UPDATE SET sweep_key = excluded.sweep_key");
      ps.setString(1, runId);
      ps.setString(2, sweepKey);
      ps.executeUpdate();
    });
  }

  private static final String SWEEP_COLUMNS = "sweep_key, project, entity, config_yaml,"
      + " controller, state, remote_id, storage_id, remote_entity, remote_project, state_acked, url,"
      + " last_error";

  /** A recorded sweep. */
  public synchronized Optional<StoredSweep> sweep(String key) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT " + SWEEP_COLUMNS
        + " FROM sweeps WHERE sweep_key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(storedSweep(rs)) : Optional.empty();
      }
    }
  }

  /** Every recorded sweep, by key. */
  public synchronized List<StoredSweep> sweeps() throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement("SELECT " + SWEEP_COLUMNS
        + " FROM sweeps ORDER BY sweep_key");
        ResultSet rs = ps.executeQuery()) {
      List<StoredSweep> out = new ArrayList<>();
      while (rs.next()) {
        out.add(storedSweep(rs));
      }
      return out;
    }
  }

  /** The key of the sweep a run is attached to, if any. */
  public synchronized Optional<String> sweepKeyOfRun(String runId) throws SQLException {
    try (PreparedStatement ps = reader.prepareStatement(
        "SELECT sweep_key FROM run_sweeps WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static StoredSweep storedSweep(ResultSet rs) throws SQLException {
    String acked = rs.getString(11);
    return new StoredSweep(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        dev.mnistlab.tracking.SweepController.valueOf(rs.getString(5)),
        dev.mnistlab.tracking.SweepState.fromWireName(rs.getString(6)), rs.getString(7),
        rs.getString(8), rs.getString(9), rs.getString(10),
        acked == null ? null : dev.mnistlab.tracking.SweepState.fromWireName(acked),
        rs.getString(12), rs.getString(13));
  }

  /** Commits what is queued, then closes the writer and the read connection. */
  /** Every row of one run (see {@link RunCopy}), or empty when there is no such run. */
  public synchronized Optional<RunRows> exportRun(String runId) throws SQLException {
    return RunCopy.read(reader, runId);
  }

  /**
   * Writes a run read from another store, replacing what this one held under its id (see {@link
   * RunCopy#write}); completes with whether the copy is now here.
   */
  public CompletableFuture<Boolean> importRun(RunRows run) {
    boolean[] imported = {false};
    return writer().submitAndTrack(tx -> imported[0] = RunCopy.write(tx, run))
        .thenApply(v -> imported[0]);
  }

  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
    synchronized (this) {
      try {
        reader.close();
      } catch (SQLException ignored) {
        // nothing left to do with a connection we are discarding
      }
    }
  }
}
