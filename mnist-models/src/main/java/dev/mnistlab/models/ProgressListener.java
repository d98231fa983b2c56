package dev.mnistlab.models;

/**
 * Called by the {@link Trainer} after every training batch, on the training thread, for progress
 * bars. Keep it cheap: it runs once per batch.
 */
@FunctionalInterface
public interface ProgressListener {

  /**
   * A batch was trained.
   *
   * @param epoch 1-based epoch
   * @param batch 1-based batch number within the epoch
   * @param batchesPerEpoch batches in an epoch, or -1 if the data iterator does not tell
   * @param loss the batch's training loss
   */
  void onBatch(int epoch, int batch, int batchesPerEpoch, double loss);
}
