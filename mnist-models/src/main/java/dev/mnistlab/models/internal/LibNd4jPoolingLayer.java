package dev.mnistlab.models.internal;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's 2D subsampling (pooling) layer, computing with libnd4j's own pooling kernels instead of
 * oneDNN's.
 *
 * <p>Why: in the oneDNN build of ND4J 1.0.0-M2.1 every {@code maxpool2d}/{@code maxpool2d_bp} op
 * is dispatched to oneDNN, which for NCHW activations only has its reference {@code
 * nchw_pooling} implementation: for cnn-dropout's first 2x2 pool (64x32x26x26) it takes about
 * 8 ms forward and 13 ms backward against libnd4j's 1.4-2 ms and 4.3-5 ms, and it was the largest
 * single cost of a training step (docs/benchmarks.md, "Training speed"). libnd4j decides per op
 * whether to use a platform (oneDNN) implementation when both the process-wide switch and the op's
 * context allow it; this layer runs its ops with a context that forbids it, so only pooling is
 * affected and other threads are not.
 *
 * <p>The ops, arguments, output shapes and workspaces are exactly DL4J's ({@code
 * SubsamplingLayer#activate} and {@code #backpropGradient} of M2.1), so results equal DL4J's:
 * max and average values are exact, and gradients are identical except which of several equal
 * maxima in one window receives the gradient. {@link OneDnnHelpers} puts this layer in place of
 * NCHW subsampling layers at run time; configurations and saved models still name DL4J's layer.
 */
public final class LibNd4jPoolingLayer extends SubsamplingLayer {
  // DL4J's layers are Serializable; this one is never serialized itself (models are saved with
  // DL4J's configuration, which names DL4J's layer), but a fixed id keeps the warning honest
  private static final long serialVersionUID = 1L;

  /** Creates the layer; the caller copies index, listeners and parameters from the one replaced. */
  public LibNd4jPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    helper = null;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    if (input.rank() != 4) {
      return super.activate(training, workspaceMgr); // DL4J's own error message
    }
    INDArray in = input.castTo(dataType);
    Geometry g = geometry();
    int[] pad;
    if (g.same()) {
      int[] outSize =
          ConvolutionUtils.getOutputSize(
              in, g.kernel(), g.strides(), null, convolutionMode, g.dilation(), g.format());
      pad =
          ConvolutionUtils.getSameModeTopLeftPadding(
              outSize, heightWidth(in, g.format()), g.kernel(), g.strides(), g.dilation());
    } else {
      pad = layerConf().getPadding();
      // Validates the input size against kernel, stride and padding, as DL4J does.
      ConvolutionUtils.getOutputSize(
          in, g.kernel(), g.strides(), pad, convolutionMode, g.dilation(), g.format());
    }
    DynamicCustomOp op =
        DynamicCustomOp.builder(opName(false))
            .addInputs(in)
            .addIntegerArguments(integerArguments(g, pad))
            .build();
    long[] shape = op.calculateOutputShape().get(0).getShape();
    INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), shape, 'c');
    op.addOutputArgument(output);
    execWithLibNd4jKernels(op);
    return output;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    INDArray in = input.castTo(dataType);
    INDArray eps = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
    Geometry g = geometry();
    int[] pad =
        g.same()
            ? ConvolutionUtils.getSameModeTopLeftPadding(
                heightWidth(eps, g.format()),
                heightWidth(in, g.format()),
                g.kernel(),
                g.strides(),
                g.dilation())
            : layerConf().getPadding();
    INDArray epsAtInput =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape(), 'c');
    DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder(opName(true));
    if (layerConf().getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.PNORM) {
      b.addFloatingPointArguments(layerConf().getEps());
    }
    DynamicCustomOp op =
        b.addInputs(in, eps)
            .addOutputs(epsAtInput)
            .addIntegerArguments(integerArguments(g, pad))
            .build();
    execWithLibNd4jKernels(op);
    return new Pair<>(new DefaultGradient(), epsAtInput);
  }

  private String opName(boolean backward) {
    String name =
        switch (layerConf().getPoolingType()) {
          case MAX -> "maxpool2d";
          case AVG -> "avgpool2d";
          case PNORM -> "pnormpool2d";
          default ->
              throw new UnsupportedOperationException(
                  "Pooling type not supported by SubsamplingLayer: " + layerConf().getPoolingType());
        };
    return backward ? name + "_bp" : name;
  }

  /** The layer's pooling window as configured. */
  private record Geometry(
      CNN2DFormat format, int[] kernel, int[] strides, int[] dilation, boolean same) {}

  private Geometry geometry() {
    org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
    return new Geometry(
        c.getCnn2dDataFormat(),
        c.getKernelSize(),
        c.getStride(),
        c.getDilation(),
        convolutionMode == ConvolutionMode.Same);
  }

  /** DL4J's integer arguments of the pooling ops, in libnd4j's order. */
  private int[] integerArguments(Geometry g, int[] pad) {
    org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
    int extra =
        switch (c.getPoolingType()) {
          case AVG -> c.isAvgPoolIncludePadInDivisor() ? 1 : 0;
          case PNORM -> c.getPnorm();
          default -> 0;
        };
    return new int[] {
      g.kernel()[0], g.kernel()[1], g.strides()[0], g.strides()[1], pad[0], pad[1],
      g.dilation()[0], g.dilation()[1], g.same() ? 1 : 0, extra,
      g.format() == CNN2DFormat.NCHW ? 0 : 1
    };
  }

  private static int[] heightWidth(INDArray array, CNN2DFormat format) {
    return format == CNN2DFormat.NCHW
        ? new int[] {(int) array.size(2), (int) array.size(3)}
        : new int[] {(int) array.size(1), (int) array.size(2)};
  }

  /** Runs the op with platform (oneDNN) implementations forbidden for this op only. */
  // OpContext.close() declares InterruptedException (javac "try" lint); ND4J's CPU context never
  // throws it, and a try-with-resources is what releases the native context on every path
  @SuppressWarnings("try")
  private static void execWithLibNd4jKernels(DynamicCustomOp op) {
    try (OpContext context = Nd4j.getExecutioner().buildContext()) {
      context.allowHelpers(false);
      context.setIArguments(op.iArgs());
      if (op.numTArguments() > 0) {
        context.setTArguments(op.tArgs());
      }
      INDArray[] inputs = op.inputArguments().toArray(new INDArray[0]);
      for (int i = 0; i < inputs.length; i++) {
        context.setInputArray(i, inputs[i]);
      }
      INDArray[] outputs = op.outputArguments().toArray(new INDArray[0]);
      for (int i = 0; i < outputs.length; i++) {
        context.setOutputArray(i, outputs[i]);
      }
      Nd4j.getExecutioner().exec(op, context);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Closing an ND4J op context failed", e);
    }
  }
}
