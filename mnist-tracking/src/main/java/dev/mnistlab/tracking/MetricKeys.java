package dev.mnistlab.tracking;

import java.util.List;

/**
 * Names of the metrics mnistlab logs, shared by the DL4J listener, the trainer wiring and reports.
 * Per-epoch keys are history series plotted against {@link #EPOCH}; {@code best_*} and
 * {@code test_*} keys are summary values.
 */
public final class MetricKeys {
  /** Epoch number, 1-based; the x-axis of every per-epoch metric. */
  public static final String EPOCH = "epoch";
  /** Mean training loss over the epoch. */
  public static final String LOSS = "loss";
  /** Training accuracy over the epoch. */
  public static final String ACCURACY = "accuracy";
  /** Validation loss. */
  public static final String VAL_LOSS = "val_loss";
  /** Validation accuracy. */
  public static final String VAL_ACCURACY = "val_accuracy";
  /** Validation precision, macro-averaged over classes. */
  public static final String VAL_PRECISION = "val_precision";
  /** Validation recall, macro-averaged over classes. */
  public static final String VAL_RECALL = "val_recall";
  /** Validation F1, macro-averaged over classes. */
  public static final String VAL_F1 = "val_f1";
  /** Learning rate at the end of the epoch. */
  public static final String LEARNING_RATE = "learning_rate";
  /** Wall-clock seconds of the epoch's training. */
  public static final String EPOCH_SECONDS = "epoch_seconds";
  /** Training throughput of the epoch. */
  public static final String IMAGES_PER_SECOND = "images_per_second";

  /** Summary: best validation accuracy. */
  public static final String BEST_VAL_ACCURACY = "best_val_accuracy";
  /** Summary: lowest validation loss. */
  public static final String BEST_VAL_LOSS = "best_val_loss";
  /** Summary: epoch of the best validation accuracy. */
  public static final String BEST_EPOCH = "best_epoch";
  /** Summary: test loss. */
  public static final String TEST_LOSS = "test_loss";
  /** Summary: test accuracy. */
  public static final String TEST_ACCURACY = "test_accuracy";
  /** Summary: test precision (macro). */
  public static final String TEST_PRECISION = "test_precision";
  /** Summary: test recall (macro). */
  public static final String TEST_RECALL = "test_recall";
  /** Summary: test F1 (macro). */
  public static final String TEST_F1 = "test_f1";

  /** Every per-epoch key except {@link #EPOCH}, in logging order. */
  public static final List<String> EPOCH_METRICS = List.of(LOSS, ACCURACY, VAL_LOSS, VAL_ACCURACY,
      VAL_PRECISION, VAL_RECALL, VAL_F1, LEARNING_RATE, EPOCH_SECONDS, IMAGES_PER_SECOND);

  private MetricKeys() {}
}
