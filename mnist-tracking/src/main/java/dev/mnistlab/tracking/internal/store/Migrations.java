package dev.mnistlab.tracking.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, applied in order inside one transaction each and recorded in
 * {@code schema_version}. The SQL is the common subset of SQLite and PostgreSQL; only the blob type
 * differs ({@code ${blob}}). Never edit a released migration: append a new one.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** One schema step. */
  record Migration(int version, String description, List<String> statements) {}

  static final List<Migration> ALL = List.of(
      new Migration(1, "runs, config, history, metrics, summary, provenance, sink cursors, predictions",
          List.of(
              "CREATE TABLE runs ("
                  + "id VARCHAR(128) PRIMARY KEY,"
                  + " project VARCHAR(128) NOT NULL,"
                  + " name TEXT,"
                  + " run_group TEXT,"
                  + " job_type TEXT,"
                  + " tags TEXT NOT NULL,"
                  + " notes TEXT,"
                  + " state VARCHAR(16) NOT NULL,"
                  + " exit_code INTEGER,"
                  + " error TEXT,"
                  + " start_time BIGINT NOT NULL,"
                  + " end_time BIGINT,"
                  + " heartbeat_time BIGINT NOT NULL,"
                  + " host TEXT,"
                  + " pid BIGINT,"
                  + " history_lines BIGINT NOT NULL,"
                  + " last_step BIGINT,"
                  + " summary_version BIGINT NOT NULL,"
                  + " config_version BIGINT NOT NULL,"
                  + " metric_definitions TEXT NOT NULL)",
              "CREATE INDEX runs_by_project_group ON runs (project, run_group)",
              "CREATE INDEX runs_by_start ON runs (start_time)",
              "CREATE TABLE run_config ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " key TEXT NOT NULL,"
                  + " value_json TEXT NOT NULL,"
                  + " PRIMARY KEY (run_id, key))",
              // One row per logged step: the exact W&B history line (line_no = upload offset).
              "CREATE TABLE history ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " line_no BIGINT NOT NULL,"
                  + " step BIGINT NOT NULL,"
                  + " line TEXT NOT NULL,"
                  + " PRIMARY KEY (run_id, line_no))",
              // Numeric scalars of each step, narrow, for SQL and per-run metric series.
              "CREATE TABLE metrics ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " key TEXT NOT NULL,"
                  + " step BIGINT NOT NULL,"
                  + " value DOUBLE PRECISION,"
                  + " PRIMARY KEY (run_id, key, step))",
              "CREATE TABLE summary ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " key TEXT NOT NULL,"
                  + " value_json TEXT NOT NULL,"
                  + " PRIMARY KEY (run_id, key))",
              "CREATE TABLE provenance ("
                  + "run_id VARCHAR(128) PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,"
                  + " document TEXT NOT NULL)",
              "CREATE TABLE sink_cursors ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " sink VARCHAR(32) NOT NULL,"
                  + " history_acked BIGINT NOT NULL,"
                  + " summary_acked BIGINT NOT NULL,"
                  + " config_acked BIGINT NOT NULL,"
                  + " finish_acked INTEGER NOT NULL,"
                  + " storage_id TEXT,"
                  + " entity TEXT,"
                  + " project TEXT,"
                  + " remote_name TEXT,"
                  + " url TEXT,"
                  + " last_error TEXT,"
                  + " updated_time BIGINT NOT NULL,"
                  + " PRIMARY KEY (run_id, sink))",
              "CREATE TABLE predictions ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " image_index INTEGER NOT NULL,"
                  + " image ${blob} NOT NULL,"
                  + " true_label INTEGER NOT NULL,"
                  + " predicted_label INTEGER NOT NULL,"
                  + " probabilities TEXT NOT NULL,"
                  + " PRIMARY KEY (run_id, image_index))")),
      new Migration(2, "trial claims: which process runs which trial of a sweep",
          List.of(
              "CREATE TABLE trial_claims ("
                  + "sweep_key VARCHAR(255) NOT NULL,"
                  + " trial INTEGER NOT NULL,"
                  + " owner_token VARCHAR(64) NOT NULL,"
                  + " owner_host TEXT,"
                  + " owner_pid BIGINT,"
                  + " claimed_time BIGINT NOT NULL,"
                  + " heartbeat_time BIGINT NOT NULL,"
                  + " completed INTEGER NOT NULL,"
                  + " PRIMARY KEY (sweep_key, trial))")),
      // A run that continues (resumes) a W&B run with history appends after the remote lines.
      new Migration(3, "sink cursors: remote history base of a continued run",
          List.of("ALTER TABLE sink_cursors ADD COLUMN history_base BIGINT NOT NULL DEFAULT 0")),
      // What fills W&B's System, Logs and Files tabs, stored first like the history: each line
      // table is append-only with a gap-free line_no (the file_stream offset), the sink cursor
      // holds how far each was acknowledged (and the remote base of a continued run), and
      // sink_files holds which digest of which run file a sink has uploaded and reported.
      new Migration(4, "system metrics lines, console lines, run files and their upload state",
          List.of(
              "CREATE TABLE run_events ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " line_no BIGINT NOT NULL,"
                  + " line TEXT NOT NULL,"
                  + " PRIMARY KEY (run_id, line_no))",
              "CREATE TABLE console_lines ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " line_no BIGINT NOT NULL,"
                  + " stream VARCHAR(8) NOT NULL,"
                  + " time_micros BIGINT NOT NULL,"
                  + " text TEXT NOT NULL,"
                  + " PRIMARY KEY (run_id, line_no))",
              "CREATE TABLE run_files ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " name VARCHAR(1024) NOT NULL,"
                  + " content ${blob} NOT NULL,"
                  + " md5 VARCHAR(32) NOT NULL,"
                  + " size BIGINT NOT NULL,"
                  + " updated_time BIGINT NOT NULL,"
                  + " PRIMARY KEY (run_id, name))",
              "CREATE TABLE sink_files ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " sink VARCHAR(32) NOT NULL,"
                  + " name VARCHAR(1024) NOT NULL,"
                  + " uploaded_md5 VARCHAR(32),"
                  + " reported_md5 VARCHAR(32),"
                  + " attempts INTEGER NOT NULL,"
                  + " last_error TEXT,"
                  + " updated_time BIGINT NOT NULL,"
                  + " PRIMARY KEY (run_id, sink, name))",
              "ALTER TABLE sink_cursors ADD COLUMN events_acked BIGINT NOT NULL DEFAULT 0",
              "ALTER TABLE sink_cursors ADD COLUMN console_acked BIGINT NOT NULL DEFAULT 0",
              "ALTER TABLE sink_cursors ADD COLUMN events_base BIGINT NOT NULL DEFAULT 0",
              "ALTER TABLE sink_cursors ADD COLUMN console_base BIGINT NOT NULL DEFAULT 0")),
      // A sweep registered on W&B is recorded first like a run: what to register (config YAML,
      // controller), the state it should have, and what W&B acknowledged (its sweep id, the
      // state last sent); a resumed sweep finds its W&B sweep here. run_sweeps attaches runs.
      new Migration(5, "W&B sweeps and the runs attached to them",
          List.of(
              "CREATE TABLE sweeps ("
                  + "sweep_key VARCHAR(255) PRIMARY KEY,"
                  + " project VARCHAR(128) NOT NULL,"
                  + " entity TEXT,"
                  + " config_yaml TEXT NOT NULL,"
                  + " controller VARCHAR(16) NOT NULL,"
                  + " state VARCHAR(16) NOT NULL,"
                  + " remote_id TEXT,"
                  + " storage_id TEXT,"
                  + " remote_entity TEXT,"
                  + " remote_project TEXT,"
                  + " state_acked VARCHAR(16),"
                  + " url TEXT,"
                  + " last_error TEXT,"
                  + " updated_time BIGINT NOT NULL)",
              "CREATE TABLE run_sweeps ("
                  + "run_id VARCHAR(128) PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,"
                  + " sweep_key VARCHAR(255) NOT NULL)",
              "CREATE INDEX run_sweeps_by_sweep ON run_sweeps (sweep_key)")),
      // Artifacts (W&B §8): what was logged, its files, and per sink whether it is committed.
      new Migration(6, "artifacts, their files and their upload state",
          List.of(
              "CREATE TABLE artifacts ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " seq INTEGER NOT NULL,"
                  + " name VARCHAR(128) NOT NULL,"
                  + " type VARCHAR(128) NOT NULL,"
                  + " description TEXT,"
                  + " metadata_json TEXT NOT NULL,"
                  + " aliases_json TEXT NOT NULL,"
                  + " manifest_json TEXT NOT NULL,"
                  + " digest VARCHAR(32) NOT NULL,"
                  + " created_time BIGINT NOT NULL,"
                  + " PRIMARY KEY (run_id, seq))",
              "CREATE TABLE artifact_files ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " seq INTEGER NOT NULL,"
                  + " path VARCHAR(1024) NOT NULL,"
                  + " content ${blob} NOT NULL,"
                  + " PRIMARY KEY (run_id, seq, path))",
              "CREATE TABLE sink_artifacts ("
                  + "run_id VARCHAR(128) NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                  + " sink VARCHAR(32) NOT NULL,"
                  + " seq INTEGER NOT NULL,"
                  + " committed INTEGER NOT NULL,"
                  + " attempts INTEGER NOT NULL,"
                  + " last_error TEXT,"
                  + " updated_time BIGINT NOT NULL,"
                  + " PRIMARY KEY (run_id, sink, seq))")));

  private Migrations() {}

  /** The schema version this code writes. */
  public static int latestVersion() {
    return ALL.get(ALL.size() - 1).version();
  }

  /**
   * Brings the database to {@link #latestVersion()} in one transaction that first takes the
   * database's write lock (SQLite {@code BEGIN IMMEDIATE}, a PostgreSQL advisory lock), so
   * processes opening a new store at the same moment migrate it once, one after the other: the
   * version is read under the lock. A lock held by another process surfaces as {@code SQLITE_BUSY}
   * (or a PostgreSQL serialization failure), which {@link JdbcStore#open} waits out.
   *
   * @throws SQLException if a migration fails (it is rolled back) or the database is newer than
   *     this code
   */
  public static void apply(Connection c, Dialect dialect) throws SQLException {
    boolean auto = c.getAutoCommit();
    dialect.prepare(c);
    try (Statement st = c.createStatement()) {
      dialect.begin(c);
      if (dialect == Dialect.POSTGRESQL) {
        st.execute("SELECT pg_advisory_xact_lock(" + POSTGRES_LOCK_KEY + ")");
      }
      st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
          + " description TEXT NOT NULL, applied_time BIGINT NOT NULL)");
      int current = 0;
      try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          current = rs.getInt(1);
        }
      }
      if (current > latestVersion()) {
        throw new SQLException("the store has schema version " + current
            + " but this mnistlab understands at most " + latestVersion() + "; upgrade mnistlab");
      }
      for (Migration m : ALL) {
        if (m.version() <= current) {
          continue;
        }
        for (String sql : m.statements()) {
          st.execute(sql.replace("${blob}", dialect.blobType()));
        }
        try (var ps = c.prepareStatement(
            "INSERT INTO schema_version (version, description, applied_time) VALUES (?, ?, ?)")) {
          ps.setInt(1, m.version());
          ps.setString(2, m.description());
          ps.setLong(3, System.currentTimeMillis());
          ps.executeUpdate();
        }
        LOG.info("store schema migrated to version {} ({})", m.version(), m.description());
      }
      dialect.commit(c);
    } catch (SQLException e) {
      try {
        dialect.rollback(c);
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /**
   * Checks, without writing, that a store opened read-only has a schema this code can read.
   *
   * @throws SQLException naming what is wrong
   */
  public static void checkReadable(Connection c) throws SQLException {
    int current;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
      current = rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      throw new SQLException("not a mnistlab run store (no schema_version table): "
          + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
    }
    if (current > latestVersion()) {
      throw new SQLException("the store has schema version " + current
          + " but this mnistlab understands at most " + latestVersion() + "; upgrade mnistlab");
    }
  }

  /** The PostgreSQL advisory lock key that serialises migrations ("mnistlab" in ASCII). */
  private static final long POSTGRES_LOCK_KEY = 0x6d6e6973746c6162L;
}
