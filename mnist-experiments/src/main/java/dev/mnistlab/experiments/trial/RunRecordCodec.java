package dev.mnistlab.experiments.trial;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.TrainingRecipe;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The one owner of the run-record vocabulary of mnistlab trials: the config, summary and
 * provenance keys a trial's run is written with, and how they are read back (by resume, rerun,
 * the results table and the report). Nothing else spells these keys.
 */
public final class RunRecordCodec {
  /** Run config key: the sweep's name. */
  public static final String CONFIG_SWEEP = "sweep";
  /** Run config key: the trial's index in its sweep (from 0). */
  public static final String CONFIG_TRIAL = "trial";
  /** Run config key: the sweep's fingerprint, which identifies resumable runs. */
  public static final String CONFIG_FINGERPRINT = "sweep_fingerprint";
  /** Run config key: the variant object chosen for the trial. */
  public static final String CONFIG_VARIANT = "variant";
  /** Summary key: whether the trial was stopped early (hyperband). */
  public static final String SUMMARY_STOPPED_EARLY = "stopped_early";
  /** Provenance key: the sweep config as resolved (its text, verbatim). */
  static final String PROVENANCE_SWEEP_CONFIG = "sweep_config";
  /** Provenance key: the trial's spec, in its JSON form. */
  static final String PROVENANCE_TRIAL_SPEC = "trial_spec";
  /** Provenance key: the SHA-256 of each data file as stored. */
  static final String PROVENANCE_CHECKSUMS = "dataset_checksums";
  /** Provenance key: the SHA-256 of each data file's decompressed content. */
  static final String PROVENANCE_CONTENT_CHECKSUMS = "dataset_content_checksums";
  /** The job type of a sweep's trial. */
  public static final String JOB_SWEEP_TRIAL = "sweep-trial";
  /** The job type of a trial outside a sweep. */
  static final String JOB_TRIAL = "trial";
  /** The exit code recorded for an interrupted run (as a shell reports Ctrl-C). */
  static final int EXIT_INTERRUPTED = 130;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RunRecordCodec() {}

  /**
   * The config a trial's run starts with: the sweep's parameters (or the spec's own values
   * outside a sweep), the sweep membership, the data and its split sizes, the seed.
   */
  static Map<String, Object> runConfig(TrialSpec spec, TrialData data) {
    Map<String, Object> config = new LinkedHashMap<>();
    Optional<SweepMembership> membership = spec.membership();
    if (membership.isPresent()) {
      SweepMembership m = membership.get();
      config.putAll(m.parameters());
      m.variant().ifPresent(v -> config.put(CONFIG_VARIANT, v));
      config.put(CONFIG_SWEEP, m.sweep());
      config.put(CONFIG_TRIAL, m.index());
      config.put(CONFIG_FINGERPRINT, m.fingerprint());
    } else {
      config.putAll(ownParameters(spec));
    }
    config.put("dataset", data.name());
    config.put("train_size", data.train().count());
    config.put("validation_size", data.validation().count());
    config.put("test_size", data.test().count());
    config.putIfAbsent(Hyperparameters.SEED, spec.seed());
    return config;
  }

  /**
   * The spec's own parameters by config name, as a sweep that set each of them would record them:
   * model, epochs, batch size, seed, then the hyperparameters that are set.
   */
  public static Map<String, Object> ownParameters(TrialSpec spec) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ModelZoo.MODEL, spec.model());
    config.put(TrainingRecipe.EPOCHS, (long) spec.epochs());
    config.put(TrainingRecipe.BATCH_SIZE, (long) spec.batchSize());
    config.put(Hyperparameters.SEED, spec.seed());
    spec.learningRate().ifPresent(v -> config.put(Hyperparameters.LEARNING_RATE, v));
    spec.optimizer().ifPresent(v -> config.put(Hyperparameters.OPTIMIZER, v));
    spec.dropout().ifPresent(v -> config.put(Hyperparameters.DROPOUT, v));
    spec.l2().ifPresent(v -> config.put(Hyperparameters.L2, v));
    spec.lrSchedule().ifPresent(v -> config.put(Hyperparameters.LR_SCHEDULE, v));
    spec.augment().ifPresent(v -> config.put(Hyperparameters.AUGMENT, v));
    return config;
  }

  /** The provenance of a trial's run: {@code base} plus the data, config, seed and spec. */
  static Provenance provenance(Provenance base, TrialSpec spec, TrialData data,
      Map<String, Object> runConfig) {
    return base.toBuilder()
        .extra("dataset", data.name())
        .extra(PROVENANCE_CHECKSUMS, data.checksums())
        .extra(PROVENANCE_CONTENT_CHECKSUMS, data.contentChecksums())
        .extra("resolved_config", runConfig)
        .extra(Hyperparameters.SEED, spec.seed())
        // never a store password in a record: the spec is kept with its store location redacted
        .extra(PROVENANCE_TRIAL_SPEC, tree(spec.toBuilder()
            .tracking(spec.tracking().withStore(LocalStore.redact(spec.tracking().store())))
            .build().toJson()))
        .build();
  }

  /**
   * The trial's inputs as its run recorded them, typed.
   *
   * @throws IOException when the recorded trial spec is damaged
   */
  public static TrialProvenance read(Provenance provenance) throws IOException {
    Map<String, Object> extras = provenance.extras();
    Object spec = extras.get(PROVENANCE_TRIAL_SPEC);
    Optional<TrialSpec> trialSpec = spec == null ? Optional.empty() : Optional.of(TrialSpec.fromJson(
        spec instanceof String s ? s : MAPPER.writeValueAsString(spec)));
    Object seed = extras.get(Hyperparameters.SEED);
    return new TrialProvenance(
        Optional.ofNullable(extras.get("dataset")).map(Object::toString),
        stringMap(extras.get(PROVENANCE_CHECKSUMS)),
        stringMap(extras.get(PROVENANCE_CONTENT_CHECKSUMS)),
        seed instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty(),
        Optional.ofNullable(extras.get(PROVENANCE_SWEEP_CONFIG)).map(Object::toString),
        trialSpec);
  }

  /** Adds the sweep config text to a base provenance, for every trial of the sweep. */
  public static Provenance withSweepConfig(Provenance base, String sweepConfigText) {
    return base.toBuilder().extra(PROVENANCE_SWEEP_CONFIG, sweepConfigText).build();
  }

  private static Map<String, String> stringMap(Object recorded) {
    Map<String, String> map = new TreeMap<>();
    if (recorded instanceof Map<?, ?> m) {
      m.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
    }
    return map;
  }

  /** Whether a run's summary says it was stopped early. */
  public static boolean stoppedEarly(Map<String, Object> summary) {
    return Boolean.TRUE.equals(summary.get(SUMMARY_STOPPED_EARLY));
  }

  private static Map<String, Object> tree(String json) {
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
