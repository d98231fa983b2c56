package dev.mnistlab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelZooTest {

  static java.util.List<String> names() {
    return ModelZoo.names();
  }

  @Test
  void listsTheSixModelsSimplestFirst() {
    assertThat(ModelZoo.names())
        .containsExactly("mlp", "cnn-basic", "cnn-dropout", "cnn-batchnorm", "lenet5", "cnn-deep");
  }

  @Test
  void rejectsUnknownNameListingValidOnes() {
    assertThatThrownBy(() -> ModelZoo.get("resnet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resnet")
        .hasMessageContaining("cnn-basic, cnn-dropout");
  }

  @Test
  void findsModelsCaseInsensitively() {
    assertThat(ModelZoo.get(" CNN-Basic ").name()).isEqualTo("cnn-basic");
  }

  @ParameterizedTest
  @MethodSource("names")
  void buildsAndGivesTenProbabilitiesPerImage(String name) {
    MultiLayerNetwork network = ModelZoo.get(name).build();
    INDArray input = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);

    INDArray output = network.output(input, false);

    assertThat(output.shape()).containsExactly(3, 10);
    assertThat(output.dataType()).isEqualTo(DataType.FLOAT);
    for (int i = 0; i < 3; i++) {
      assertThat(output.getRow(i).sumNumber().doubleValue()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void summaryListsLayersShapesAndParameterCounts() {
    String summary = ModelZoo.get("cnn-dropout").summary();

    assertThat(summary)
        .contains("Conv 3x3x32 relu", "32x26x26", "320") // 3*3*32 + 32
        .contains("Conv 3x3x64 relu", "64x11x11", "18,496")
        .contains("MaxPool 2x2", "64x5x5")
        .contains("Dense 128 relu", "204,928") // 1600*128 + 128
        .contains("Output 10 softmax (dropout in)", "1,290")
        .contains("total parameters: 225,034");
  }

  @Test
  void summaryShowsWhichImplementationRunsConvolutionAndPooling() {
    String summary = ModelZoo.get("cnn-basic").summary();

    assertThat(summary).contains("MKLDNNConvHelper", "LibNd4jPoolingLayer");
  }

  @ParameterizedTest
  @MethodSource("names")
  void writesAnSvgArchitecturePicture(String name, @TempDir Path dir) throws Exception {
    Path svg = dir.resolve(name + ".svg");

    ModelZoo.get(name).writeArchitectureSvg(svg);

    String text = Files.readString(svg);
    assertThat(text).startsWith("<?xml").contains("<svg").contains(name).contains("total").endsWith("</svg>\n");
    assertThat(dir.toFile().list()).containsExactly(name + ".svg");
  }

  @Test
  void equalSeedsGiveEqualWeightsAndDifferentSeedsDifferentOnes() {
    ZooModel model = ModelZoo.get("cnn-basic");
    Hyperparameters a = model.defaults().toBuilder().seed(1).build();
    Hyperparameters b = model.defaults().toBuilder().seed(2).build();

    assertThat(model.build(a).params()).isEqualTo(model.build(a).params());
    assertThat(model.build(a).params()).isNotEqualTo(model.build(b).params());
  }

  @Test
  void appliesOptimizerAndLearningRateFromHyperparameters() {
    ZooModel model = ModelZoo.get("mlp");
    Hyperparameters hp =
        model.defaults().toBuilder().optimizer(Optimizer.SGD_NESTEROV).learningRate(0.05).build();

    MultiLayerNetwork network = model.build(hp);

    org.deeplearning4j.nn.conf.layers.BaseLayer first =
        (org.deeplearning4j.nn.conf.layers.BaseLayer) network.getLayerWiseConfigurations().getConf(0).getLayer();
    assertThat(first.getIUpdater()).isInstanceOf(org.nd4j.linalg.learning.config.Nesterovs.class);
    assertThat(network.getLearningRate(0)).isEqualTo(0.05);
  }
}
