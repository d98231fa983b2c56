package dev.mnistlab.tracking.internal.wandb;

/** Waits between retries; tests substitute a fake that advances a fake {@link Ticker}. */
public interface Sleeper {
  /**
   * Waits up to {@code nanos}; may return early when {@link #wakeUp()} is called.
   *
   * @throws InterruptedException if the thread is interrupted
   */
  void sleep(long nanos) throws InterruptedException;

  /** Ends a current {@link #sleep} early (e.g. on close). */
  void wakeUp();

  /** A sleeper on the system clock that {@link #wakeUp()} interrupts. */
  static Sleeper system() {
    return new Sleeper() {
      private final Object lock = new Object();
      private boolean woken;

      @Override
      public void sleep(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (lock) {
          while (!woken) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            lock.wait(left / 1_000_000, (int) (left % 1_000_000));
          }
          woken = false;
        }
      }

      @Override
      public void wakeUp() {
        synchronized (lock) {
          woken = true;
          lock.notifyAll();
        }
      }
    };
  }
}
