package dev.mnistlab.experiments.trial;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Which data a trial trains on, and how it is split: enough to find the same data again on
 * another day or machine and to split it the same way.
 *
 * @param dataset the known dataset id ({@code mnist}, {@code fashion}, {@code kmnist})
 * @param dataDir the folder the four IDX files were read from, when a folder was given
 * @param validationSize images held out for validation; empty for the default (6,000, or a tenth
 *     of smaller training sets)
 * @param trainSubset use only this many training images (a stratified sample)
 * @param splitSeed seed of the training subset and the validation split
 * @param contentChecksums SHA-256 of each file's decompressed IDX content by file name, once the
 *     data has been loaded (empty before): what identifies the data whatever its packaging
 */
public record DataSpec(
    String dataset,
    Optional<Path> dataDir,
    OptionalInt validationSize,
    OptionalInt trainSubset,
    long splitSeed,
    Map<String, String> contentChecksums) {

  /** Copies and checks the components. */
  public DataSpec {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(validationSize, "validationSize");
    Objects.requireNonNull(trainSubset, "trainSubset");
    contentChecksums = Map.copyOf(new TreeMap<>(contentChecksums));
  }

  /** A copy with another data folder (the {@code --data-dir} override). */
  public DataSpec withDataDir(Optional<Path> dir) {
    return new DataSpec(dataset, dir, validationSize, trainSubset, splitSeed, contentChecksums);
  }

  /** A copy that records the content checksums of the data actually loaded. */
  public DataSpec withContentChecksums(Map<String, String> checksums) {
    return new DataSpec(dataset, dataDir, validationSize, trainSubset, splitSeed, checksums);
  }
}
