package dev.mnistlab.experiments.trial;

import dev.mnistlab.data.DatasetResolver;
import dev.mnistlab.data.DownloadProgress;
import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.TrainValidationSplit;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data of a trial, loaded once and shared by all trials of a sweep: the training split, the
 * validation split held out of it (stratified, seeded) and the test split.
 *
 * @param name the dataset's name (e.g. {@code mnist}, or the folder name for a given folder)
 * @param classNames the class names, index = label
 * @param train the images trained on
 * @param validation the images evaluated after every epoch
 * @param test the images evaluated once at the end
 * @param checksums SHA-256 of each source file as stored, by file name
 * @param contentChecksums SHA-256 of each source file's decompressed IDX content, by file name:
 *     the same for every packaging of the same data, so what identifies the data
 */
public record TrialData(
    String name,
    List<String> classNames,
    LabeledImages train,
    LabeledImages validation,
    LabeledImages test,
    Map<String, String> checksums,
    Map<String, String> contentChecksums) {

  private static final Logger LOG = LoggerFactory.getLogger(TrialData.class);

  /** Copies and checks the components. */
  public TrialData {
    Objects.requireNonNull(name, "name");
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    checksums = Map.copyOf(new TreeMap<>(checksums));
    contentChecksums = Map.copyOf(new TreeMap<>(contentChecksums));
  }

  /**
   * Resolves the dataset the spec names (the data folder if given, else the cache, else a
   * download), then takes the training subset and the validation split.
   *
   * @throws IOException when the data is unavailable or malformed (messages say how to fix it)
   */
  public static TrialData resolve(DataSpec settings, DownloadProgress progress)
      throws IOException {
    DatasetResolver.Builder resolver = DatasetResolver.builder().progress(progress);
    settings.dataDir().ifPresent(resolver::dataDir);
    KnownDataset known = KnownDataset.fromId(settings.dataset());
    MnistDataset dataset = resolver.build().resolve(known);
    return split(dataset, settings);
  }

  /** Applies the spec's training subset and validation size to a loaded dataset. */
  public static TrialData split(MnistDataset dataset, DataSpec settings) {
    LabeledImages train = dataset.train();
    if (settings.trainSubset().isPresent() && settings.trainSubset().getAsInt() < train.count()) {
      // a stratified sample of the requested size: the "validation" part of a split of that size
      train = TrainValidationSplit.stratified(train, settings.trainSubset().getAsInt(),
          settings.splitSeed()).validation();
    }
    int validationSize = settings.validationSize()
        .orElse(TrainValidationSplit.defaultValidationSize(train.count()));
    if (validationSize >= train.count()) {
      throw new IllegalArgumentException("validation_size " + validationSize
          + " leaves no training images (the training split has " + train.count() + ")");
    }
    TrainValidationSplit split = TrainValidationSplit.stratified(train, validationSize,
        settings.splitSeed());
    LOG.info("{}: {} training, {} validation, {} test images", dataset.name(),
        split.train().count(), split.validation().count(), dataset.test().count());
    return new TrialData(dataset.name(), dataset.classNames(), split.train(), split.validation(),
        dataset.test(), dataset.checksums(), dataset.contentChecksums());
  }
}
