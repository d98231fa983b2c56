package dev.mnistlab.models;

import dev.mnistlab.models.internal.Architectures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * The named networks of mnistlab.
 *
 * <table>
 *   <caption>Zoo models and their defaults</caption>
 *   <tr><th>name</th><th>architecture</th><th>defaults</th></tr>
 *   <tr><td>{@code mlp}</td><td>784-512-256-10, ReLU</td><td>Adam 1e-3, dropout 0.2</td></tr>
 *   <tr><td>{@code cnn-basic}</td><td>Conv 32, MaxPool, Dense 128, Dense 10</td><td>Adam 1e-3</td></tr>
 *   <tr><td>{@code cnn-dropout}</td><td>Conv 32, MaxPool, Conv 64, MaxPool, Dense 128, Dropout,
 *       Dense 10</td><td>Adam 1e-3, dropout 0.5</td></tr>
 *   <tr><td>{@code cnn-batchnorm}</td><td>Conv 32 + BN, MaxPool, Conv 64 + BN, MaxPool, Dense 256,
 *       Dropout, Dense 10</td><td>Adam 1e-3, dropout 0.5</td></tr>
 *   <tr><td>{@code lenet5}</td><td>Conv 5x5x6, MaxPool, Conv 5x5x16, MaxPool, Dense 120, Dense 84,
 *       Dense 10</td><td>Adam 1e-3</td></tr>
 *   <tr><td>{@code cnn-deep}</td><td>3 VGG-style blocks with BN (32, 32 | 64, 64 | 128), Dense 256 +
 *       BN, Dropout, Dense 10</td><td>Adam 2e-3, dropout 0.4, augmentation on</td></tr>
 * </table>
 *
 * <p>All use ReLU, He ("ReLU") weight initialisation, seed 42 and categorical cross-entropy unless
 * overridden; their shared DL4J settings are listed on {@link ZooModel}. Each model's {@link
 * ZooModel#recipe() recipe} (the defaults above plus epochs, batch size and learning-rate
 * schedule) is what {@code mnistlab train}, sweeps and the accuracy table use:
 *
 * <table>
 *   <caption>Training recipes</caption>
 *   <tr><th>name</th><th>epochs</th><th>batch</th><th>schedule</th><th>augmentation</th></tr>
 *   <tr><td>{@code mlp}</td><td>10</td><td>64</td><td>constant</td><td>no</td></tr>
 *   <tr><td>{@code cnn-basic}</td><td>5</td><td>64</td><td>constant</td><td>no</td></tr>
 *   <tr><td>{@code cnn-dropout}</td><td>10</td><td>64</td><td>constant</td><td>no</td></tr>
 *   <tr><td>{@code cnn-batchnorm}</td><td>12</td><td>64</td><td>constant</td><td>no</td></tr>
 *   <tr><td>{@code lenet5}</td><td>10</td><td>64</td><td>constant</td><td>no</td></tr>
 *   <tr><td>{@code cnn-deep}</td><td>15</td><td>64</td><td>cosine</td><td>yes</td></tr>
 * </table>
 *
 * <p>The study models (cnn-basic, cnn-dropout, cnn-batchnorm) keep the three-model study's epochs
 * and constant Adam rate, so their comparison stays the study's.
 */
public final class ModelZoo {

  /** Config name (and map key) of the zoo model's name, beside {@link TrainingRecipe#toMap()}. */
  public static final String MODEL = "model";

  private static final Map<String, ZooModel> MODELS = new LinkedHashMap<>();

  static {
    Hyperparameters base = Hyperparameters.builder().weightInit(WeightInit.RELU).build();
    register(
        ZooModel.of(
            "mlp",
            "784-512-256-10 multilayer perceptron with dropout (the workshop's dense baseline)",
            TrainingRecipe.of(base.toBuilder().dropout(0.2).build(), 10, 64),
            Architectures::mlp));
    register(
        ZooModel.of(
            "cnn-basic",
            "Conv 3x3x32, MaxPool, Dense 128, softmax (study: 97.5% after 5 epochs)",
            TrainingRecipe.of(base, 5, 64),
            Architectures::cnnBasic));
    register(
        ZooModel.of(
            "cnn-dropout",
            "2 x (Conv 3x3, MaxPool), Dense 128, Dropout 0.5, softmax (study: 98.5% after 10 epochs)",
            TrainingRecipe.of(base.toBuilder().dropout(0.5).build(), 10, 64),
            Architectures::cnnDropout));
    register(
        ZooModel.of(
            "cnn-batchnorm",
            "2 x (Conv 3x3 + BatchNorm, MaxPool), Dense 256, Dropout 0.5, softmax"
                + " (study: 99.2% after 12 epochs)",
            TrainingRecipe.of(base.toBuilder().dropout(0.5).build(), 12, 64),
            Architectures::cnnBatchnorm));
    register(
        ZooModel.of(
            "lenet5",
            "LeNet-5 (LeCun 1998) with ReLU and max pooling",
            TrainingRecipe.of(base, 10, 64),
            Architectures::lenet5));
    register(
        ZooModel.of(
            "cnn-deep",
            "VGG-style 5-conv network with BatchNorm, dropout, augmentation and cosine LR decay"
                + " (aims at >= 99.6% on full MNIST)",
            TrainingRecipe.of(
                base.toBuilder()
                    .learningRate(2e-3)
                    .lrSchedule(LearningRateSchedule.cosine())
                    .dropout(0.4)
                    .augment(true)
                    .build(),
                15,
                64),
            Architectures::cnnDeep));
  }

  private ModelZoo() {}

  private static void register(ZooModel model) {
    MODELS.put(model.name(), model);
  }

  /** The model names, in a fixed order (simplest first). */
  public static List<String> names() {
    return List.copyOf(MODELS.keySet());
  }

  /** All zoo models, in the order of {@link #names()}. */
  public static List<ZooModel> models() {
    return List.copyOf(MODELS.values());
  }

  /**
   * The model called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the valid models if there is none
   */
  public static ZooModel get(String name) {
    ZooModel model = name == null ? null : MODELS.get(name.trim().toLowerCase(Locale.ROOT));
    if (model == null) {
      throw new IllegalArgumentException(
          "Unknown model '" + name + "'; expected one of " + String.join(", ", names()));
    }
    return model;
  }
}
