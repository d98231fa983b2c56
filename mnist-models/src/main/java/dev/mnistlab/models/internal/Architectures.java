package dev.mnistlab.models.internal;

import dev.mnistlab.models.Hyperparameters;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The DL4J configurations of the zoo's networks. Every network takes NCHW input {@code [batch, 1,
 * 28, 28]} (the MLP flattens it with DL4J's own pre-processor) and ends in a 10-way softmax with
 * categorical cross-entropy.
 *
 * <p>Speed-relevant settings shared by all: float32 parameters and activations, workspaces for
 * training and inference, no activation caching, {@code Truncate} convolution mode ("valid" padding
 * as in Keras unless a layer asks for "same").
 */
public final class Architectures {

  /** Image height/width of MNIST-family data. */
  public static final int SIDE = 28;
  /** Number of classes of MNIST-family data. */
  public static final int CLASSES = 10;

  private Architectures() {}

  /** The input type every zoo network is configured for. */
  public static InputType inputType() {
    return InputType.convolutional(SIDE, SIDE, 1);
  }

  private static NeuralNetConfiguration.ListBuilder base(Hyperparameters hp) {
    NeuralNetConfiguration.Builder b =
        new NeuralNetConfiguration.Builder()
            .seed(hp.seed())
            .dataType(DataType.FLOAT)
            .weightInit(hp.weightInit())
            .updater(hp.optimizer().updater(hp.learningRate()))
            .trainingWorkspaceMode(WorkspaceMode.ENABLED)
            .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
            // DEVICE keeps each convolution's pre-activation from the forward pass for backprop;
            // with NONE, DL4J runs every convolution forward a second time in backpropGradient
            // (1.2x training speed on cnn-dropout, identical results; docs/benchmarks.md).
            .cacheMode(CacheMode.DEVICE)
            .convolutionMode(ConvolutionMode.Truncate);
    if (hp.l2() > 0) {
      b.l2(hp.l2());
    }
    return b.list();
  }

  private static ConvolutionLayer conv(int kernel, int filters, Activation activation) {
    return new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).activation(activation).build();
  }

  private static ConvolutionLayer convSame(int kernel, int filters, Activation activation) {
    return new ConvolutionLayer.Builder(kernel, kernel)
        .nOut(filters)
        .convolutionMode(ConvolutionMode.Same)
        .activation(activation)
        .build();
  }

  private static SubsamplingLayer maxPool() {
    return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
        .kernelSize(2, 2)
        .stride(2, 2)
        .build();
  }

  private static DenseLayer dense(int units) {
    return new DenseLayer.Builder().nOut(units).activation(Activation.RELU).build();
  }

  private static DenseLayer dense(int units, double dropout) {
    DenseLayer.Builder b = new DenseLayer.Builder().nOut(units).activation(Activation.RELU);
    if (dropout > 0) {
      b.dropOut(1.0 - dropout); // DL4J takes the retain probability
    }
    return b.build();
  }

  private static OutputLayer softmax(double dropout) {
    OutputLayer.Builder b =
        new OutputLayer.Builder(LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX);
    if (dropout > 0) {
      b.dropOut(1.0 - dropout); // dropout on the head's input; DL4J takes the retain probability
    }
    return b.build();
  }

  private static ActivationLayer relu() {
    return new ActivationLayer.Builder().activation(Activation.RELU).build();
  }

  private static BatchNormalization batchNorm() {
    return new BatchNormalization.Builder().build();
  }

  /** {@code mlp}: 784-512-256-10, ReLU, dropout before each dense layer after the first. */
  public static MultiLayerConfiguration mlp(Hyperparameters hp) {
    return base(hp)
        .layer(dense(512))
        .layer(dense(256, hp.dropout()))
        .layer(softmax(hp.dropout()))
        .setInputType(inputType())
        .build();
  }

  /** {@code cnn-basic}: Conv 3x3x32 ReLU, MaxPool 2x2, Dense 128 ReLU, Dense 10 softmax. */
  public static MultiLayerConfiguration cnnBasic(Hyperparameters hp) {
    return base(hp)
        .layer(conv(3, 32, Activation.RELU))
        .layer(maxPool())
        .layer(dense(128))
        .layer(softmax(hp.dropout()))
        .setInputType(inputType())
        .build();
  }

  /**
   * {@code cnn-dropout}: Conv 3x3x32, MaxPool, Conv 3x3x64, MaxPool, Dense 128, Dropout, Dense 10.
   */
  public static MultiLayerConfiguration cnnDropout(Hyperparameters hp) {
    return base(hp)
        .layer(conv(3, 32, Activation.RELU))
        .layer(maxPool())
        .layer(conv(3, 64, Activation.RELU))
        .layer(maxPool())
        .layer(dense(128))
        .layer(softmax(hp.dropout()))
        .setInputType(inputType())
        .build();
  }

  /**
   * {@code cnn-batchnorm}: Conv 32 + BatchNorm, MaxPool, Conv 64 + BatchNorm, MaxPool, Dense 256,
   * Dropout, Dense 10 (the convolutions are ReLU-activated before batch normalisation, as in the
   * Keras study).
   */
  public static MultiLayerConfiguration cnnBatchnorm(Hyperparameters hp) {
    return base(hp)
        .layer(conv(3, 32, Activation.RELU))
        .layer(batchNorm())
        .layer(maxPool())
        .layer(conv(3, 64, Activation.RELU))
        .layer(batchNorm())
        .layer(maxPool())
        .layer(dense(256))
        .layer(softmax(hp.dropout()))
        .setInputType(inputType())
        .build();
  }

  /**
   * {@code lenet5}: LeCun et al. 1998 in its common modern form: Conv 5x5x6 ("same", so 28x28 as
   * the original's 32x32 padded input), MaxPool, Conv 5x5x16, MaxPool, Dense 120, Dense 84, Dense
   * 10; ReLU and max pooling instead of the original's scaled tanh and trainable average pooling.
   */
  public static MultiLayerConfiguration lenet5(Hyperparameters hp) {
    return base(hp)
        .layer(convSame(5, 6, Activation.RELU))
        .layer(maxPool())
        .layer(conv(5, 16, Activation.RELU))
        .layer(maxPool())
        .layer(dense(120))
        .layer(dense(84, hp.dropout()))
        .layer(softmax(0))
        .setInputType(inputType())
        .build();
  }

  /**
   * {@code cnn-deep}: three VGG-style blocks with batch normalisation (2 x Conv 3x3x32 "same", pool;
   * 2 x Conv 3x3x64 "same", pool; Conv 3x3x128, pool), Dense 256 + BatchNorm, Dropout, Dense 10.
   * Meant to be trained with augmentation (random shifts and rotations, on by default) and a
   * decaying learning rate.
   */
  public static MultiLayerConfiguration cnnDeep(Hyperparameters hp) {
    return base(hp)
        .layer(convSame(3, 32, Activation.IDENTITY))
        .layer(batchNorm())
        .layer(relu())
        .layer(convSame(3, 32, Activation.IDENTITY))
        .layer(batchNorm())
        .layer(relu())
        .layer(maxPool())
        .layer(convSame(3, 64, Activation.IDENTITY))
        .layer(batchNorm())
        .layer(relu())
        .layer(convSame(3, 64, Activation.IDENTITY))
        .layer(batchNorm())
        .layer(relu())
        .layer(maxPool())
        .layer(convSame(3, 128, Activation.IDENTITY))
        .layer(batchNorm())
        .layer(relu())
        .layer(maxPool())
        .layer(new DenseLayer.Builder().nOut(256).activation(Activation.IDENTITY).build())
        .layer(batchNorm())
        .layer(relu())
        .layer(softmax(hp.dropout()))
        .setInputType(inputType())
        .build();
  }
}
