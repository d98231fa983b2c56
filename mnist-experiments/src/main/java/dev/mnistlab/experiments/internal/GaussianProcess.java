package dev.mnistlab.experiments.internal;

import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Gaussian-process regression with a squared-exponential (RBF) kernel on standardised targets:
 * {@code k(x, x') = exp(-|x - x'|^2 / (2 l^2)) + noise * [x = x']}. The length scale and noise are
 * chosen from a small grid by maximising the log marginal likelihood (type-II maximum likelihood),
 * which is robust for the handful of points a sweep has.
 */
public final class GaussianProcess {
  private static final double[] LENGTH_SCALES = {0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8, 1.2, 2.0};
  private static final double[] NOISES = {1e-6, 1e-4, 1e-2, 1e-1};

  private final double[][] xs;
  private final double mean;
  private final double scale;
  private final double lengthScale;
  private final DecompositionSolver solver;
  private final RealVector alpha;

  private GaussianProcess(double[][] xs, double mean, double scale, double lengthScale,
      DecompositionSolver solver, RealVector alpha) {
    this.xs = xs;
    this.mean = mean;
    this.scale = scale;
    this.lengthScale = lengthScale;
    this.solver = solver;
    this.alpha = alpha;
  }

  /**
   * Fits a process to observations.
   *
   * @param points the inputs, each in [0, 1]^d
   * @param values the observed targets, same count, at least one
   */
  public static GaussianProcess fit(List<double[]> points, List<Double> values) {
    int n = points.size();
    if (n == 0 || n != values.size()) {
      throw new IllegalArgumentException("need as many values as points, at least one");
    }
    double[][] xs = points.toArray(new double[0][]);
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / n;
    double scale = variance > 1e-24 ? Math.sqrt(variance) : 1.0;
    RealVector y = new ArrayRealVector(n);
    for (int i = 0; i < n; i++) {
      y.setEntry(i, (values.get(i) - mean) / scale);
    }
    GaussianProcess best = null;
    double bestLikelihood = Double.NEGATIVE_INFINITY;
    for (double l : LENGTH_SCALES) {
      for (double noise : NOISES) {
        RealMatrix k = new Array2DRowRealMatrix(n, n);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j <= i; j++) {
            double kij = kernel(xs[i], xs[j], l) + (i == j ? noise : 0);
            k.setEntry(i, j, kij);
            k.setEntry(j, i, kij);
          }
        }
        CholeskyDecomposition cholesky;
        try {
          cholesky = new CholeskyDecomposition(k, 1e-12, 1e-14);
        } catch (NonPositiveDefiniteMatrixException e) {
          continue;
        }
        RealVector alpha = cholesky.getSolver().solve(y);
        double logDet = 0;
        RealMatrix lower = cholesky.getL();
        for (int i = 0; i < n; i++) {
          logDet += 2 * Math.log(lower.getEntry(i, i));
        }
        double likelihood = -0.5 * y.dotProduct(alpha) - 0.5 * logDet;
        if (likelihood > bestLikelihood) {
          bestLikelihood = likelihood;
          best = new GaussianProcess(xs, mean, scale, l, cholesky.getSolver(), alpha);
        }
      }
    }
    if (best == null) {
      throw new IllegalStateException("no kernel setting gave a positive definite matrix");
    }
    return best;
  }

  /** The chosen length scale (for diagnostics). */
  public double lengthScale() {
    return lengthScale;
  }

  /**
   * Predicts the target at {@code x}.
   *
   * @return {mean, standard deviation}, in the targets' original units
   */
  public double[] predict(double[] x) {
    int n = xs.length;
    RealVector kStar = new ArrayRealVector(n);
    for (int i = 0; i < n; i++) {
      kStar.setEntry(i, kernel(x, xs[i], lengthScale));
    }
    double mu = kStar.dotProduct(alpha);
    double variance = 1.0 - kStar.dotProduct(solver.solve(kStar));
    double sd = Math.sqrt(Math.max(variance, 1e-12));
    return new double[] {mean + mu * scale, sd * scale};
  }

  private static double kernel(double[] a, double[] b, double lengthScale) {
    double squared = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      squared += d * d;
    }
    return Math.exp(-squared / (2 * lengthScale * lengthScale));
  }
}
