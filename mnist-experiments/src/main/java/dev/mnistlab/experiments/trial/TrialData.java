package dev.mnistlab.experiments.trial;

import dev.mnistlab.data.DatasetResolver;
import dev.mnistlab.data.DownloadProgress;
import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.TrainValidationSplit;
import dev.mnistlab.experiments.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
   * @throws UserInputException when the validation split leaves no training images
   */
  public static TrialData resolve(DataSpec settings, DownloadProgress progress)
      throws IOException {
    DatasetResolver.Builder resolver = DatasetResolver.builder().progress(progress);
    settings.dataDir().ifPresent(resolver::dataDir);
    KnownDataset known = KnownDataset.fromId(settings.dataset());
    MnistDataset dataset = resolver.build().resolve(known);
    return split(dataset, settings);
  }

  /**
   * Where the data a recorded trial trained on is now, found by its content checksums: the
   * recorded folder if it still holds the same content, else the cache or a known system location
   * holding it (nothing is downloaded). A spec without recorded checksums names no content to
   * look for: its own folder (or none, for the usual resolution) is returned.
   *
   * @return the folder to load, or empty when the usual resolution applies
   * @throws RecordedDataNotFoundException when no copy of that content is here
   */
  public static Optional<Path> locate(DataSpec recorded) throws IOException {
    if (recorded.contentChecksums().isEmpty()) {
      return recorded.dataDir();
    }
    Map<String, String> wanted = byContentName(recorded.contentChecksums());
    KnownDataset known = KnownDataset.fromId(recorded.dataset());
    String what = "the trial's data (" + known.id() + ")";
    if (recorded.dataDir().isPresent()) {
      Path folder = recorded.dataDir().get();
      what = "the trial's data folder " + folder;
      if (!Files.isDirectory(folder)) {
        what += " is gone";
      } else {
        try {
          MnistDataset there = DatasetResolver.builder().dataDir(folder).offline(true).build()
              .resolve(known);
          if (byContentName(there.contentChecksums()).equals(wanted)) {
            return Optional.of(folder);
          }
          what += " now holds other data";
        } catch (IOException e) {
          what += " cannot be read (" + e.getMessage() + ")";
        }
      }
      what += ", and it";
    }
    DatasetResolver resolver = DatasetResolver.builder().offline(true).build();
    try {
      MnistDataset found = resolver.resolve(known);
      if (byContentName(found.contentChecksums()).equals(wanted) && found.source().isPresent()) {
        LOG.info("the recorded data is in {}", found.source().get());
        return found.source();
      }
    } catch (IOException notHere) {
      LOG.debug("{} is not in the cache or system locations: {}", known.id(),
          notHere.getMessage());
    }
    throw new RecordedDataNotFoundException(what + " is neither in the cache ("
        + resolver.cacheFolder(known) + ") nor in a system location with the same content"
        + " (SHA-256 of the decompressed files: " + wanted + ")",
        recorded.dataDir(), recorded.contentChecksums());
  }

  /** Checksums keyed by file name without {@code .gz}: the same data whatever its packaging. */
  private static Map<String, String> byContentName(Map<String, String> checksums) {
    Map<String, String> normal = new TreeMap<>();
    checksums.forEach((file, sha) -> normal.put(
        file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file, sha));
    return normal;
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
      throw new UserInputException("validation_size " + validationSize
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
