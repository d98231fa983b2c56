package dev.mnistlab.tracking.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The SQL differences between the two supported databases; everything else is shared SQL. */
public enum Dialect {
  /** SQLite through xerial sqlite-jdbc: a single file, WAL journal. */
  SQLITE("BLOB"),
  /** PostgreSQL through pgjdbc. */
  POSTGRESQL("BYTEA");

  private final String blobType;

  Dialect(String blobType) {
    this.blobType = blobType;
  }

  /** The column type for binary data. */
  public String blobType() {
    return blobType;
  }

  /**
   * Prepares a connection for {@link #begin}/{@link #commit}/{@link #rollback}. SQLite connections
   * stay in auto-commit mode and transactions are opened explicitly with {@code BEGIN IMMEDIATE}
   * (the write lock is taken at once, waited for with the busy timeout, and a transaction never
   * fails half-way with {@code SQLITE_BUSY_SNAPSHOT}); sqlite-jdbc's implicit transactions lose
   * track after SQLite rolls back on its own (a full disk). PostgreSQL uses JDBC transactions.
   */
  public void prepare(Connection c) throws SQLException {
    c.setAutoCommit(this == SQLITE);
  }

  /** Opens a write transaction on a {@link #prepare}d connection. */
  public void begin(Connection c) throws SQLException {
    if (this == SQLITE) {
      try (Statement st = c.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
      }
    }
  }

  /** Commits the transaction opened by {@link #begin}. */
  public void commit(Connection c) throws SQLException {
    if (this == SQLITE) {
      try (Statement st = c.createStatement()) {
        st.execute("COMMIT");
      }
    } else {
      c.commit();
    }
  }

  /** Rolls back the transaction opened by {@link #begin}, if SQLite did not already. */
  public void rollback(Connection c) throws SQLException {
    if (this == SQLITE) {
      try (Statement st = c.createStatement()) {
        st.execute("ROLLBACK");
      } catch (SQLException e) {
        if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
          throw e;
        }
      }
    } else {
      c.rollback();
    }
  }

  /** Chooses the dialect from a JDBC URL. */
  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported store URL (expected a file path, jdbc:sqlite: or "
        + "jdbc:postgresql:): " + dev.mnistlab.tracking.LocalStore.redact(jdbcUrl));
  }
}
