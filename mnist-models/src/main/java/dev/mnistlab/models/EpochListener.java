package dev.mnistlab.models;

/**
 * Called by the {@link Trainer} after every epoch's evaluation, on the training thread. This is the
 * hook for printing and tracking (W&amp;B, the local store); to stop training, use {@link
 * Trainer.Builder#stopWhen}.
 */
@FunctionalInterface
public interface EpochListener {

  /**
   * One epoch finished and was evaluated. An exception thrown here aborts training (the exception
   * propagates; there is no test evaluation and no result): to end training cleanly, use {@link
   * Trainer.Builder#stopWhen} instead.
   */
  void onEpoch(EpochResult result);
}
