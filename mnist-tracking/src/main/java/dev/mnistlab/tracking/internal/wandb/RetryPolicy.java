package dev.mnistlab.tracking.internal.wandb;

import java.time.Duration;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * The official client's retry rules (Go core {@code clients/retry_policy.go} and
 * {@code backoff.go}): which statuses are retried, and the wait before retry {@code n}:
 * {@code min(max, min * 2^n * U[1, 1.25])}, or the server's {@code Retry-After} when present.
 */
public final class RetryPolicy {
  /** Statuses never retried by {@code RetryMostFailures} (file_stream, GraphQL). */
  static final Set<Integer> NOT_RETRIED = Set.of(400, 401, 403, 404, 409, 410, 413, 422, 501);
  /** Statuses never retried by {@code UpsertBucketRetryPolicy}: 409 is retried there. */
  static final Set<Integer> NOT_RETRIED_UPSERT = Set.of(400, 401, 403, 404, 410, 413, 422, 501);

  private final Set<Integer> notRetried;
  private final Duration minWait;
  private final Duration maxWait;
  private final int maxRetries;
  private final DoubleSupplier uniform01;

  private RetryPolicy(Set<Integer> notRetried, Duration minWait, Duration maxWait, int maxRetries,
      DoubleSupplier uniform01) {
    this.notRetried = notRetried;
    this.minWait = minWait;
    this.maxWait = maxWait;
    this.maxRetries = maxRetries;
    this.uniform01 = uniform01;
  }

  /** {@code RetryMostFailures}, for file_stream and GraphQL. */
  public static RetryPolicy mostFailures(Duration min, Duration max, int maxRetries, DoubleSupplier rnd) {
    return new RetryPolicy(NOT_RETRIED, min, max, maxRetries, rnd);
  }

  /** {@code UpsertBucketRetryPolicy}: like most-failures but 409 conflicts are retried. */
  public static RetryPolicy upsertBucket(Duration min, Duration max, int maxRetries, DoubleSupplier rnd) {
    return new RetryPolicy(NOT_RETRIED_UPSERT, min, max, maxRetries, rnd);
  }

  /** Whether a failure may be retried (a 409 about a deleted run never is). */
  public boolean retryable(Exception failure) {
    if (failure instanceof RemoteRunConflict) {
      return false;
    }
    if (failure instanceof WandbHttpException h) {
      if (h.isDeletedRunConflict()) {
        return false;
      }
      int s = h.status();
      if (s == 200) {
        return false; // GraphQL errors with status 200 are not retried
      }
      return !notRetried.contains(s) && (s >= 400 || s < 100);
    }
    return true; // connection failures, timeouts
  }

  /** Maximum number of retries. */
  public int maxRetries() {
    return maxRetries;
  }

  /** The wait before retry {@code attempt} (0-based), honouring {@code Retry-After}. */
  public Duration waitBefore(int attempt, Exception failure) {
    if (failure instanceof WandbHttpException h && h.retryAfter() != null) {
      return h.retryAfter();
    }
    double factor = Math.pow(2, Math.min(attempt, 30)) * (1.0 + 0.25 * uniform01.getAsDouble());
    double nanos = Math.min(maxWait.toNanos(), minWait.toNanos() * factor);
    return Duration.ofNanos((long) nanos);
  }
}
