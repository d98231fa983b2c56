package dev.mnistlab.tracking.internal.store;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every stored row of one run, table by table, with the column names each table had where they were
 * read: what {@link RunCopy} reads from one store and writes into another. Values are what JDBC
 * returned ({@code Long}, {@code Integer}, {@code Double}, {@code String}, {@code byte[]} or null),
 * so the value travels (Java serialization) between processes of the same mnistlab version.
 *
 * @param runId the run
 * @param state the run's state label when it was read ({@code running}, {@code finished}, ...)
 * @param tables rows by table name, {@code runs} first
 */
public record RunRows(String runId, String state, Map<String, Table> tables) implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** Copies and checks the components. */
  public RunRows {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
  }

  /** How many rows in all tables. */
  public int rowCount() {
    return tables.values().stream().mapToInt(t -> t.rows().size()).sum();
  }

  /**
   * One table's rows of the run.
   *
   * @param columns the column names, in the order of each row's values
   * @param rows the rows (arrays may hold nulls)
   */
  public record Table(List<String> columns, List<Object[]> rows) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    /** Copies the lists. */
    public Table {
      columns = List.copyOf(columns);
      rows = List.copyOf(rows);
    }
  }
}
