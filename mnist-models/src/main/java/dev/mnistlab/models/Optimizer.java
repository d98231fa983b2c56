package dev.mnistlab.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;

/** The optimisers a zoo model can be trained with, named as in sweep configs. */
public enum Optimizer {
  /** Adam (beta1 0.9, beta2 0.999, epsilon 1e-8), as Keras and PyTorch default it. */
  ADAM("adam"),
  /** Stochastic gradient descent with Nesterov momentum 0.9. */
  SGD_NESTEROV("sgd-nesterov"),
  /** RMSProp (decay 0.95, epsilon 1e-8, DL4J's defaults). */
  RMSPROP("rmsprop");

  private final String id;

  Optimizer(String id) {
    this.id = id;
  }

  /** The name used in configs and metadata, e.g. {@code sgd-nesterov}. */
  public String id() {
    return id;
  }

  /** The DL4J updater for this optimiser at the given learning rate. */
  public IUpdater updater(double learningRate) {
    switch (this) {
      case ADAM:
        return new Adam(learningRate);
      case SGD_NESTEROV:
        return new Nesterovs(learningRate, 0.9);
      case RMSPROP:
        return new RmsProp(learningRate);
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * Parses an optimiser name: its id ({@code adam}, {@code sgd-nesterov}, {@code rmsprop}) or enum
   * name, case-insensitive.
   *
   * @throws IllegalArgumentException naming the valid values
   */
  public static Optimizer fromId(String name) {
    for (Optimizer optimizer : values()) {
      if (optimizer.id.equalsIgnoreCase(name) || optimizer.name().equalsIgnoreCase(name)) {
        return optimizer;
      }
    }
    throw new IllegalArgumentException(
        "Unknown optimizer '"
            + name
            + "'; expected one of "
            + Arrays.stream(values()).map(Optimizer::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
