package dev.mnistlab.tracking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A table logged as a history value ({@code run.log(Map.of("predictions", table))}): named columns
 * and rows of cells, each a string, a number, a boolean, {@code null} or an {@link Image}. W&amp;B
 * shows it as an interactive table; it is stored with the run as {@code media/table/...table.json}
 * (its images under {@code media/images/}) and uploaded from the local store. Immutable.
 *
 * <pre>{@code
 * Table t = Table.builder("index", "image", "label")
 *     .row(0, Image.png(bytes), "7")
 *     .build();
 * }</pre>
 */
public final class Table {
  private final List<String> columns;
  private final List<List<Object>> rows;

  private Table(List<String> columns, List<List<Object>> rows) {
    this.columns = columns;
    this.rows = rows;
  }

  /**
   * A table of {@code rows}, each with one cell per column.
   *
   * @throws IllegalArgumentException for no, blank or repeated column names, a row of another
   *     length, or a cell of an unsupported type (the message names row and column)
   */
  public static Table of(List<String> columns, List<? extends List<?>> rows) {
    Builder b = new Builder(columns.toArray(new String[0]));
    for (List<?> row : rows) {
      b.row(row.toArray());
    }
    return b.build();
  }

  /** A builder of a table with these columns. */
  public static Builder builder(String... columns) {
    return new Builder(columns);
  }

  /** The column names. */
  public List<String> columns() {
    return columns;
  }

  /** The rows (unmodifiable). */
  public List<List<Object>> rows() {
    return rows;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Table t && t.columns.equals(columns) && t.rows.equals(rows);
  }

  @Override
  public int hashCode() {
    return Objects.hash(columns, rows);
  }

  @Override
  public String toString() {
    return "Table{columns=" + columns + ", rows=" + rows.size() + "}";
  }

  /** Builds a {@link Table} row by row. */
  public static final class Builder {
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    private Builder(String... columns) {
      Objects.requireNonNull(columns, "columns");
      if (columns.length == 0) {
        throw new IllegalArgumentException("a table needs at least one column");
      }
      Set<String> seen = new HashSet<>();
      for (String c : columns) {
        if (c == null || c.isBlank()) {
          throw new IllegalArgumentException("table column names must be non-blank: " + Arrays.toString(columns));
        }
        if (!seen.add(c)) {
          throw new IllegalArgumentException("table column '" + c + "' appears twice");
        }
      }
      this.columns = List.of(columns);
    }

    /** Adds a row: one cell per column, in column order. */
    public Builder row(Object... cells) {
      Objects.requireNonNull(cells, "cells");
      int index = rows.size();
      if (cells.length != columns.size()) {
        throw new IllegalArgumentException("table row " + index + " has " + cells.length
            + " cells: expected " + columns.size() + " (" + String.join(", ", columns) + ")");
      }
      List<Object> row = new ArrayList<>(cells.length);
      for (int i = 0; i < cells.length; i++) {
        Object v = cells[i];
        if (v instanceof CharSequence cs) {
          v = cs.toString();
        } else if (!(v == null || v instanceof Number || v instanceof Boolean || v instanceof Image)) {
          throw new IllegalArgumentException("table row " + index + ", column '" + columns.get(i)
              + "': unsupported cell type " + v.getClass().getName()
              + " (expected a string, number, boolean, null or Image)");
        }
        row.add(v);
      }
      rows.add(java.util.Collections.unmodifiableList(row));
      return this;
    }

    /** The table. */
    public Table build() {
      return new Table(columns, List.copyOf(rows));
    }
  }
}
