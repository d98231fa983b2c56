package dev.mnistlab.experiments.sweep;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Where a sweep parameter's values come from: one of W&amp;B's parameter distributions. Values are
 * {@link Long} for integer parameters, {@link Double} for real ones and {@link String} for names.
 *
 * <p>Every distribution can be sampled (random search), maps to and from the unit interval (the
 * Bayesian optimiser works in [0, 1] per dimension), and the discrete ones list their values for
 * grid search.
 */
public sealed interface ParameterDistribution {

  /** The W&amp;B distribution name, e.g. {@code int_uniform}. */
  String distributionName();

  /** Draws one value. */
  Object sample(Random random);

  /** The values a grid search walks through, in order; empty for continuous distributions. */
  Optional<List<Object>> gridValues();

  /** Maps {@code u} in [0, 1] to a value of this distribution (monotone for ordered ones). */
  Object fromUnit(double u);

  /** Maps a value back to [0, 1]; the inverse of {@link #fromUnit} up to rounding. */
  double toUnit(Object value);

  /** Every value that can come out, when finite; else the two bounds (for domain checks). */
  List<Object> extremes();

  /** A single value ({@code value} in configs). */
  record Constant(Object value) implements ParameterDistribution {
    /** Requires a value. */
    public Constant {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String distributionName() {
      return "constant";
    }

    @Override
    public Object sample(Random random) {
      return value;
    }

    @Override
    public Optional<List<Object>> gridValues() {
      return Optional.of(List.of(value));
    }

    @Override
    public Object fromUnit(double u) {
      return value;
    }

    @Override
    public double toUnit(Object v) {
      return 0.5;
    }

    @Override
    public List<Object> extremes() {
      return List.of(value);
    }
  }

  /**
   * A choice among listed values ({@code values} in configs), optionally weighted by
   * {@code probabilities} (W&amp;B's {@code categorical_w_probabilities}).
   *
   * @param values the choices, in config order
   * @param probabilities the weights, same length as values, summing to 1; empty for uniform
   */
  record Categorical(List<Object> values, List<Double> probabilities)
      implements ParameterDistribution {
    /** Copies the lists and checks that the weights match the values. */
    public Categorical {
      values = List.copyOf(values);
      probabilities = List.copyOf(probabilities);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("values must not be empty");
      }
      if (!probabilities.isEmpty() && probabilities.size() != values.size()) {
        throw new IllegalArgumentException("probabilities must match values in length");
      }
    }

    @Override
    public String distributionName() {
      return probabilities.isEmpty() ? "categorical" : "categorical_w_probabilities";
    }

    @Override
    public Object sample(Random random) {
      if (probabilities.isEmpty()) {
        return values.get(random.nextInt(values.size()));
      }
      double r = random.nextDouble();
      double cumulative = 0;
      for (int i = 0; i < values.size(); i++) {
        cumulative += probabilities.get(i);
        if (r < cumulative) {
          return values.get(i);
        }
      }
      return values.get(values.size() - 1);
    }

    @Override
    public Optional<List<Object>> gridValues() {
      return Optional.of(values);
    }

    @Override
    public Object fromUnit(double u) {
      int index = (int) Math.floor(clamp(u) * values.size());
      return values.get(Math.min(index, values.size() - 1));
    }

    @Override
    public double toUnit(Object value) {
      int index = values.indexOf(value);
      return index < 0 ? 0.5 : (index + 0.5) / values.size();
    }

    @Override
    public List<Object> extremes() {
      return values;
    }
  }

  /**
   * Integers uniformly between {@code min} and {@code max}, both inclusive.
   *
   * @param min the smallest value
   * @param max the largest value
   */
  record IntUniform(long min, long max) implements ParameterDistribution {
    /** Checks the bounds. */
    public IntUniform {
      if (min > max) {
        throw new IllegalArgumentException("min must be <= max");
      }
    }

    @Override
    public String distributionName() {
      return "int_uniform";
    }

    @Override
    public Object sample(Random random) {
      return min + (long) Math.floor(random.nextDouble() * (max - min + 1));
    }

    @Override
    public Optional<List<Object>> gridValues() {
      if (max - min >= 10_000) {
        return Optional.empty();
      }
      List<Object> values = new java.util.ArrayList<>();
      for (long v = min; v <= max; v++) {
        values.add(v);
      }
      return Optional.of(List.copyOf(values));
    }

    @Override
    public Object fromUnit(double u) {
      long v = min + (long) Math.floor(clamp(u) * (max - min + 1));
      return Math.min(v, max);
    }

    @Override
    public double toUnit(Object value) {
      return (((Number) value).longValue() - min + 0.5) / (max - min + 1);
    }

    @Override
    public List<Object> extremes() {
      return List.of(min, max);
    }
  }

  /**
   * Real numbers uniformly between {@code min} and {@code max}.
   *
   * @param min the lower bound
   * @param max the upper bound
   */
  record Uniform(double min, double max) implements ParameterDistribution {
    /** Checks the bounds. */
    public Uniform {
      if (!(min <= max)) {
        throw new IllegalArgumentException("min must be <= max");
      }
    }

    @Override
    public String distributionName() {
      return "uniform";
    }

    @Override
    public Object sample(Random random) {
      return min + random.nextDouble() * (max - min);
    }

    @Override
    public Optional<List<Object>> gridValues() {
      return Optional.empty();
    }

    @Override
    public Object fromUnit(double u) {
      return min + clamp(u) * (max - min);
    }

    @Override
    public double toUnit(Object value) {
      return max == min ? 0.5 : (((Number) value).doubleValue() - min) / (max - min);
    }

    @Override
    public List<Object> extremes() {
      return List.of(min, max);
    }
  }

  /**
   * Uniform between {@code min} and {@code max}, rounded to a multiple of {@code q} (W&amp;B's
   * {@code q_uniform}: {@code round(x / q) * q}). For integer parameters the values are whole.
   *
   * @param min the lower bound
   * @param max the upper bound
   * @param q the quantum, greater than 0
   * @param integer whether values are integers ({@link Long})
   */
  record QUniform(double min, double max, double q, boolean integer)
      implements ParameterDistribution {
    /** Checks the bounds and the quantum. */
    public QUniform {
      if (!(min <= max) || !(q > 0)) {
        throw new IllegalArgumentException("need min <= max and q > 0");
      }
    }

    @Override
    public String distributionName() {
      return "q_uniform";
    }

    @Override
    public Object sample(Random random) {
      return fromUnit(random.nextDouble());
    }

    @Override
    public Optional<List<Object>> gridValues() {
      long first = (long) Math.ceil(min / q - 1e-9);
      long last = (long) Math.floor(max / q + 1e-9);
      if (last - first >= 10_000) {
        return Optional.empty();
      }
      List<Object> values = new java.util.ArrayList<>();
      for (long k = first; k <= last; k++) {
        values.add(box(k * q));
      }
      return Optional.of(List.copyOf(values));
    }

    @Override
    public Object fromUnit(double u) {
      double x = min + clamp(u) * (max - min);
      return box(Math.round(x / q) * q);
    }

    @Override
    public double toUnit(Object value) {
      return max == min ? 0.5 : (((Number) value).doubleValue() - min) / (max - min);
    }

    @Override
    public List<Object> extremes() {
      return List.of(fromUnit(0), fromUnit(1));
    }

    private Object box(double v) {
      return integer ? (Object) Math.round(v) : (Object) v;
    }
  }

  /**
   * Real numbers whose logarithm is uniform between {@code log(min)} and {@code log(max)}
   * (W&amp;B's {@code log_uniform_values}; the natural choice for learning rates).
   *
   * @param min the smallest value, greater than 0
   * @param max the largest value
   */
  record LogUniformValues(double min, double max) implements ParameterDistribution {
    /** Checks the bounds. */
    public LogUniformValues {
      if (!(min > 0) || !(min <= max)) {
        throw new IllegalArgumentException("need 0 < min <= max");
      }
    }

    @Override
    public String distributionName() {
      return "log_uniform_values";
    }

    @Override
    public Object sample(Random random) {
      return fromUnit(random.nextDouble());
    }

    @Override
    public Optional<List<Object>> gridValues() {
      return Optional.empty();
    }

    @Override
    public Object fromUnit(double u) {
      double v = Math.exp(Math.log(min) + clamp(u) * (Math.log(max) - Math.log(min)));
      return Math.max(min, Math.min(max, v));
    }

    @Override
    public double toUnit(Object value) {
      return max == min
          ? 0.5
          : (Math.log(((Number) value).doubleValue()) - Math.log(min))
              / (Math.log(max) - Math.log(min));
    }

    @Override
    public List<Object> extremes() {
      return List.of(min, max);
    }
  }

  /**
   * {@code exp(x)} with {@code x} uniform between {@code min} and {@code max} (W&amp;B's {@code
   * log_uniform}: the bounds are natural-log exponents).
   *
   * @param min the lower exponent
   * @param max the upper exponent
   */
  record LogUniform(double min, double max) implements ParameterDistribution {
    /** Checks the bounds. */
    public LogUniform {
      if (!(min <= max)) {
        throw new IllegalArgumentException("min must be <= max");
      }
    }

    @Override
    public String distributionName() {
      return "log_uniform";
    }

    @Override
    public Object sample(Random random) {
      return fromUnit(random.nextDouble());
    }

    @Override
    public Optional<List<Object>> gridValues() {
      return Optional.empty();
    }

    @Override
    public Object fromUnit(double u) {
      return Math.exp(min + clamp(u) * (max - min));
    }

    @Override
    public double toUnit(Object value) {
      return max == min ? 0.5 : (Math.log(((Number) value).doubleValue()) - min) / (max - min);
    }

    @Override
    public List<Object> extremes() {
      return List.of(Math.exp(min), Math.exp(max));
    }
  }

  private static double clamp(double u) {
    return Math.max(0, Math.min(1, u));
  }
}
