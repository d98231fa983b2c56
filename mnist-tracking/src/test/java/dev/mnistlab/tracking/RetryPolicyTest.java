package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.wandb.RetryPolicy;
import dev.mnistlab.tracking.internal.wandb.WandbHttpException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  final RetryPolicy fileStream = RetryPolicy.mostFailures(Duration.ofSeconds(2), Duration.ofSeconds(60), 10, () -> 0.0);
  final RetryPolicy upsert = RetryPolicy.upsertBucket(Duration.ofSeconds(2), Duration.ofSeconds(60), 10, () -> 0.0);

  static WandbHttpException http(int status, String message) {
    return new WandbHttpException("op", status, message, null);
  }

  @Test
  void doesNotRetryTheOfficialClientsNonRetryableStatuses() {
    for (int s : new int[] {400, 401, 403, 404, 409, 410, 413, 422, 501}) {
      assertThat(fileStream.retryable(http(s, ""))).as("status %d", s).isFalse();
    }
    for (int s : new int[] {408, 429, 500, 502, 503, 504, 599}) {
      assertThat(fileStream.retryable(http(s, ""))).as("status %d", s).isTrue();
    }
    assertThat(fileStream.retryable(new IOException("connection reset"))).isTrue();
  }

  @Test
  void upsertRetriesConflictsButNotTheDeletedRunConflict() {
    assertThat(upsert.retryable(http(409, "concurrent update"))).isTrue();
    assertThat(upsert.retryable(http(409, "run abc was previously created and deleted; try a new run id"))).isFalse();
    assertThat(upsert.retryable(http(401, ""))).isFalse();
    assertThat(upsert.retryable(http(200, "graphql error"))).isFalse();
  }

  @Test
  void backoffDoublesFromTwoSecondsWithJitterAndCapsAtSixtySeconds() {
    RetryPolicy maxJitter = RetryPolicy.mostFailures(Duration.ofSeconds(2), Duration.ofSeconds(60), 10, () -> 1.0);
    assertThat(fileStream.waitBefore(0, http(500, ""))).isEqualTo(Duration.ofSeconds(2));
    assertThat(fileStream.waitBefore(3, http(500, ""))).isEqualTo(Duration.ofSeconds(16));
    assertThat(maxJitter.waitBefore(3, http(500, ""))).isEqualTo(Duration.ofSeconds(20));
    assertThat(fileStream.waitBefore(10, http(500, ""))).isEqualTo(Duration.ofSeconds(60));
    assertThat(fileStream.waitBefore(40, http(500, ""))).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void retryAfterIsUsedUnclamped() {
    assertThat(fileStream.waitBefore(0, new WandbHttpException("op", 429, "", Duration.ofSeconds(90))))
        .isEqualTo(Duration.ofSeconds(90));
  }
}
