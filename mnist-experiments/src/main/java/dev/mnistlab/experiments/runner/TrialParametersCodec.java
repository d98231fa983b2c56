package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.ParameterType;
import dev.mnistlab.experiments.sweep.SweepParameter;
import dev.mnistlab.experiments.sweep.TrialParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads trial parameters back from a run's recorded config (values may come back as any number). */
final class TrialParametersCodec {
  private TrialParametersCodec() {}

  static TrialParameters fromConfig(int index, Map<String, Object> config,
      Iterable<SweepParameter> swept) {
    Map<SweepParameter, Object> values = new LinkedHashMap<>();
    for (SweepParameter p : swept) {
      Object v = config.get(p.configName());
      if (v == null) {
        continue;
      }
      values.put(p, switch (p.type()) {
        case INTEGER -> v instanceof Number n ? (Object) n.longValue() : (Object) Long.parseLong(v.toString());
        case NUMBER -> v instanceof Number n ? (Object) n.doubleValue() : (Object) Double.parseDouble(v.toString());
        case STRING -> v.toString();
      });
    }
    return new TrialParameters(index, values);
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
