package dev.mnistlab.experiments.trial;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a trial's run records about its inputs beside the automatic provenance (code version,
 * machine, libraries), typed: read with {@link RunRecordCodec#read}, so nothing outside the codec
 * looks values up in {@code Provenance.extras()} by string.
 *
 * @param dataset the dataset's name, when recorded
 * @param checksums SHA-256 of each data file as stored, by file name (empty when not recorded)
 * @param contentChecksums SHA-256 of each file's decompressed content, by file name (empty in
 *     runs recorded before content checksums)
 * @param seed the trial's seed, when recorded
 * @param sweepConfig the resolved sweep config's text, for a sweep's trial
 * @param spec the trial spec the run was trained from (runs recorded before specs were kept have
 *     none)
 */
public record TrialProvenance(
    Optional<String> dataset,
    Map<String, String> checksums,
    Map<String, String> contentChecksums,
    OptionalLong seed,
    Optional<String> sweepConfig,
    Optional<TrialSpec> spec) {

  /** Copies and checks the components. */
  public TrialProvenance {
    Objects.requireNonNull(dataset, "dataset");
    checksums = Map.copyOf(new TreeMap<>(checksums));
    contentChecksums = Map.copyOf(new TreeMap<>(contentChecksums));
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(sweepConfig, "sweepConfig");
    Objects.requireNonNull(spec, "spec");
  }

  /**
   * The checksums that identify the data: the content checksums when recorded (the same data
   * repackaged is then not a difference), else the files' own.
   */
  public Map<String, String> identifyingChecksums() {
    return contentChecksums.isEmpty() ? checksums : contentChecksums;
  }
}
