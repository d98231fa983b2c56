package dev.mnistlab.models.internal;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random small affine distortions of NCHW 28x28 single-channel images: a rotation of up to
 * {@code maxDegrees} and a shift of up to {@code maxShift} pixels in each direction, with bilinear
 * sampling and zero (black) fill — the classic MNIST augmentation. Deterministic for a seed and an
 * epoch.
 */
public final class ShiftRotateAugmenter {

  private final double maxRadians;
  private final double maxShift;
  private SplittableRandom random;

  /** Distortions of at most {@code maxDegrees} and {@code maxShift} pixels. */
  public ShiftRotateAugmenter(double maxDegrees, double maxShift) {
    this.maxRadians = Math.toRadians(maxDegrees);
    this.maxShift = maxShift;
    this.random = new SplittableRandom(0);
  }

  /** Restarts the random stream for a (seed, epoch) pair, making epochs reproducible. */
  public void startEpoch(long seed, int epoch) {
    random = new SplittableRandom(seed * 1_000_003L + epoch);
  }

  /** A new data set with distorted features and the same labels. */
  public DataSet apply(DataSet batch) {
    INDArray features = batch.getFeatures();
    long n = features.size(0);
    int side = Architectures.SIDE;
    int pixels = side * side;
    if (features.length() != n * pixels) {
      throw new IllegalArgumentException(
          "augmentation expects [batch, 1, 28, 28] images, got " + java.util.Arrays.toString(features.shape()));
    }
    float[] in = features.dup('c').data().asFloat();
    float[] out = new float[in.length];
    double centre = (side - 1) / 2.0;
    for (int i = 0; i < n; i++) {
      double angle = (random.nextDouble() * 2 - 1) * maxRadians;
      double dx = (random.nextDouble() * 2 - 1) * maxShift;
      double dy = (random.nextDouble() * 2 - 1) * maxShift;
      double cos = Math.cos(angle);
      double sin = Math.sin(angle);
      int base = i * pixels;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          // inverse mapping: where in the source does output pixel (x, y) come from
          double u = x - centre - dx;
          double v = y - centre - dy;
          double sx = cos * u + sin * v + centre;
          double sy = -sin * u + cos * v + centre;
          out[base + y * side + x] = sample(in, base, side, sx, sy);
        }
      }
    }
    INDArray augmented = Nd4j.create(out, features.shape(), 'c').castTo(DataType.FLOAT);
    return new DataSet(augmented, batch.getLabels(), batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
  }

  private static float sample(float[] img, int base, int side, double x, double y) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double v00 = at(img, base, side, x0, y0);
    double v10 = at(img, base, side, x0 + 1, y0);
    double v01 = at(img, base, side, x0, y0 + 1);
    double v11 = at(img, base, side, x0 + 1, y0 + 1);
    return (float) ((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
  }

  private static double at(float[] img, int base, int side, int x, int y) {
    if (x < 0 || y < 0 || x >= side || y >= side) {
      return 0;
    }
    return img[base + y * side + x];
  }
}
