package dev.mnistlab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;

class HyperparametersTest {

  @Test
  void roundTripsThroughItsMap() {
    Hyperparameters hp =
        Hyperparameters.builder()
            .learningRate(0.01)
            .optimizer(Optimizer.RMSPROP)
            .dropout(0.3)
            .l2(1e-4)
            .weightInit(WeightInit.XAVIER_UNIFORM)
            .seed(7)
            .augment(true)
            .lrSchedule(LearningRateSchedule.step(3, 0.5))
            .build();

    assertThat(hp.toMap())
        .containsEntry("learning_rate", 0.01)
        .containsEntry("lr_schedule", "step:3:0.5")
        .containsEntry("optimizer", "rmsprop")
        .containsEntry("weight_init", "xavier_uniform");
    assertThat(Hyperparameters.fromMap(hp.toMap(), Hyperparameters.builder().build())).isEqualTo(hp);
  }

  @Test
  void readsSweepStyleValues() {
    Hyperparameters hp =
        Hyperparameters.fromMap(
            Map.of("learning_rate", "0.002", "optimizer", "sgd-nesterov", "seed", 3),
            ModelZoo.get("cnn-basic").defaults());

    assertThat(hp.learningRate()).isEqualTo(0.002);
    assertThat(hp.optimizer()).isEqualTo(Optimizer.SGD_NESTEROV);
    assertThat(hp.seed()).isEqualTo(3);
  }

  @Test
  void rejectsUnknownKeysAndBadValuesNamingThem() {
    Hyperparameters base = Hyperparameters.builder().build();
    assertThatThrownBy(() -> Hyperparameters.fromMap(Map.of("momentum", 0.9), base))
        .hasMessageContaining("momentum")
        .hasMessageContaining("learning_rate");
    assertThatThrownBy(() -> Hyperparameters.fromMap(Map.of("optimizer", "adagrad"), base))
        .hasMessageContaining("adagrad")
        .hasMessageContaining("adam, sgd-nesterov, rmsprop");
    assertThatThrownBy(() -> Hyperparameters.builder().dropout(1.0).build())
        .hasMessageContaining("dropout must be in [0, 1)");
    assertThatThrownBy(() -> Hyperparameters.builder().learningRate(0).build())
        .hasMessageContaining("learning_rate");
  }

  @Test
  void aMapWrittenBeforeSchedulesExistedReadsAsAConstantRate() {
    Hyperparameters hp = Hyperparameters.fromMap(
        Map.of("learning_rate", 0.01, "optimizer", "adam", "dropout", 0.0, "l2", 0.0,
            "weight_init", "relu", "seed", 42, "augment", false),
        Hyperparameters.builder().build());
    assertThat(hp.lrSchedule()).isEqualTo(LearningRateSchedule.constant());
  }

  @Test
  void cosineOverTheTrainingFollowsItsLengthAndNeverTrainsAnEpochAtZero() {
    LearningRateSchedule cosine = LearningRateSchedule.parse("cosine");
    assertThat(cosine).isEqualTo(LearningRateSchedule.cosine());
    assertThat(cosine.toString()).isEqualTo("cosine");
    assertThat(cosine.rate(1, 15, 0.002)).isEqualTo(0.002);
    assertThat(cosine.rate(8, 15, 1.0)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 7 / 15)),
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(cosine.rate(15, 15, 1.0)).isPositive().isLessThan(0.02);
    assertThat(cosine.rate(2, 4, 1.0)).isGreaterThan(cosine.rate(2, 2, 1.0));
    assertThatThrownBy(() -> cosine.rate(1, 1.0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> LearningRateSchedule.parse("cosine:5"))
        .hasMessageContaining(LearningRateSchedule.FORMS);
  }

  @Test
  void learningRateSchedulesGiveTheDocumentedRates() {
    assertThat(LearningRateSchedule.constant().rate(5, 0.1)).isEqualTo(0.1);
    assertThat(LearningRateSchedule.step(2, 0.5).rate(1, 0.1)).isEqualTo(0.1);
    assertThat(LearningRateSchedule.step(2, 0.5).rate(3, 0.1)).isEqualTo(0.05);
    assertThat(LearningRateSchedule.exponential(0.9).rate(3, 1.0)).isCloseTo(0.81, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(LearningRateSchedule.cosine(5, 0.1).rate(1, 1.0)).isEqualTo(1.0);
    assertThat(LearningRateSchedule.cosine(5, 0.1).rate(5, 1.0)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(LearningRateSchedule.parse("step:2:0.5")).isEqualTo(LearningRateSchedule.step(2, 0.5));
    assertThat(LearningRateSchedule.parse(LearningRateSchedule.cosine(10, 0.0).toString()))
        .isEqualTo(LearningRateSchedule.cosine(10, 0.0));
    assertThatThrownBy(() -> LearningRateSchedule.parse("linear")).hasMessageContaining("exponential:GAMMA");
  }
}
