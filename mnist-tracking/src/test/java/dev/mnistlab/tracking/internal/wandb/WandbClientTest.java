package dev.mnistlab.tracking.internal.wandb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class WandbClientTest {
  @Test
  void parsesRetryAfterAsSecondsOrHttpDate() {
    assertThat(WandbClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(WandbClient.retryAfter(null)).isNull();
    assertThat(WandbClient.retryAfter("soon")).isNull();
    String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    assertThat(WandbClient.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(60));
    assertThat(WandbClient.retryAfter(past)).isEqualTo(Duration.ZERO);
  }

  @Test
  void extractsTheServersErrorTextFromEitherErrorShape() {
    assertThat(WandbClient.errorMessage("{\"error\":\"rate limited\"}")).isEqualTo("rate limited");
    assertThat(WandbClient.errorMessage("{\"errors\":[{\"message\":\"run x was previously created and deleted\"}]}"))
        .isEqualTo("run x was previously created and deleted");
    assertThat(WandbClient.errorMessage("<html>bad gateway</html>")).isEqualTo("<html>bad gateway</html>");
    assertThat(WandbClient.errorMessage("x".repeat(1000))).hasSize(303);
  }

  @Test
  void convertsMetricDefinitionsToWandbFieldNumbers() {
    assertThat(UpsertVariables.metricDefinitions("[{\"name\":\"epoch\"},{\"name\":\"loss\",\"step\":\"epoch\"},"
        + "{\"name\":\"lr\",\"step\":\"epoch\"},{\"name\":\"free\"}]"))
        .containsExactly(java.util.Map.of("1", "epoch", "6", java.util.List.of(3)),
            java.util.Map.of("1", "loss", "5", 1, "6", java.util.List.of(3)),
            java.util.Map.of("1", "lr", "5", 1, "6", java.util.List.of(3)),
            java.util.Map.of("1", "free", "6", java.util.List.of(3)));
  }
}
