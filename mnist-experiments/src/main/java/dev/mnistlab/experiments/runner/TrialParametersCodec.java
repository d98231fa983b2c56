package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.ParameterDistribution;
import dev.mnistlab.experiments.sweep.ParameterType;
import dev.mnistlab.experiments.sweep.SweepParameter;
import dev.mnistlab.experiments.sweep.TrialParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads trial parameters back from a run's recorded config (values may come back as any number). */
final class TrialParametersCodec {
  private TrialParametersCodec() {}

  /**
   * The trial parameters recorded in {@code config} (a run's config or a results row, flattened or
   * not) for the sweep's parameters.
   */
  static TrialParameters fromConfig(int index, Map<String, Object> config,
      Map<SweepParameter, ParameterDistribution> swept) {
    Map<SweepParameter, Object> values = new LinkedHashMap<>();
    for (SweepParameter p : swept.keySet()) {
      if (p.type() == ParameterType.OBJECT) {
        variant(config, swept.get(p), p).ifPresent(v -> values.put(p, v));
        continue;
      }
      Object v = config.get(p.configName());
      if (v != null) {
        values.put(p, typed(p, v));
      }
    }
    return new TrialParameters(index, values);
  }

  private static Object typed(SweepParameter p, Object v) {
    return switch (p.type()) {
      case INTEGER -> v instanceof Number n ? (Object) n.longValue() : (Object) Long.parseLong(v.toString());
      case NUMBER -> v instanceof Number n ? (Object) n.doubleValue() : (Object) Double.parseDouble(v.toString());
      case STRING -> v.toString();
      case BOOLEAN -> v instanceof Boolean b ? (Object) b : (Object) Boolean.parseBoolean(v.toString());
      case OBJECT -> throw new IllegalArgumentException("not a plain parameter: " + p);
    };
  }

  /**
   * The variant a config was trained with: the sweep's variant object whose every key the config
   * holds with the same value (so it equals the sweep's own value, as the search needs); else
   * the recorded object, typed.
   */
  private static Optional<Object> variant(Map<String, Object> config,
      ParameterDistribution distribution, SweepParameter parameter) {
    for (Object candidate : distribution.extremes()) {
      if (candidate instanceof Map<?, ?> map && !map.isEmpty() && map.entrySet().stream()
          .allMatch(e -> config.get(e.getKey().toString()) != null
              && normal(config.get(e.getKey().toString())).equals(normal(e.getValue())))) {
        return Optional.of(candidate);
      }
    }
    if (config.get(parameter.configName()) instanceof Map<?, ?> recorded) {
      Map<String, Object> typed = new LinkedHashMap<>();
      recorded.forEach((k, v) -> SweepParameter.fromConfigName(k.toString())
          .filter(p -> p.type() != ParameterType.OBJECT)
          .ifPresent(p -> typed.put(p.configName(), typed(p, v))));
      return Optional.of(java.util.Collections.unmodifiableMap(typed));
    }
    return Optional.empty();
  }

  /** True when the recorded config holds exactly these parameter values. */
  static boolean matches(TrialParameters parameters, Map<String, Object> config) {
    for (Map.Entry<String, Object> e : parameters.toConfigMap().entrySet()) {
      Object recorded = config.get(e.getKey());
      if (recorded == null || !normal(recorded).equals(normal(e.getValue()))) {
        return false;
      }
    }
    return true;
  }

  private static String normal(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    return String.valueOf(v);
  }

  static Optional<ParameterType> typeOf(String name) {
    return SweepParameter.fromConfigName(name).map(SweepParameter::type);
  }
}
