package dev.mnistlab.tracking.internal.store;

import dev.mnistlab.tracking.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies one run, every row of every table, from one store into another: how a run recorded in a
 * store that lives elsewhere (a Spark executor's scratch SQLite file) becomes part of the store
 * the user looks at. Generic over the tables' columns, so a column added by a migration travels
 * without a change here; the table list is the run's tables in foreign-key order.
 */
final class RunCopy {
  /** The tables holding a run's rows besides {@code runs}, keyed by {@code run_id}. */
  static final List<String> RUN_TABLES = List.of("run_config", "history", "metrics", "summary",
      "provenance", "sink_cursors", "predictions", "run_events", "console_lines", "run_files",
      "sink_files", "artifacts", "artifact_files", "sink_artifacts");

  private RunCopy() {}

  /** Reads every row of the run, or empty when the store has no such run. */
  static Optional<RunRows> read(Connection c, String runId) throws SQLException {
    Map<String, RunRows.Table> tables = new LinkedHashMap<>();
    RunRows.Table runs = table(c, "SELECT * FROM runs WHERE id = ?", runId);
    if (runs.rows().isEmpty()) {
      return Optional.empty();
    }
    tables.put("runs", runs);
    for (String t : RUN_TABLES) {
      tables.put(t, table(c, "SELECT * FROM " + t + " WHERE run_id = ?", runId));
    }
    int state = runs.columns().indexOf("state");
    return Optional.of(new RunRows(runId, String.valueOf(runs.rows().get(0)[state]), tables));
  }

  private static RunRows.Table table(Connection c, String sql, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          columns.add(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
        }
        List<Object[]> rows = new ArrayList<>();
        while (rs.next()) {
          Object[] row = new Object[columns.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = rs.getObject(i + 1);
          }
          rows.add(row);
        }
        return new RunRows.Table(columns, rows);
      }
    }
  }

  /**
   * Writes the run in the writer's transaction, replacing what the store held under its id (so an
   * import done twice leaves each row once). A run the store already holds as ended is not
   * replaced by a copy read while it was still running.
   *
   * @return whether the store now holds the copy
   */
  static boolean write(WriteTransaction tx, RunRows run) throws SQLException {
    PreparedStatement existing = tx.statement("SELECT state FROM runs WHERE id = ?");
    existing.setString(1, run.runId());
    try (ResultSet rs = existing.executeQuery()) {
      if (rs.next() && RunState.fromLabel(rs.getString(1)).isTerminal()
          && !RunState.fromLabel(run.state()).isTerminal()) {
        return false;
      }
    }
    for (String t : RUN_TABLES) {
      PreparedStatement delete = tx.statement("DELETE FROM " + t + " WHERE run_id = ?");
      delete.setString(1, run.runId());
      delete.executeUpdate();
    }
    PreparedStatement delete = tx.statement("DELETE FROM runs WHERE id = ?");
    delete.setString(1, run.runId());
    delete.executeUpdate();
    for (Map.Entry<String, RunRows.Table> e : run.tables().entrySet()) {
      String table = e.getKey();
      if (!table.equals("runs") && !RUN_TABLES.contains(table)) {
        throw new SQLException("not a table of a run: " + table);
      }
      RunRows.Table rows = e.getValue();
      if (rows.rows().isEmpty()) {
        continue;
      }
      String sql = "INSERT INTO " + table + " (" + String.join(", ", rows.columns()) + ") VALUES ("
          + String.join(", ", java.util.Collections.nCopies(rows.columns().size(), "?")) + ")";
      for (String column : rows.columns()) {
        if (!column.matches("[a-z_][a-z0-9_]*")) {
          throw new SQLException("not a column name: " + column);
        }
      }
      PreparedStatement insert = tx.statement(sql);
      for (Object[] row : rows.rows()) {
        insert.clearParameters();
        for (int i = 0; i < row.length; i++) {
          insert.setObject(i + 1, row[i]);
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
    return true;
  }
}
