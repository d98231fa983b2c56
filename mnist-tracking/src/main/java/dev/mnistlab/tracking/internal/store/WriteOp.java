package dev.mnistlab.tracking.internal.store;

import java.sql.SQLException;

/** One unit of work for the {@link StoreWriter}, applied inside the writer's current transaction. */
@FunctionalInterface
public interface WriteOp {
  /** Applies the write; statements come from {@code tx} so they are reused within a batch. */
  void apply(WriteTransaction tx) throws SQLException;
}
