package dev.mnistlab.tracking.internal.wandb;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a W&amp;B call until it succeeds, a non-retryable error arrives, the retry budget is spent,
 * or the caller's deadline passes. Waits come from the {@link RetryPolicy}; time from the injected
 * {@link Ticker} and {@link Sleeper}, so tests simulate hours of outage instantly.
 */
public final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /** A single attempt. */
  @FunctionalInterface
  public interface Call<T> {
    /**
     * Makes the attempt.
     *
     * @param timeLeft time until the caller's deadline, to bound the attempt itself (so a server
     *     that accepts and never answers cannot outlast the deadline); {@link Duration#ZERO} when
     *     there is no deadline
     */
    T run(Duration timeLeft) throws IOException;
  }

  /** The deadline passed before the call succeeded. */
  public static final class DeadlineExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlineExceeded(String what, Exception last) {
      super(what + " did not succeed before the deadline"
          + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }
  }

  private final Ticker ticker;
  private final Sleeper sleeper;

  /** Creates a retrier on the given clock. */
  public Retrier(Ticker ticker, Sleeper sleeper) {
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  /**
   * Runs {@code call} under {@code policy}.
   *
   * @param deadlineNanos supplies the current deadline ({@link Ticker} time); read before every
   *     wait, so a caller may shorten it while a retry is pending ({@code Long.MAX_VALUE}: none)
   * @throws WandbHttpException for a non-retryable status (or the last one when the budget ran out)
   * @throws DeadlineExceeded when the deadline passes first
   * @throws IOException the last connection failure when the budget ran out
   */
  public <T> T run(String what, RetryPolicy policy, LongSupplier deadlineNanos, Call<T> call,
      RetryListener listener) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      if (ticker.nanoTime() - deadlineNanos.getAsLong() >= 0) {
        throw new DeadlineExceeded(what, null);
      }
      long deadline0 = deadlineNanos.getAsLong();
      Duration timeLeft = deadline0 == Long.MAX_VALUE ? Duration.ZERO
          : Duration.ofNanos(Math.max(1_000_000, deadline0 - ticker.nanoTime()));
      try {
        T result = call.run(timeLeft);
        if (attempt > 0) {
          LOG.info("{} succeeded after {} retr{}", what, attempt, attempt == 1 ? "y" : "ies");
        }
        return result;
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException(what + " interrupted");
        }
        if (!policy.retryable(e) || attempt >= policy.maxRetries()) {
          throw e;
        }
        Duration wait = policy.waitBefore(attempt, e);
        listener.onRetry(attempt, e, wait);
        long until = ticker.nanoTime() + wait.toNanos();
        long deadline = deadlineNanos.getAsLong();
        if (until - deadline > 0) {
          // Wait only until the deadline, then try once more there (close() wants a last attempt).
          long left = deadline - ticker.nanoTime();
          if (left <= 0) {
            throw new DeadlineExceeded(what, e);
          }
          sleeper.sleep(left);
          if (ticker.nanoTime() - deadlineNanos.getAsLong() >= 0) {
            throw new DeadlineExceeded(what, e);
          }
        } else {
          sleeper.sleep(wait.toNanos());
        }
      }
    }
  }

  /** Told about every retry (for logging and status). */
  @FunctionalInterface
  public interface RetryListener {
    /** Called before waiting for retry {@code attempt}. */
    void onRetry(int attempt, Exception failure, Duration wait);
  }
}
