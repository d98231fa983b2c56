package dev.mnistlab.tracking.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochMetricsTest {
  @Test
  void numbersRowRoundTripsToTheSameMetrics() {
    EpochMetrics m = EpochMetrics.builder(3).trainLoss(0.5).validationAccuracy(0.9)
        .validationMacro(0.8, 0.7, 0.75).seconds(2).build();
    EpochMetrics back = EpochMetrics.fromNumbers(m.toNumbers());
    assertThat(back.epoch()).isEqualTo(3);
    assertThat(back.toNumbers()).isEqualTo(m.toNumbers());
    assertThat(back.toMap()).isEqualTo(m.toMap());
  }

  @Test
  void rowWithoutAnEpochIsRejected() {
    assertThatThrownBy(() -> EpochMetrics.fromNumbers(Map.of("loss", 1.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
  }
}
