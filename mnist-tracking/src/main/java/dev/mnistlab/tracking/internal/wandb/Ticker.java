package dev.mnistlab.tracking.internal.wandb;

/** A monotonic clock in nanoseconds; tests substitute a fake that the {@link Sleeper} advances. */
public interface Ticker {
  /** Monotonic nanoseconds. */
  long nanoTime();

  /** The system ticker. */
  Ticker SYSTEM = System::nanoTime;
}
