package dev.mnistlab.models;

/**
 * Training diverged: an epoch's mean training loss is NaN or infinite (the weights blew up,
 * almost always from a learning rate far too large). Thrown by the {@link Trainer} at the end of
 * that epoch, before evaluating a network whose outputs are no longer numbers.
 */
public final class TrainingDivergedException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final double loss;

  /**
   * Creates the exception.
   *
   * @param epoch the epoch (from 1) whose loss was not finite
   * @param loss that loss
   */
  public TrainingDivergedException(int epoch, double loss) {
    super("training diverged: loss " + loss + " in epoch " + epoch);
    this.epoch = epoch;
    this.loss = loss;
  }

  /** The epoch (from 1) whose loss was not finite. */
  public int epoch() {
    return epoch;
  }

  /** The epoch's mean training loss (NaN or infinite). */
  public double loss() {
    return loss;
  }
}
