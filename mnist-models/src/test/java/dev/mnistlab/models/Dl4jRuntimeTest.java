package dev.mnistlab.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class Dl4jRuntimeTest {

  @Test
  void projectClassifierProvidesOneDnn() {
    assertThat(Dl4jRuntime.oneDnnAvailable()).isTrue();
    assertThat(Dl4jRuntime.describe())
        .containsEntry("onednn.compiled", "true")
        .containsEntry("onednn.helpers", "true")
        .containsEntry("blas.threads", "1")
        .containsEntry("dtype", "FLOAT");
    assertThat(Dl4jRuntime.describe().get("nd4j.classifier")).startsWith("linux-x86_64-onednn");
  }

  @Test
  void zooEngagesOneDnnOnConvolutionAndBatchNormAndLibNd4jKernelsOnPooling() {
    MultiLayerNetwork network = ModelZoo.get("cnn-batchnorm").build();

    assertThat(Dl4jRuntime.layerHelpers(network))
        .containsExactly(
            "MKLDNNConvHelper",
            "MKLDNNBatchNormHelper",
            "LibNd4jPoolingLayer",
            "MKLDNNConvHelper",
            "MKLDNNBatchNormHelper",
            "LibNd4jPoolingLayer",
            "built-in",
            "built-in");
  }

  @Test
  void plainDl4jLeavesHelpersOffWhichIsWhyPrepareExists() {
    ZooModel model = ModelZoo.get("cnn-basic");
    MultiLayerNetwork network = new MultiLayerNetwork(model.configuration(model.defaults()));
    network.init();

    assertThat(Dl4jRuntime.layerHelpers(network)).containsOnly("built-in");

    Dl4jRuntime.prepare(network);
    Dl4jRuntime.prepare(network); // idempotent

    assertThat(Dl4jRuntime.layerHelpers(network))
        .containsExactly("MKLDNNConvHelper", "LibNd4jPoolingLayer", "built-in", "built-in");
  }

  @Test
  void helpersComputeTheSameOutputsAndGradientsAsBuiltInLayers() {
    ZooModel model = ModelZoo.get("cnn-batchnorm");
    Hyperparameters hp = model.defaults().toBuilder().dropout(0).build();
    MultiLayerNetwork plain = new MultiLayerNetwork(model.configuration(hp));
    plain.init();
    MultiLayerNetwork fast = model.build(hp);
    assertThat(fast.params()).isEqualTo(plain.params());
    INDArray input = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 10);
    for (int i = 0; i < 8; i++) {
      labels.putScalar(i, i % 10, 1f);
    }

    for (boolean training : List.of(false, true)) {
      INDArray expected = plain.output(input, training);
      INDArray actual = fast.output(input, training);
      assertThat(maxAbsDifference(expected, actual)).as("output, training=" + training).isLessThan(1e-4);
    }
    plain.setInput(input);
    plain.setLabels(labels);
    plain.computeGradientAndScore();
    fast.setInput(input);
    fast.setLabels(labels);
    fast.computeGradientAndScore();
    Gradient g1 = plain.gradient();
    Gradient g2 = fast.gradient();
    assertThat(fast.score()).isCloseTo(plain.score(), org.assertj.core.data.Offset.offset(1e-4));
    double scale = g1.gradient().amaxNumber().doubleValue();
    assertThat(maxAbsDifference(g1.gradient(), g2.gradient()) / scale).isLessThan(1e-3);
  }

  private static double maxAbsDifference(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }
}
