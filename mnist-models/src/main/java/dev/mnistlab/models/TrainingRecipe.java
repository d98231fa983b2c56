package dev.mnistlab.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a zoo model is trained when nobody says otherwise: its {@link Hyperparameters} (optimiser,
 * learning rate and schedule, dropout, augmentation, ...), the number of epochs and the batch size.
 * Every path that trains a zoo model starts from it — {@code mnistlab train}, a sweep trial, a
 * rerun, a W&amp;B agent or Spark task, {@link Trainer#builder(TrainingRecipe)} and the accuracy
 * benchmark — so the accuracy published for a model is the accuracy its users get. Immutable.
 */
public final class TrainingRecipe {

  /** Map key (and config name) of the number of epochs. */
  public static final String EPOCHS = "epochs";
  /** Map key (and config name) of the mini-batch size. */
  public static final String BATCH_SIZE = "batch_size";

  private final Hyperparameters hyperparameters;
  private final int epochs;
  private final int batchSize;

  private TrainingRecipe(Hyperparameters hyperparameters, int epochs, int batchSize) {
    this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
    }
    this.epochs = epochs;
    this.batchSize = batchSize;
  }

  /**
   * A recipe.
   *
   * @throws IllegalArgumentException unless {@code epochs >= 1} and {@code batchSize >= 1}
   */
  public static TrainingRecipe of(Hyperparameters hyperparameters, int epochs, int batchSize) {
    return new TrainingRecipe(hyperparameters, epochs, batchSize);
  }

  /** The hyperparameters, including the learning-rate schedule and augmentation. */
  public Hyperparameters hyperparameters() {
    return hyperparameters;
  }

  /** Epochs to train. */
  public int epochs() {
    return epochs;
  }

  /** Mini-batch size. */
  public int batchSize() {
    return batchSize;
  }

  /** This recipe with other hyperparameters. */
  public TrainingRecipe withHyperparameters(Hyperparameters other) {
    return new TrainingRecipe(other, epochs, batchSize);
  }

  /** This recipe with another epoch count. */
  public TrainingRecipe withEpochs(int n) {
    return new TrainingRecipe(hyperparameters, n, batchSize);
  }

  /** This recipe with another batch size. */
  public TrainingRecipe withBatchSize(int n) {
    return new TrainingRecipe(hyperparameters, epochs, n);
  }

  /**
   * The whole recipe as one map in mnistlab's vocabulary: {@link Hyperparameters#toMap()} plus
   * {@link #EPOCHS} and {@link #BATCH_SIZE}. Runs record it as their resolved config.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>(hyperparameters.toMap());
    map.put(BATCH_SIZE, batchSize);
    map.put(EPOCHS, epochs);
    return map;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingRecipe r && r.toMap().equals(toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "TrainingRecipe" + toMap();
  }
}
