package dev.mnistlab.experiments.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * One step of Bayesian optimisation on the unit cube, minimising: fit a {@link GaussianProcess}
 * to the observations and return the candidate with the largest expected improvement over the
 * best observation. Candidates are random points of the cube plus local perturbations of the best
 * observations; each is snapped onto the searchable space (integers, categories) and points
 * already observed are skipped, so a discrete space is never sampled twice while unseen points
 * remain.
 */
public final class BayesianOptimizer {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);
  private static final int GLOBAL_CANDIDATES = 2000;
  private static final int LOCAL_CANDIDATES = 500;
  /** Exploration margin of expected improvement, in units of the observations' spread. */
  private static final double XI = 0.01;

  private final int dimensions;
  private final UnaryOperator<double[]> snap;

  /**
   * Creates an optimiser.
   *
   * @param dimensions the dimension of the cube
   * @param snap maps a point of the cube to the nearest searchable point (identity for
   *     continuous spaces)
   */
  public BayesianOptimizer(int dimensions, UnaryOperator<double[]> snap) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("need at least one dimension");
    }
    this.dimensions = dimensions;
    this.snap = snap;
  }

  /**
   * Suggests the next point to evaluate.
   *
   * @param points observed points in [0, 1]^d
   * @param values observed values (to be minimised), same count, at least one
   * @param random the source of candidates
   */
  public double[] suggest(List<double[]> points, List<Double> values, Random random) {
    GaussianProcess gp = GaussianProcess.fit(points, values);
    double best = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double spread = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow() - best;
    double xi = XI * (spread > 0 ? spread : 1);

    List<double[]> candidates = new ArrayList<>();
    for (int i = 0; i < GLOBAL_CANDIDATES; i++) {
      double[] c = new double[dimensions];
      for (int d = 0; d < dimensions; d++) {
        c[d] = random.nextDouble();
      }
      candidates.add(c);
    }
    List<double[]> incumbents = bestPoints(points, values, 3);
    for (int i = 0; i < LOCAL_CANDIDATES; i++) {
      double[] base = incumbents.get(i % incumbents.size());
      double width = i % 2 == 0 ? 0.05 : 0.15;
      double[] c = new double[dimensions];
      for (int d = 0; d < dimensions; d++) {
        c[d] = Math.max(0, Math.min(1, base[d] + width * random.nextGaussian()));
      }
      candidates.add(c);
    }

    double[] chosen = null;
    double chosenEi = Double.NEGATIVE_INFINITY;
    for (double[] candidate : candidates) {
      double[] x = snap.apply(candidate);
      if (alreadyObserved(x, points)) {
        continue;
      }
      double ei = expectedImprovement(gp.predict(x), best, xi);
      if (ei > chosenEi) {
        chosenEi = ei;
        chosen = x;
      }
    }
    if (chosen == null) {
      // Every candidate was already observed (a small discrete space): repeat a random one.
      chosen = snap.apply(candidates.get(random.nextInt(GLOBAL_CANDIDATES)));
    }
    return chosen;
  }

  /**
   * Expected improvement below {@code best - xi} of a normal prediction {mean, sd}.
   */
  static double expectedImprovement(double[] prediction, double best, double xi) {
    double mean = prediction[0];
    double sd = prediction[1];
    double improvement = best - mean - xi;
    if (sd <= 1e-12) {
      return Math.max(improvement, 0);
    }
    double z = improvement / sd;
    return improvement * STANDARD_NORMAL.cumulativeProbability(z) + sd * STANDARD_NORMAL.density(z);
  }

  private static List<double[]> bestPoints(List<double[]> points, List<Double> values, int k) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Double.compare(values.get(a), values.get(b)));
    List<double[]> best = new ArrayList<>();
    for (int i = 0; i < Math.min(k, order.size()); i++) {
      best.add(points.get(order.get(i)));
    }
    return best;
  }

  private static boolean alreadyObserved(double[] x, List<double[]> points) {
    for (double[] p : points) {
      double squared = 0;
      for (int d = 0; d < x.length; d++) {
        squared += (x[d] - p[d]) * (x[d] - p[d]);
      }
      if (squared < 1e-18) {
        return true;
      }
    }
    return false;
  }
}
