package dev.mnistlab.models.bench;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Experimental set-ups of cnn-dropout compared in the speed investigation. */
final class Variants {
  private Variants() {}

  /**
   * cnn-dropout with NHWC activations (for 1-channel input the bytes equal NCHW's), or with {@code
   * -Dformat=NCHW} the same network in NCHW; {@code -Dcache=DEVICE} sets DL4J's cache mode.
   */
  static MultiLayerConfiguration cnnDropoutNhwc() {
    CNN2DFormat f = CNN2DFormat.valueOf(System.getProperty("format", "NHWC"));
    return new NeuralNetConfiguration.Builder()
        .seed(42)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.RELU)
        .updater(new Adam(1e-3))
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
        .cacheMode(CacheMode.valueOf(System.getProperty("cache", "NONE")))
        .convolutionMode(ConvolutionMode.Truncate)
        .list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).dataFormat(f).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(f).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(64).dataFormat(f).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(f).build())
        .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).dropOut(0.5).build())
        .setInputType(InputType.convolutional(28, 28, 1, f))
        .build();
  }
}
