package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.store.RunRows;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * A copy of one run, every stored row of it (config, history, metrics, summary, provenance,
 * console, events, files, predictions, upload cursors), taken from one {@link LocalStore} by
 * {@link LocalStore#exportRun} and written into another by {@link LocalStore#importRun}. It is how a
 * run recorded where the user's store is not reachable (a Spark executor writing to its own scratch
 * SQLite file) ends up in the user's store. Serializable between processes of the same mnistlab
 * version; immutable.
 */
public final class RunExport implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final RunRows rows;

  RunExport(RunRows rows) {
    this.rows = Objects.requireNonNull(rows, "rows");
  }

  /** The run's id. */
  public String runId() {
    return rows.runId();
  }

  /** The run's state when it was exported. */
  public RunState state() {
    return RunState.fromLabel(rows.state());
  }

  /** How many stored rows the copy holds, over all tables. */
  public int rowCount() {
    return rows.rowCount();
  }

  RunRows rows() {
    return rows;
  }

  @Override
  public String toString() {
    return "RunExport{" + runId() + ", " + rows.state() + ", " + rowCount() + " rows}";
  }
}
