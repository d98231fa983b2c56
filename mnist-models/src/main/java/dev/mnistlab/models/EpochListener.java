package dev.mnistlab.models;

/**
 * Called by the {@link Trainer} after every epoch's evaluation, on the training thread. This is the
 * hook for printing, tracking (W&amp;B, the local store) and sweep early termination.
 */
@FunctionalInterface
public interface EpochListener {

  /** One epoch finished and was evaluated. Exceptions thrown here stop training. */
  void onEpoch(EpochResult result);
}
