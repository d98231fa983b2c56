package dev.mnistlab.models;

import java.util.Locale;

/**
 * The learning rate per epoch, applied by the {@link Trainer} at the start of every epoch. Immutable;
 * create with the static factories or {@link #parse(String)}, whose text form ({@link #toString()})
 * is what configs, the command line ({@code --lr-schedule}) and run records use.
 */
public final class LearningRateSchedule {

  private enum Kind {
    CONSTANT,
    STEP,
    EXPONENTIAL,
    COSINE
  }

  private final Kind kind;
  private final double a;
  private final double b;

  private LearningRateSchedule(Kind kind, double a, double b) {
    this.kind = kind;
    this.a = a;
    this.b = b;
  }

  /** The initial rate in every epoch. */
  public static LearningRateSchedule constant() {
    return new LearningRateSchedule(Kind.CONSTANT, 0, 0);
  }

  /**
   * Multiplies the rate by {@code factor} every {@code everyEpochs} epochs.
   *
   * @throws IllegalArgumentException unless {@code everyEpochs >= 1} and {@code 0 < factor <= 1}
   */
  public static LearningRateSchedule step(int everyEpochs, double factor) {
    if (everyEpochs < 1 || !(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException(
          "step schedule needs everyEpochs >= 1 and 0 < factor <= 1, got " + everyEpochs + ", " + factor);
    }
    return new LearningRateSchedule(Kind.STEP, everyEpochs, factor);
  }

  /**
   * Multiplies the rate by {@code gamma} after every epoch.
   *
   * @throws IllegalArgumentException unless {@code 0 < gamma <= 1}
   */
  public static LearningRateSchedule exponential(double gamma) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("exponential schedule needs 0 < gamma <= 1, got " + gamma);
    }
    return new LearningRateSchedule(Kind.EXPONENTIAL, gamma, 0);
  }

  /**
   * Cosine annealing from the initial rate to {@code minFraction} of it over {@code epochs} epochs
   * (then stays at the minimum).
   *
   * @throws IllegalArgumentException unless {@code epochs >= 1} and {@code 0 <= minFraction < 1}
   */
  public static LearningRateSchedule cosine(int epochs, double minFraction) {
    if (epochs < 1 || !(minFraction >= 0 && minFraction < 1)) {
      throw new IllegalArgumentException(
          "cosine schedule needs epochs >= 1 and 0 <= minFraction < 1, got " + epochs + ", " + minFraction);
    }
    return new LearningRateSchedule(Kind.COSINE, epochs, minFraction);
  }

  /**
   * Cosine annealing from the initial rate towards zero over however many epochs the training has
   * (epoch {@code e} of {@code n} at {@code (1 + cos(pi (e - 1) / n)) / 2} of the initial rate): the
   * usual choice when the epoch count is itself a sweep parameter.
   */
  public static LearningRateSchedule cosine() {
    return new LearningRateSchedule(Kind.COSINE, 0, 0);
  }

  /** The accepted text forms, for error messages. */
  public static final String FORMS =
      "constant, step:EVERY:FACTOR, exponential:GAMMA, cosine or cosine:EPOCHS:MIN_FRACTION";

  /**
   * Parses the {@link #toString()} form: {@code constant}, {@code step:EVERY:FACTOR}, {@code
   * exponential:GAMMA}, {@code cosine} (over the training's epochs), {@code
   * cosine:EPOCHS:MIN_FRACTION}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static LearningRateSchedule parse(String text) {
    String[] p = text.trim().toLowerCase(Locale.ROOT).split(":");
    try {
      switch (p[0]) {
        case "constant":
          if (p.length == 1) {
            return constant();
          }
          break;
        case "step":
          if (p.length == 3) {
            return step(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
          }
          break;
        case "exponential":
          if (p.length == 2) {
            return exponential(Double.parseDouble(p[1]));
          }
          break;
        case "cosine":
          if (p.length == 1) {
            return cosine();
          }
          if (p.length == 3) {
            return cosine(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // fall through to the common message
    }
    throw new IllegalArgumentException(
        "Unknown learning-rate schedule '" + text + "'; expected " + FORMS);
  }

  /**
   * The rate for a 1-based {@code epoch} given the initial rate.
   *
   * @throws IllegalArgumentException if {@code epoch < 1}
   */
  public double rate(int epoch, double initial) {
    if (kind == Kind.COSINE && a == 0) {
      throw new IllegalStateException("'cosine' follows the training's length: use rate(epoch,"
          + " totalEpochs, initial)");
    }
    return rate(epoch, 0, initial);
  }

  /**
   * The rate for a 1-based {@code epoch} of a training of {@code totalEpochs} epochs, given the
   * initial rate ({@code totalEpochs} matters only to {@link #cosine()}).
   *
   * @throws IllegalArgumentException if {@code epoch < 1}
   */
  public double rate(int epoch, int totalEpochs, double initial) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch is 1-based, got " + epoch);
    }
    int e = epoch - 1;
    switch (kind) {
      case CONSTANT:
        return initial;
      case STEP:
        return initial * Math.pow(b, e / (int) a);
      case EXPONENTIAL:
        return initial * Math.pow(a, e);
      case COSINE:
        // cosine:EPOCHS:MIN reaches its minimum in epoch EPOCHS; cosine() never trains an epoch at
        // rate 0: its last epoch is one step short of the end of the curve
        double progress = a > 0 ? Math.min(1.0, e / Math.max(1.0, a - 1))
            : e / (double) Math.max(1, totalEpochs);
        return initial * (b + (1 - b) * 0.5 * (1 + Math.cos(Math.PI * progress)));
      default:
        throw new AssertionError(kind);
    }
  }

  /** True for {@link #constant()}. */
  public boolean isConstant() {
    return kind == Kind.CONSTANT;
  }

  @Override
  public String toString() {
    switch (kind) {
      case CONSTANT:
        return "constant";
      case STEP:
        return "step:" + (int) a + ":" + b;
      case EXPONENTIAL:
        return "exponential:" + a;
      case COSINE:
        return a == 0 ? "cosine" : "cosine:" + (int) a + ":" + b;
      default:
        throw new AssertionError(kind);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LearningRateSchedule && o.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
