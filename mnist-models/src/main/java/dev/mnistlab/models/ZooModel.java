package dev.mnistlab.models;

import dev.mnistlab.models.internal.ArchitectureDiagram;
import dev.mnistlab.models.internal.Architectures;
import dev.mnistlab.models.internal.ModelSummaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A named network of the {@link ModelZoo}: a documented factory from {@link Hyperparameters} to an
 * initialised DL4J {@link MultiLayerNetwork}, with working defaults. Immutable and thread-safe.
 *
 * <p>Every zoo network takes NCHW float input {@code [batch, 1, 28, 28]} with values in [0, 1] (the
 * {@code mlp} flattens it itself) and outputs 10 softmax probabilities.
 */
public final class ZooModel {

  private final String name;
  private final String description;
  private final TrainingRecipe recipe;
  private final Function<Hyperparameters, MultiLayerConfiguration> configuration;

  private ZooModel(
      String name,
      String description,
      TrainingRecipe recipe,
      Function<Hyperparameters, MultiLayerConfiguration> configuration) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.recipe = Objects.requireNonNull(recipe, "recipe");
    this.configuration = Objects.requireNonNull(configuration, "configuration");
  }

  /**
   * A zoo model from a configuration function, for networks of your own that should work with the
   * trainer, the files and the predictor like the built-in ones. The function must configure input
   * {@code [batch, 1, 28, 28]} and a 10-way softmax output.
   *
   * @param recipe how the model trains by default (see {@link #recipe()})
   */
  public static ZooModel of(
      String name,
      String description,
      TrainingRecipe recipe,
      Function<Hyperparameters, MultiLayerConfiguration> configuration) {
    return new ZooModel(name, description, recipe, configuration);
  }

  /**
   * {@link #of(String, String, TrainingRecipe, Function)} with a recipe of {@code defaults}, {@value
   * #DEFAULT_EPOCHS} epochs and batch size {@value #DEFAULT_BATCH_SIZE}.
   */
  public static ZooModel of(
      String name,
      String description,
      Hyperparameters defaults,
      Function<Hyperparameters, MultiLayerConfiguration> configuration) {
    return of(name, description, TrainingRecipe.of(defaults, DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE),
        configuration);
  }

  /** Epochs of a model made without a recipe. */
  public static final int DEFAULT_EPOCHS = 10;
  /** Batch size of a model made without a recipe. */
  public static final int DEFAULT_BATCH_SIZE = 64;

  /** The name used in configs and on the command line, e.g. {@code cnn-dropout}. */
  public String name() {
    return name;
  }

  /** One sentence on the architecture and what it is known to reach. */
  public String description() {
    return description;
  }

  /**
   * How this model trains when nothing else is said: hyperparameters (with the learning-rate
   * schedule and augmentation), epochs and batch size. The zoo's accuracy table is made with it.
   */
  public TrainingRecipe recipe() {
    return recipe;
  }

  /** Hyperparameters that train this model well: those of {@link #recipe()}. */
  public Hyperparameters defaults() {
    return recipe.hyperparameters();
  }

  /** The DL4J input type: convolutional 28x28x1 (NCHW). */
  public InputType inputType() {
    return Architectures.inputType();
  }

  /** The DL4J configuration for the given hyperparameters (not yet initialised). */
  public MultiLayerConfiguration configuration(Hyperparameters hyperparameters) {
    return configuration.apply(Objects.requireNonNull(hyperparameters, "hyperparameters"));
  }

  /**
   * Builds and initialises the network (weights from the hyperparameters' seed, so equal seeds give
   * equal weights) and prepares it for fast CPU execution with {@link Dl4jRuntime#prepare}.
   */
  public MultiLayerNetwork build(Hyperparameters hyperparameters) {
    Dl4jRuntime.configure();
    MultiLayerNetwork network = new MultiLayerNetwork(configuration(hyperparameters));
    network.init();
    return Dl4jRuntime.prepare(network);
  }

  /** {@link #build(Hyperparameters)} with {@link #defaults()}. */
  public MultiLayerNetwork build() {
    return build(recipe.hyperparameters());
  }

  /**
   * A text table of the network built with the defaults: one line per layer with its output shape
   * (without the batch dimension), parameter count and the implementation it runs on.
   */
  public String summary() {
    MultiLayerNetwork network = build();
    return ModelSummaries.table(
        name + " — " + description, ModelSummaries.rows(network, inputType()));
  }

  /** The architecture picture as an SVG document. */
  public String architectureSvg() {
    MultiLayerNetwork network = build();
    return ArchitectureDiagram.svg(name, description, ModelSummaries.rows(network, inputType()));
  }

  /** Writes {@link #architectureSvg()} to {@code file} (atomically: temp file, then rename). */
  public void writeArchitectureSvg(Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, architectureSvg(), StandardCharsets.UTF_8);
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | UncheckedIOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
