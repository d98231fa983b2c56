package dev.mnistlab.experiments.trial;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The sweep (run group) a trial belongs to, and what the sweep chose for it.
 *
 * <p>{@link #parameters} is the trial's config as W&amp;B hands it to a program: parameter name to
 * value, in the sweep's order, only what the sweep set (the typed fields of {@link TrialSpec} hold
 * the resolved values). It is kept as a map because it is exactly the open, string-keyed record
 * W&amp;B and the run store hold; nothing reads a value from it that {@link TrialSpec} types.
 *
 * @param sweep the sweep's name, also the run's group
 * @param index the trial's position in the sweep, from 0
 * @param fingerprint identifies the sweep's runs in the store across invocations (resume)
 * @param description the sweep's description (the run's notes)
 * @param metric the metric the sweep ranks trials by (e.g. {@code val_accuracy})
 * @param maximize whether a larger metric is better
 * @param parameters the parameters the sweep set, by config name, flattened (a variant's keys in
 *     its place)
 * @param variant the variant object chosen, as W&amp;B records it, when the sweep has one
 */
public record SweepMembership(
    String sweep,
    int index,
    String fingerprint,
    String description,
    String metric,
    boolean maximize,
    Map<String, Object> parameters,
    Optional<Map<String, Object>> variant) {

  /** Copies and checks the components; integral numbers become {@code Long}s, others doubles. */
  public SweepMembership {
    Objects.requireNonNull(sweep, "sweep");
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(metric, "metric");
    parameters = normalized(parameters);
    variant = variant.map(SweepMembership::normalized);
  }

  /** The run's name: the sweep's name and the trial's number (from 1). */
  public String runName() {
    return sweep + "-t" + (index + 1);
  }

  private static Map<String, Object> normalized(Map<String, ?> values) {
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, normal(v)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object normal(Object v) {
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float f) {
      return f.doubleValue();
    }
    return Objects.requireNonNull(v, "parameter value");
  }
}
