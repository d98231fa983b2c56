package dev.mnistlab.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * The tunable settings of a zoo model: learning rate and its schedule, optimiser, dropout, L2,
 * weight initialisation, seed and data augmentation. Immutable; start from {@link
 * ZooModel#defaults()} or {@link #builder()}.
 *
 * <p>The map keys defined here ({@link #LEARNING_RATE}, ...) are mnistlab's one vocabulary for
 * these settings: sweep configs, {@code train} flags, run configs and saved models' metadata all
 * use them.
 *
 * <p>{@code dropout} is the probability of <em>dropping</em> each input of the classifier head (Keras
 * and PyTorch semantics; DL4J's own {@code dropOut(x)} takes the retain probability, the conversion
 * happens inside the zoo).
 */
public final class Hyperparameters {

  /** Keys of {@link #toMap()} and {@link #fromMap(Map, Hyperparameters)}. */
  public static final String LEARNING_RATE = "learning_rate";
  /** Map key of the learning-rate schedule, in {@link LearningRateSchedule#toString()} form. */
  public static final String LR_SCHEDULE = "lr_schedule";
  /** Map key of the optimiser id. */
  public static final String OPTIMIZER = "optimizer";
  /** Map key of the dropout probability. */
  public static final String DROPOUT = "dropout";
  /** Map key of the L2 coefficient. */
  public static final String L2 = "l2";
  /** Map key of the weight initialisation name (a DL4J {@link WeightInit}). */
  public static final String WEIGHT_INIT = "weight_init";
  /** Map key of the seed. */
  public static final String SEED = "seed";
  /** Map key of the augmentation switch. */
  public static final String AUGMENT = "augment";

  private final double learningRate;
  private final LearningRateSchedule lrSchedule;
  private final Optimizer optimizer;
  private final double dropout;
  private final double l2;
  private final WeightInit weightInit;
  private final long seed;
  private final boolean augment;

  private Hyperparameters(Builder b) {
    this.learningRate = b.learningRate;
    this.lrSchedule = b.lrSchedule;
    this.optimizer = b.optimizer;
    this.dropout = b.dropout;
    this.l2 = b.l2;
    this.weightInit = b.weightInit;
    this.seed = b.seed;
    this.augment = b.augment;
  }

  /** A builder with generic defaults: Adam at 1e-3, no dropout, no L2, Xavier init, seed 42. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder()
        .learningRate(learningRate)
        .lrSchedule(lrSchedule)
        .optimizer(optimizer)
        .dropout(dropout)
        .l2(l2)
        .weightInit(weightInit)
        .seed(seed)
        .augment(augment);
  }

  /** Initial learning rate ({@link #lrSchedule()} changes it per epoch). */
  public double learningRate() {
    return learningRate;
  }

  /** How the learning rate changes from epoch to epoch (default: constant). */
  public LearningRateSchedule lrSchedule() {
    return lrSchedule;
  }

  /** The optimiser. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** Probability of dropping each input of the classifier head, in [0, 1). */
  public double dropout() {
    return dropout;
  }

  /** L2 weight-decay coefficient (0 = none). */
  public double l2() {
    return l2;
  }

  /** Weight initialisation scheme. */
  public WeightInit weightInit() {
    return weightInit;
  }

  /** Seed for weight initialisation, dropout masks, shuffling and augmentation. */
  public long seed() {
    return seed;
  }

  /** Whether the trainer applies random shifts/rotations to training images. */
  public boolean augment() {
    return augment;
  }

  /** The values as a map with the {@code snake_case} keys defined here, in a fixed order. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(LEARNING_RATE, learningRate);
    map.put(LR_SCHEDULE, lrSchedule.toString());
    map.put(OPTIMIZER, optimizer.id());
    map.put(DROPOUT, dropout);
    map.put(L2, l2);
    map.put(WEIGHT_INIT, weightInit.name().toLowerCase(Locale.ROOT));
    map.put(SEED, seed);
    map.put(AUGMENT, augment);
    return map;
  }

  /**
   * Reads values written by {@link #toMap()} (numbers may be any {@link Number}, or strings), on top
   * of {@code base}; keys not present keep the base value.
   *
   * @throws IllegalArgumentException for an unknown key or a value of the wrong kind, naming both
   */
  public static Hyperparameters fromMap(Map<String, ?> values, Hyperparameters base) {
    Builder b = base.toBuilder();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = e.getKey();
      Object v = e.getValue();
      try {
        switch (key) {
          case LEARNING_RATE:
            b.learningRate(number(v));
            break;
          case LR_SCHEDULE:
            b.lrSchedule(LearningRateSchedule.parse(String.valueOf(v)));
            break;
          case OPTIMIZER:
            b.optimizer(Optimizer.fromId(String.valueOf(v)));
            break;
          case DROPOUT:
            b.dropout(number(v));
            break;
          case L2:
            b.l2(number(v));
            break;
          case WEIGHT_INIT:
            try {
              b.weightInit(WeightInit.valueOf(String.valueOf(v).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
              throw new IllegalArgumentException("expected one of " + validWeightInits());
            }
            break;
          case SEED:
            b.seed((long) number(v));
            break;
          case AUGMENT:
            b.augment(v instanceof Boolean ? (Boolean) v : Boolean.parseBoolean(String.valueOf(v)));
            break;
          default:
            throw new IllegalArgumentException(
                "unknown hyperparameter; expected one of " + base.toMap().keySet());
        }
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "Hyperparameter '" + key + "' = '" + v + "': " + ex.getMessage(), ex);
      }
    }
    return b.build();
  }

  private static double number(Object v) {
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Hyperparameters)) {
      return false;
    }
    return toMap().equals(((Hyperparameters) o).toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return toMap().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "Hyperparameters{", "}"));
  }

  /** Builder of {@link Hyperparameters}; validates in {@link #build()}. */
  public static final class Builder {
    private double learningRate = 1e-3;
    private LearningRateSchedule lrSchedule = LearningRateSchedule.constant();
    private Optimizer optimizer = Optimizer.ADAM;
    private double dropout = 0.0;
    private double l2 = 0.0;
    private WeightInit weightInit = WeightInit.XAVIER;
    private long seed = 42;
    private boolean augment = false;

    private Builder() {}

    /** Initial learning rate, &gt; 0. */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /** The learning-rate schedule. */
    public Builder lrSchedule(LearningRateSchedule schedule) {
      this.lrSchedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** The optimiser. */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /** Drop probability of the classifier head's inputs, in [0, 1). */
    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /** L2 coefficient, &ge; 0. */
    public Builder l2(double l2) {
      this.l2 = l2;
      return this;
    }

    /** Weight initialisation scheme. */
    public Builder weightInit(WeightInit weightInit) {
      this.weightInit = Objects.requireNonNull(weightInit, "weightInit");
      return this;
    }

    /** The seed. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Random shifts/rotations of training images. */
    public Builder augment(boolean augment) {
      this.augment = augment;
      return this;
    }

    /**
     * Builds the immutable value.
     *
     * @throws IllegalArgumentException if a value is out of range, naming it and its valid range
     */
    public Hyperparameters build() {
      if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
        throw new IllegalArgumentException(
            "learning_rate must be a positive number, was " + learningRate);
      }
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
      }
      if (!(l2 >= 0) || Double.isInfinite(l2)) {
        throw new IllegalArgumentException("l2 must be >= 0, was " + l2);
      }
      return new Hyperparameters(this);
    }
  }

  private static String validWeightInits() {
    return Arrays.stream(WeightInit.values())
        .map(w -> w.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
