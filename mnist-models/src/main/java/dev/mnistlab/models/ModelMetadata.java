package dev.mnistlab.models;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What is stored with a model file besides the weights: model name, hyperparameters, dataset and
 * its checksums, class names, final metrics, library versions, git commit and creation time.
 * Immutable; written as JSON inside the model zip by {@link ModelFiles}.
 */
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class ModelMetadata {

  /** Version of this metadata format. */
  public static final int FORMAT_VERSION = 1;

  private final int formatVersion;
  private final String modelName;
  private final Map<String, Object> hyperparameters;
  private final String dataset;
  private final Map<String, String> datasetChecksums;
  private final List<String> classNames;
  private final Map<String, Double> metrics;
  private final Map<String, String> libraryVersions;
  private final String gitCommit;
  private final String createdAt;
  private final Map<String, Object> extras;

  @JsonCreator
  private ModelMetadata(
      @JsonProperty("formatVersion") int formatVersion,
      @JsonProperty("modelName") String modelName,
      @JsonProperty("hyperparameters") Map<String, Object> hyperparameters,
      @JsonProperty("dataset") String dataset,
      @JsonProperty("datasetChecksums") Map<String, String> datasetChecksums,
      @JsonProperty("classNames") List<String> classNames,
      @JsonProperty("metrics") Map<String, Double> metrics,
      @JsonProperty("libraryVersions") Map<String, String> libraryVersions,
      @JsonProperty("gitCommit") String gitCommit,
      @JsonProperty("createdAt") String createdAt,
      @JsonProperty("extras") Map<String, Object> extras) {
    this.formatVersion = formatVersion;
    this.modelName = modelName == null ? "unknown" : modelName;
    this.hyperparameters = copy(hyperparameters);
    this.dataset = dataset == null ? "unknown" : dataset;
    this.datasetChecksums = copy(datasetChecksums);
    this.classNames = classNames == null ? List.of() : List.copyOf(classNames);
    this.metrics = copy(metrics);
    this.libraryVersions = copy(libraryVersions);
    this.gitCommit = gitCommit;
    this.createdAt = createdAt;
    this.extras = copy(extras);
  }

  private static <K, V> Map<K, V> copy(Map<K, V> map) {
    return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** A builder; library versions and creation time are filled in automatically. */
  public static Builder builder() {
    return new Builder();
  }

  /** Metadata for a model file that has none (a plain DL4J zip). */
  public static ModelMetadata unknown() {
    return new ModelMetadata(0, null, null, null, null, null, null, null, null, null, null);
  }

  /** Format version of the stored JSON (0 for {@link #unknown()}). */
  public int formatVersion() {
    return formatVersion;
  }

  /** Zoo model name, e.g. {@code cnn-dropout}, or {@code unknown}. */
  public String modelName() {
    return modelName;
  }

  /** Hyperparameters as {@link Hyperparameters#toMap()} wrote them, plus any the caller added. */
  public Map<String, Object> hyperparameters() {
    return hyperparameters;
  }

  /** Dataset name, e.g. {@code fashion}, or {@code unknown}. */
  public String dataset() {
    return dataset;
  }

  /** SHA-256 of each dataset file by file name. */
  public Map<String, String> datasetChecksums() {
    return datasetChecksums;
  }

  /** Class names by label index (empty when unknown: labels are then printed as numbers). */
  public List<String> classNames() {
    return classNames;
  }

  /** Final metrics, e.g. {@code test_accuracy}. */
  public Map<String, Double> metrics() {
    return metrics;
  }

  /** Versions of mnistlab, DL4J, Java, and the ND4J native classifier. */
  public Map<String, String> libraryVersions() {
    return libraryVersions;
  }

  /** Git commit of the code that trained the model, if known. */
  public Optional<String> gitCommit() {
    return Optional.ofNullable(gitCommit);
  }

  /** ISO-8601 creation instant. */
  public String createdAt() {
    return createdAt;
  }

  /** Anything else the caller recorded (e.g. run id, epochs, batch size). */
  public Map<String, Object> extras() {
    return extras;
  }

  /**
   * The commit checked out in the git work tree containing {@code directory} (with {@code -dirty}
   * appended when there are uncommitted changes), or empty if git or the work tree is unavailable.
   */
  public static Optional<String> currentGitCommit(Path directory) {
    try {
      String head = run(directory, "git", "rev-parse", "HEAD");
      if (head == null || head.isBlank()) {
        return Optional.empty();
      }
      String status = run(directory, "git", "status", "--porcelain", "--untracked-files=no");
      return Optional.of(head.trim() + (status != null && !status.isBlank() ? "-dirty" : ""));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String run(Path directory, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return null;
    }
    return p.exitValue() == 0 ? out : null;
  }

  static Map<String, String> detectLibraryVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    Properties p = new Properties();
    try (InputStream in = ModelMetadata.class.getResourceAsStream("mnist-models.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    versions.put("mnistlab", p.getProperty("mnistlab.version", "unknown"));
    versions.put("deeplearning4j", p.getProperty("dl4j.version", "unknown"));
    versions.put("java", System.getProperty("java.version"));
    versions.put("nd4j.classifier", Dl4jRuntime.describe().get("nd4j.classifier"));
    return versions;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ModelMetadata)) {
      return false;
    }
    ModelMetadata m = (ModelMetadata) o;
    return formatVersion == m.formatVersion
        && modelName.equals(m.modelName)
        && hyperparameters.equals(m.hyperparameters)
        && dataset.equals(m.dataset)
        && datasetChecksums.equals(m.datasetChecksums)
        && classNames.equals(m.classNames)
        && metrics.equals(m.metrics)
        && libraryVersions.equals(m.libraryVersions)
        && Objects.equals(gitCommit, m.gitCommit)
        && Objects.equals(createdAt, m.createdAt)
        && extras.equals(m.extras);
  }

  @Override
  public int hashCode() {
    return Objects.hash(modelName, hyperparameters, dataset, metrics, createdAt);
  }

  @Override
  public String toString() {
    return "ModelMetadata{" + modelName + " on " + dataset + ", " + metrics + "}";
  }

  /** Builder of {@link ModelMetadata}. */
  public static final class Builder {
    private String modelName;
    private Map<String, Object> hyperparameters = new LinkedHashMap<>();
    private String dataset;
    private Map<String, String> datasetChecksums = new LinkedHashMap<>();
    private List<String> classNames = List.of();
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private String gitCommit;
    private final Map<String, Object> extras = new LinkedHashMap<>();

    private Builder() {}

    /** The zoo model name. */
    public Builder modelName(String modelName) {
      this.modelName = modelName;
      return this;
    }

    /** The hyperparameters. */
    public Builder hyperparameters(Hyperparameters hyperparameters) {
      this.hyperparameters = new LinkedHashMap<>(hyperparameters.toMap());
      return this;
    }

    /** Hyperparameters as a map (for values beyond {@link Hyperparameters}, e.g. batch size). */
    public Builder hyperparameters(Map<String, ?> hyperparameters) {
      this.hyperparameters = new LinkedHashMap<>(hyperparameters);
      return this;
    }

    /** Dataset name and its files' SHA-256 checksums by file name. */
    public Builder dataset(String name, Map<String, String> checksums) {
      this.dataset = name;
      this.datasetChecksums = new LinkedHashMap<>(checksums);
      return this;
    }

    /** Class names by label. */
    public Builder classNames(List<String> classNames) {
      this.classNames = List.copyOf(classNames);
      return this;
    }

    /** A final metric, e.g. {@code test_accuracy}. */
    public Builder metric(String name, double value) {
      metrics.put(name, value);
      return this;
    }

    /** The test metrics of a training result: {@code test_accuracy}, {@code test_loss}, macro F1. */
    public Builder metrics(TrainingResult result) {
      result.testEvaluation().ifPresent(e -> {
        metrics.put("test_accuracy", e.accuracy());
        metrics.put("test_macro_f1", e.f1());
      });
      if (!Double.isNaN(result.testLoss())) {
        metrics.put("test_loss", result.testLoss());
      }
      metrics.put("best_epoch", (double) result.bestEpoch());
      metrics.put("val_accuracy", result.lastEpoch().validationAccuracy());
      metrics.put("val_loss", result.lastEpoch().validationLoss());
      return this;
    }

    /** The git commit (see {@link ModelMetadata#currentGitCommit(Path)}). */
    public Builder gitCommit(String gitCommit) {
      this.gitCommit = gitCommit;
      return this;
    }

    /** Any other JSON-serialisable value. */
    public Builder extra(String key, Object value) {
      extras.put(key, value);
      return this;
    }

    /** The metadata, stamped with library versions and the current time. */
    public ModelMetadata build() {
      return new ModelMetadata(
          FORMAT_VERSION,
          modelName,
          hyperparameters,
          dataset,
          datasetChecksums,
          classNames,
          metrics,
          detectLibraryVersions(),
          gitCommit,
          Instant.now().toString(),
          extras);
    }
  }
}
