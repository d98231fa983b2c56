package dev.mnistlab.experiments.trial;

import dev.mnistlab.tracking.Artifact;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trial's saved model as a W&amp;B artifact of type {@code model} (PROTOCOL §8): the
 * ModelSerializer zip (which carries its own metadata) as {@value #FILE}, in the collection
 * {@code model-<sweep>} (so a sweep's versions sit together and {@code best} moves between them) or
 * {@code model-<model>} for a single trial, with the hyperparameters, the final metrics, the
 * dataset checksums and the mnistlab version as metadata.
 */
public final class ModelArtifact {
  /** The artifact type. */
  public static final String TYPE = "model";
  /** The model's path inside the artifact. */
  public static final String FILE = "model.zip";
  /** The alias of the sweep's best trial so far. */
  public static final String BEST = "best";

  private ModelArtifact() {}

  /** The collection name of a trial's model: {@code model-<sweep>} or {@code model-<model>}. */
  public static String collection(TrialSpec spec) {
    String base = spec.membership().map(SweepMembership::sweep).orElse(spec.model());
    String name = ("model-" + base).replaceAll("[^A-Za-z0-9._-]", "-");
    return name.length() > 128 ? name.substring(0, 128) : name;
  }

  /**
   * The artifact of the model at {@code modelFile}.
   *
   * @param config the run's config (hyperparameters and trial settings)
   * @param history the trial's epoch metrics (the last one is recorded as final)
   * @param testMetrics the test metrics
   * @param best whether the trial is its sweep's best so far (alias {@value #BEST})
   */
  public static Artifact of(TrialSpec spec, TrialData data, Path modelFile, Map<String, Object> config,
      List<Map<String, Double>> history, Map<String, Double> testMetrics, boolean best) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    if (!history.isEmpty()) {
      metrics.putAll(history.get(history.size() - 1));
    }
    metrics.putAll(testMetrics);
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("name", data.name());
    dataset.put("checksums", data.checksums());
    dataset.put("content_checksums", data.contentChecksums());
    Artifact.Builder b = Artifact.builder(collection(spec), TYPE)
        .file(FILE, modelFile)
        .description(spec.model() + " trained by mnistlab"
            + spec.membership().map(m -> " (sweep " + m.sweep() + ", trial " + (m.index() + 1) + ")").orElse(""))
        .metadata("model", spec.model())
        .metadata("hyperparameters", config)
        .metadata("metrics", metrics)
        .metadata("dataset", dataset)
        .metadata("mnistlab_version", MnistlabVersion.get());
    Optional<SweepMembership> m = spec.membership();
    m.ifPresent(x -> b.metadata("sweep", x.sweep()).metadata("trial", x.index() + 1));
    if (best) {
      b.alias(BEST);
    }
    return b.build();
  }
}
