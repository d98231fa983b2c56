package dev.mnistlab.models.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times {@code maxpool2d} and {@code maxpool2d_bp} on cnn-dropout's first pooling input (64x32x26x26,
 * 2x2, stride 2) with libnd4j's platform (oneDNN) implementation allowed and forbidden: the
 * measurement behind {@code dev.mnistlab.models.internal.LibNd4jPoolingLayer}. {@code -Dnhwc=true}
 * times the NHWC layout instead. Run by {@code mnist-models/bench/pooling-kernels.sh}.
 */
public final class PoolingKernelBenchmark {
  private PoolingKernelBenchmark() {}

  public static void main(String[] a) {
    boolean nhwc = Boolean.getBoolean("nhwc");
    INDArray in = nhwc ? Nd4j.rand(DataType.FLOAT, 64, 26, 26, 32) : Nd4j.rand(DataType.FLOAT, 64, 32, 26, 26);
    INDArray out = nhwc ? Nd4j.create(DataType.FLOAT, 64, 13, 13, 32) : Nd4j.create(DataType.FLOAT, 64, 32, 13, 13);
    INDArray eps = out.ulike().assign(1);
    INDArray grad = in.ulike();
    int fmt = nhwc ? 1 : 0;
    for (int round = 0; round < 4; round++) {
      for (boolean helpers : new boolean[] {true, false}) {
        Nd4j.getEnvironment().allowHelpers(helpers);
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
          Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(in).addOutputs(out)
              .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, fmt).build());
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
          Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(in, eps).addOutputs(grad)
              .addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, fmt).build());
        }
        long t2 = System.nanoTime();
        System.out.printf("RESULT layout=%s onednn_allowed=%s forward_ms=%.3f backward_ms=%.3f checksum=%.1f%n", nhwc ? "NHWC" : "NCHW", helpers, (t1 - t0) / 50e6, (t2 - t1) / 50e6, out.sumNumber().doubleValue());
      }
    }
  }
}
