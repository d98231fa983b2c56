package dev.mnistlab.experiments.sweep;

import dev.mnistlab.experiments.trial.DataSpec;
import dev.mnistlab.experiments.trial.TrackingSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The local runner's settings of a sweep (the {@code runner} object of a config).
 *
 * @param dataset the known dataset id ({@code mnist}, {@code fashion}, {@code kmnist})
 * @param dataDir a folder with the four IDX files, used instead of the cache or a download
 * @param validationSize images held out for validation; empty for the default (6,000, or a tenth
 *     of smaller training sets)
 * @param trainSubset use only this many training images (a stratified sample)
 * @param seed seed of the search, the split and (unless swept) the trials
 * @param parallelTrials how many trials run at once
 * @param outputDir where results, models and the report go
 * @param saveBestModel whether the best trial's model is saved under the output folder
 * @param tracking where runs are recorded
 * @param spark the Spark master the trials run on as Spark tasks ({@code local[N]}, {@code
 *     spark://host:port}, ...; needs mnist-spark on the class path); empty: in this JVM
 */
public record RunnerSettings(
    String dataset,
    Optional<Path> dataDir,
    OptionalInt validationSize,
    OptionalInt trainSubset,
    long seed,
    int parallelTrials,
    Path outputDir,
    boolean saveBestModel,
    TrackingSettings tracking,
    Optional<String> spark) {

  /**
   * What {@code runner.spark} and {@code --spark} accept (the schema's pattern, checked equal by a
   * test): {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}, {@code
   * spark://host:port[,host:port...]}, {@code yarn}, {@code k8s://URL}.
   */
  public static final java.util.regex.Pattern SPARK_MASTER = java.util.regex.Pattern.compile(
      "^(local(\\[([1-9][0-9]*|\\*)(,[1-9][0-9]*)?\\])?|spark://[^\\s/,]+:[0-9]+(,[^\\s/,]+:[0-9]+)*"
          + "|yarn|k8s://\\S+)$");

  /** The default seed. */
  public static final long DEFAULT_SEED = 42;

  /** Checks the components. */
  public RunnerSettings {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(validationSize, "validationSize");
    Objects.requireNonNull(trainSubset, "trainSubset");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(tracking, "tracking");
    Objects.requireNonNull(spark, "spark");
    if (parallelTrials < 1) {
      throw new IllegalArgumentException("parallelTrials must be >= 1");
    }
  }

  /** Settings whose trials run in this JVM. */
  public RunnerSettings(String dataset, Optional<Path> dataDir, OptionalInt validationSize,
      OptionalInt trainSubset, long seed, int parallelTrials, Path outputDir,
      boolean saveBestModel, TrackingSettings tracking) {
    this(dataset, dataDir, validationSize, trainSubset, seed, parallelTrials, outputDir,
        saveBestModel, tracking, Optional.empty());
  }

  /** A copy whose trials run as Spark tasks on {@code master} (the {@code --spark} override). */
  public RunnerSettings withSpark(String master) {
    return new RunnerSettings(dataset, dataDir, validationSize, trainSubset, seed,
        parallelTrials, outputDir, saveBestModel, tracking, Optional.of(master));
  }

  /** A copy with another data folder (the {@code --data-dir} override). */
  public RunnerSettings withDataDir(Path dir) {
    return new RunnerSettings(dataset, Optional.of(dir), validationSize, trainSubset, seed,
        parallelTrials, outputDir, saveBestModel, tracking, spark);
  }

  /**
   * A copy reading another dataset (the {@code --dataset} override), from the cache or a download:
   * the configured data folder held the other one.
   */
  public RunnerSettings withDataset(String id) {
    return new RunnerSettings(id, Optional.empty(), validationSize, trainSubset, seed,
        parallelTrials, outputDir, saveBestModel, tracking);
  }

  /** A copy with other tracking settings (e.g. a W&amp;B sweep's project and entity). */
  public RunnerSettings withTracking(TrackingSettings t) {
    return new RunnerSettings(dataset, dataDir, validationSize, trainSubset, seed,
        parallelTrials, outputDir, saveBestModel, t);
  }

  /** A copy with another output folder (the {@code --out} override). */
  public RunnerSettings withOutputDir(Path dir) {
    return new RunnerSettings(dataset, dataDir, validationSize, trainSubset, seed,
        parallelTrials, dir, saveBestModel, tracking, spark);
  }

  /** A copy with another number of trials run at once (the {@code --parallel} override). */
  public RunnerSettings withParallelTrials(int trials) {
    return new RunnerSettings(dataset, dataDir, validationSize, trainSubset, seed,
        trials, outputDir, saveBestModel, tracking, spark);
  }

  /** A copy with another local store (the {@code --store} override). */
  public RunnerSettings withStore(String store) {
    TrackingSettings t = tracking.withStore(store);
    return new RunnerSettings(dataset, dataDir, validationSize, trainSubset, seed,
        parallelTrials, outputDir, saveBestModel, t, spark);
  }

  /** The data and split these settings describe (content checksums not known yet). */
  public DataSpec data() {
    return new DataSpec(dataset, dataDir, validationSize, trainSubset, seed, Map.of());
  }
}
