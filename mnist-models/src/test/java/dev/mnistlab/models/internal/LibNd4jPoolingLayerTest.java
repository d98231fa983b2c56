package dev.mnistlab.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LibNd4jPoolingLayerTest {

  static Stream<Arguments> poolings() {
    return Stream.of(
        Arguments.of(PoolingType.MAX, ConvolutionMode.Truncate, 2, 2, 0, CNN2DFormat.NCHW),
        Arguments.of(PoolingType.MAX, ConvolutionMode.Truncate, 3, 2, 1, CNN2DFormat.NCHW),
        Arguments.of(PoolingType.MAX, ConvolutionMode.Same, 3, 1, 0, CNN2DFormat.NCHW),
        Arguments.of(PoolingType.MAX, ConvolutionMode.Truncate, 2, 2, 0, CNN2DFormat.NHWC),
        Arguments.of(PoolingType.AVG, ConvolutionMode.Truncate, 2, 2, 0, CNN2DFormat.NCHW),
        Arguments.of(PoolingType.AVG, ConvolutionMode.Same, 3, 2, 0, CNN2DFormat.NCHW),
        Arguments.of(PoolingType.PNORM, ConvolutionMode.Truncate, 2, 2, 0, CNN2DFormat.NCHW));
  }

  @ParameterizedTest(name = "{0} {1} kernel {2} stride {3} padding {4} {5}")
  @MethodSource("poolings")
  void computesTheSameActivationsAndInputGradientsAsDl4jsSubsamplingLayer(
      PoolingType type, ConvolutionMode mode, int kernel, int stride, int padding, CNN2DFormat format) {
    SubsamplingLayer.Builder builder =
        new SubsamplingLayer.Builder(type)
            .kernelSize(kernel, kernel)
            .stride(stride, stride)
            .padding(padding, padding)
            .convolutionMode(mode)
            .dataFormat(format);
    if (type == PoolingType.PNORM) {
      builder.pnorm(2);
    }
    NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().layer(builder.build()).build();
    Layer dl4j = conf.getLayer().instantiate(conf, List.of(), 0, null, true, DataType.FLOAT);
    Layer ours = new LibNd4jPoolingLayer(conf, DataType.FLOAT);
    Nd4j.getRandom().setSeed(7);
    INDArray input =
        format == CNN2DFormat.NCHW
            ? Nd4j.rand(DataType.FLOAT, 3, 4, 11, 11)
            : Nd4j.rand(DataType.FLOAT, 3, 11, 11, 4);
    LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

    dl4j.setInput(input, mgr);
    ours.setInput(input, mgr);
    INDArray expected = dl4j.activate(true, mgr);
    INDArray actual = ours.activate(true, mgr);

    assertThat(actual.shape()).isEqualTo(expected.shape());
    assertThat(actual.equalsWithEps(expected, 1e-6)).as("activations").isTrue();
    INDArray epsilon = Nd4j.rand(DataType.FLOAT, expected.shape());
    INDArray expectedGradient = dl4j.backpropGradient(epsilon, mgr).getSecond();
    INDArray actualGradient = ours.backpropGradient(epsilon, mgr).getSecond();
    assertThat(actualGradient.shape()).isEqualTo(input.shape());
    assertThat(actualGradient.equalsWithEps(expectedGradient, 1e-5)).as("input gradient").isTrue();
    assertThat(actualGradient.sumNumber().doubleValue()).isNotZero();
  }
}
