package dev.mnistlab.experiments.sweep;

import dev.mnistlab.experiments.internal.BayesianOptimizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Bayesian search: the first trials are random (enough to fit a model); after that a Gaussian
 * process with an RBF kernel is fitted to the finished trials' metric (each parameter mapped to
 * [0, 1], log-scaled where its distribution is) and the next trial maximises expected improvement.
 * Failed trials are left out of the model. Constant parameters are not dimensions.
 */
final class BayesSearch implements SearchStrategy {
  private final SweepSpec sweep;
  private final long seed;
  private final List<SweepParameter> dimensions = new ArrayList<>();
  private final int initialRandomTrials;

  BayesSearch(SweepSpec sweep, long seed) {
    this.sweep = sweep;
    this.seed = seed;
    sweep.parameters().forEach((p, d) -> {
      if (!(d instanceof ParameterDistribution.Constant)) {
        dimensions.add(p);
      }
    });
    this.initialRandomTrials = Math.max(3, dimensions.size() + 1);
  }

  @Override
  public Optional<TrialParameters> suggest(int index, List<TrialOutcome> history) {
    if (sweep.runCap().isPresent() && index >= sweep.runCap().getAsInt()) {
      return Optional.empty();
    }
    Random random = RandomSearch.streamFor(seed, index);
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (TrialOutcome outcome : history) {
      if (outcome.metric().isPresent() && Double.isFinite(outcome.metric().getAsDouble())) {
        xs.add(encode(outcome.parameters()));
        ys.add(sweep.metric().goal().toMinimized(outcome.metric().getAsDouble()));
      }
    }
    if (dimensions.isEmpty() || index < initialRandomTrials || xs.size() < 2) {
      return Optional.of(RandomSearch.sample(sweep, index, random));
    }
    BayesianOptimizer optimizer = new BayesianOptimizer(dimensions.size(), this::snap);
    double[] next = optimizer.suggest(xs, ys, random);
    return Optional.of(decode(index, next));
  }

  private double[] encode(TrialParameters parameters) {
    double[] x = new double[dimensions.size()];
    for (int i = 0; i < x.length; i++) {
      SweepParameter p = dimensions.get(i);
      Object value = parameters.values().get(p);
      x[i] = value == null ? 0.5 : sweep.parameters().get(p).toUnit(value);
    }
    return x;
  }

  /** Moves a point of the unit cube onto the nearest point the distributions can produce. */
  private double[] snap(double[] u) {
    double[] snapped = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      ParameterDistribution d = sweep.parameters().get(dimensions.get(i));
      snapped[i] = d.toUnit(d.fromUnit(u[i]));
    }
    return snapped;
  }

  private TrialParameters decode(int index, double[] u) {
    Map<SweepParameter, Object> values = new LinkedHashMap<>();
    sweep.parameters().forEach((p, d) -> {
      int dim = dimensions.indexOf(p);
      values.put(p, dim < 0 ? d.fromUnit(0.5) : d.fromUnit(u[dim]));
    });
    return new TrialParameters(index, values);
  }
}
