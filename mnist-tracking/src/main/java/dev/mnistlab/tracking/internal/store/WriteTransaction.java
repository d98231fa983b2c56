package dev.mnistlab.tracking.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer's open transaction: hands out prepared statements cached by SQL text, so a batch of a
 * thousand {@code log()} calls prepares each statement once.
 */
public final class WriteTransaction implements AutoCloseable {
  private final Connection connection;
  private final Dialect dialect;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  WriteTransaction(Connection connection, Dialect dialect) {
    this.connection = connection;
    this.dialect = dialect;
  }

  /** The database dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** A prepared statement for {@code sql}, reused within this transaction (parameters cleared). */
  public PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    } else {
      ps.clearParameters();
    }
    return ps;
  }

  @Override
  public void close() {
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // closing a statement of a finished transaction; nothing to recover
      }
    }
    statements.clear();
  }
}
