package dev.mnistlab.experiments.trial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.tracking.WandbMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TrialSpecTest {

  /** A spec with every field set, a variant included. */
  static TrialSpec full() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("model", "cnn-dropout");
    parameters.put("epochs", 3L);
    parameters.put("learning_rate", 0.002);
    return TrialSpec.builder("cnn-dropout")
        .epochs(3).batchSize(32).seed(7)
        .learningRate(OptionalDouble.of(0.002)).dropout(OptionalDouble.of(0.25))
        .l2(OptionalDouble.of(1e-4)).optimizer(Optional.of("sgd-nesterov"))
        .data(new DataSpec("fashion", Optional.of(Path.of("/data/fashion")), OptionalInt.of(500),
            OptionalInt.of(4000), 3, Map.of("train-images-idx3-ubyte", "ab12", "t10k-labels",
                "cd34")))
        .tracking(new TrackingSettings("jdbc:postgresql://db/runs", Optional.of(WandbMode.OFFLINE),
            "proj", Optional.of("team"), List.of("a", "b")))
        .membership(new SweepMembership("grid", 4, "0123456789ab", "a grid", "val_loss", false,
            parameters, Optional.of(Map.of("model", "cnn-dropout", "epochs", 3))))
        .build();
  }

  @Test
  void jsonFormRoundTripsEveryField() throws IOException {
    TrialSpec spec = full();
    TrialSpec back = TrialSpec.fromJson(spec.toJson());
    assertThat(back).isEqualTo(spec);
    assertThat(back.toJson()).isEqualTo(spec.toJson());
    assertThat(back.learningRate()).hasValue(0.002);
    assertThat(back.optimizer()).contains("sgd-nesterov");
    assertThat(back.data().dataDir()).contains(Path.of("/data/fashion"));
    assertThat(back.data().trainSubset()).hasValue(4000);
    assertThat(back.tracking().wandbMode()).contains(WandbMode.OFFLINE);
    assertThat(back.membership()).get().satisfies(m -> {
      assertThat(m.index()).isEqualTo(4);
      assertThat(m.maximize()).isFalse();
      assertThat(m.parameters()).containsExactly(Map.entry("model", "cnn-dropout"),
          Map.entry("epochs", 3L), Map.entry("learning_rate", 0.002));
      assertThat(m.variant()).get().isEqualTo(Map.of("model", "cnn-dropout", "epochs", 3L));
    });
  }

  @Test
  void jsonFormHasStableSnakeCaseKeysAndLeavesOutWhatIsUnset() throws IOException {
    TrialSpec minimal = TrialSpec.builder("mlp")
        .data(new DataSpec("mnist", Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), 42,
            Map.of()))
        .build();
    JsonNode json = new ObjectMapper().readTree(minimal.toJson());
    assertThat(json.fieldNames()).toIterable()
        .containsExactly("model", "epochs", "batch_size", "seed", "data", "tracking");
    assertThat(json.path("tracking").path("wandb").asText()).isEqualTo("auto");
    assertThat(json.path("data").has("data_dir")).isFalse();
    assertThat(TrialSpec.fromJson(minimal.toJson())).isEqualTo(minimal);
    assertThat(TrialSpec.fromJson(minimal.toJson()).tracking().wandbMode()).isEmpty();
    JsonNode full = new ObjectMapper().readTree(full().toJson());
    assertThat(full.fieldNames()).toIterable().containsExactly("model", "epochs", "batch_size",
        "seed", "learning_rate", "dropout", "l2", "optimizer", "data", "tracking", "sweep");
  }

  @Test
  void javaSerializationCarriesTheJsonForm() throws Exception {
    TrialSpec spec = full();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(spec);
    }
  }

  @Test
  void aDamagedJsonFormIsAnIoErrorSayingWhy() {
    assertThatThrownBy(() -> TrialSpec.fromJson("{\"model\": \"mlp\", \"epochs\": 0,"
        + " \"batch_size\": 1, \"seed\": 1, \"data\": {\"dataset\": \"mnist\", \"split_seed\": 1},"
        + " \"tracking\": {\"store\": \"s\", \"project\": \"p\"}}"))
        .isInstanceOf(IOException.class).hasMessageContaining("epochs must be >= 1");
    assertThatThrownBy(() -> TrialSpec.fromJson("[1, 2"))
        .isInstanceOf(IOException.class).hasMessageStartingWith("not a trial spec");
  }

  @Test
  void aLearningRateThatIsNotFiniteAndPositiveIsRefused() {
    assertThatThrownBy(() -> full().toBuilder()
        .learningRate(OptionalDouble.of(Double.POSITIVE_INFINITY)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learningRate");
  }
}
