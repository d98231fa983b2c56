package dev.mnistlab.experiments.sweep;

import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.LearningRateSchedule;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.TrainingRecipe;
import java.util.Arrays;
import java.util.Optional;

/**
 * The hyperparameters the runner understands, with their config names and value types. Any other
 * name in {@code sweep.parameters} is rejected when the config is loaded. The config names are
 * mnist-models' vocabulary ({@link Hyperparameters}, {@link TrainingRecipe}): a sweep parameter,
 * a {@code train} flag's run config and a saved model's metadata name a setting the same way.
 */
public enum SweepParameter {
  /** Zoo model name, e.g. {@code cnn-basic}. */
  MODEL(ModelZoo.MODEL, ParameterType.STRING),
  /** Optimizer: {@code adam}, {@code sgd-nesterov} or {@code rmsprop}. */
  OPTIMIZER(Hyperparameters.OPTIMIZER, ParameterType.STRING),
  /** Mini-batch size, at least 1. */
  BATCH_SIZE(TrainingRecipe.BATCH_SIZE, ParameterType.INTEGER),
  /** Training epochs, at least 1. */
  EPOCHS(TrainingRecipe.EPOCHS, ParameterType.INTEGER),
  /** Seed of weight initialisation and shuffling. */
  SEED(Hyperparameters.SEED, ParameterType.INTEGER),
  /** Learning rate, greater than 0. */
  LEARNING_RATE(Hyperparameters.LEARNING_RATE, ParameterType.NUMBER),
  /** Dropout probability in [0, 1). */
  DROPOUT(Hyperparameters.DROPOUT, ParameterType.NUMBER),
  /** L2 weight decay, at least 0. */
  L2(Hyperparameters.L2, ParameterType.NUMBER),
  /** Learning-rate schedule in {@link LearningRateSchedule#parse} form, e.g. {@code cosine}. */
  LR_SCHEDULE(Hyperparameters.LR_SCHEDULE, ParameterType.STRING),
  /** Random shifts and rotations of the training images. */
  AUGMENT(Hyperparameters.AUGMENT, ParameterType.BOOLEAN),
  /**
   * Several parameters chosen together: each value is a JSON object of other parameters (e.g.
   * {@code {"model": "cnn-dropout", "epochs": 10}}) whose keys become the trial's parameters, so a
   * grid can pair a model with its own epoch count. W&amp;B hands such an object to the program as
   * one config value; mnistlab merges it into the trial, and records both.
   */
  VARIANT("variant", ParameterType.OBJECT);

  private final String configName;
  private final ParameterType type;

  SweepParameter(String configName, ParameterType type) {
    this.configName = configName;
    this.type = type;
  }

  /** The key used in configs and in the tracked run's config (e.g. {@code batch_size}). */
  public String configName() {
    return configName;
  }

  /** The JSON value type. */
  public ParameterType type() {
    return type;
  }

  /** Finds a parameter by its config name. */
  public static Optional<SweepParameter> fromConfigName(String name) {
    return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst();
  }

  /**
   * Checks a value against the parameter's domain.
   *
   * @return empty when valid, else what was expected (e.g. "an integer >= 1")
   */
  Optional<String> domainViolation(Object value) {
    return switch (this) {
      case BATCH_SIZE, EPOCHS -> {
        long n = ((Number) value).longValue();
        // trials take an int: a larger value must not wrap around to another number
        yield n < 1 ? Optional.of("an integer >= 1")
            : n > Integer.MAX_VALUE ? Optional.of("an integer <= " + Integer.MAX_VALUE)
            : Optional.empty();
      }
      case LEARNING_RATE -> {
        double d = ((Number) value).doubleValue();
        yield !Double.isFinite(d) ? Optional.of("a finite number > 0")
            : d > 0 ? Optional.empty() : Optional.of("a number > 0");
      }
      case DROPOUT -> {
        double d = ((Number) value).doubleValue();
        yield d >= 0 && d < 1 ? Optional.empty() : Optional.of("a number in [0, 1)");
      }
      case L2 -> {
        double d = ((Number) value).doubleValue();
        yield !Double.isFinite(d) ? Optional.of("a finite number >= 0")
            : d >= 0 ? Optional.empty() : Optional.of("a number >= 0");
      }
      case LR_SCHEDULE -> {
        try {
          LearningRateSchedule.parse((String) value);
          yield Optional.empty();
        } catch (IllegalArgumentException e) {
          yield Optional.of("a learning-rate schedule: " + LearningRateSchedule.FORMS);
        }
      }
      default -> Optional.empty();
    };
  }
}
