package dev.mnistlab.experiments.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The parameters of one trial of a sweep, as chosen by its {@link SearchStrategy}. Parameters
 * the sweep does not set are absent (the model's defaults apply). A {@link SweepParameter#VARIANT}
 * value (a map of other parameters by config name) is merged in: its keys read like parameters of
 * their own ({@link #epochs()}, {@link #toConfigMap()}, ...).
 *
 * @param index the trial's position in the sweep, from 0
 * @param values each set parameter's value ({@link Long}, {@link Double}, {@link String}, {@link
 *     Boolean}, or for
 *     the variant an unmodifiable {@code Map<String, Object>} of such values)
 */
public record TrialParameters(int index, Map<SweepParameter, Object> values) {

  /** Copies the values, keeping their order. */
  public TrialParameters {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0");
    }
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * The values keyed by config name (e.g. {@code batch_size}), for configs and records: the
   * variant's parameters in its place, flattened; the variant object itself is in {@link
   * #variant()}.
   */
  public Map<String, Object> toConfigMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k == SweepParameter.VARIANT) {
        variantMap(v).forEach(map::put);
      } else {
        map.put(k.configName(), v);
      }
    });
    return Collections.unmodifiableMap(map);
  }

  /** The variant object chosen for this trial (config name to value), when the sweep has one. */
  public Optional<Map<String, Object>> variant() {
    Object v = values.get(SweepParameter.VARIANT);
    return v == null ? Optional.empty() : Optional.of(variantMap(v));
  }

  /** A parameter's value, set directly or through the variant. */
  private Object get(SweepParameter p) {
    Object v = values.get(p);
    if (v == null && values.get(SweepParameter.VARIANT) != null) {
      v = variantMap(values.get(SweepParameter.VARIANT)).get(p.configName());
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> variantMap(Object v) {
    return Collections.unmodifiableMap((Map<String, Object>) v);
  }

  /** The zoo model name, when set. */
  public Optional<String> model() {
    return Optional.ofNullable((String) get(SweepParameter.MODEL));
  }

  /** The optimizer name, when set. */
  public Optional<String> optimizer() {
    return Optional.ofNullable((String) get(SweepParameter.OPTIMIZER));
  }

  /** The batch size, when set. */
  public OptionalInt batchSize() {
    return integer(SweepParameter.BATCH_SIZE);
  }

  /** The number of epochs, when set. */
  public OptionalInt epochs() {
    return integer(SweepParameter.EPOCHS);
  }

  /** The seed, when set. */
  public OptionalLong seed() {
    Object v = get(SweepParameter.SEED);
    return v == null ? OptionalLong.empty() : OptionalLong.of(((Number) v).longValue());
  }

  /** The learning rate, when set. */
  public OptionalDouble learningRate() {
    return real(SweepParameter.LEARNING_RATE);
  }

  /** The dropout probability, when set. */
  public OptionalDouble dropout() {
    return real(SweepParameter.DROPOUT);
  }

  /** The L2 coefficient, when set. */
  public OptionalDouble l2() {
    return real(SweepParameter.L2);
  }

  /** The learning-rate schedule's text form, when set. */
  public Optional<String> lrSchedule() {
    return Optional.ofNullable((String) get(SweepParameter.LR_SCHEDULE));
  }

  /** Whether to augment the training images, when set. */
  public Optional<Boolean> augment() {
    return Optional.ofNullable((Boolean) get(SweepParameter.AUGMENT));
  }

  /** True when both trials set the same parameters to the same values (index ignored). */
  public boolean sameValues(TrialParameters other) {
    Objects.requireNonNull(other, "other");
    return toConfigMap().equals(other.toConfigMap());
  }

  private OptionalInt integer(SweepParameter p) {
    Object v = get(p);
    return v == null ? OptionalInt.empty() : OptionalInt.of(((Number) v).intValue());
  }

  private OptionalDouble real(SweepParameter p) {
    Object v = get(p);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(((Number) v).doubleValue());
  }
}
