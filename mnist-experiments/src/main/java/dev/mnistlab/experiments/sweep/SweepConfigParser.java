package dev.mnistlab.experiments.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mnistlab.experiments.internal.ConfigSchema;
import dev.mnistlab.experiments.trial.TrackingSettings;
import dev.mnistlab.tracking.WandbMode;
import dev.mnistlab.models.ModelZoo;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** Turns config text into a {@link SweepConfig}: JSON syntax, the schema, then the rules. */
final class SweepConfigParser {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final ConfigSchema SCHEMA = ConfigSchema.fromResource(SweepConfig.SCHEMA_RESOURCE);

  private final String source;
  private final String defaultName;
  private final List<ConfigViolation> problems = new ArrayList<>();

  /** The largest hyperband iteration count accepted (epochs). */
  private static final int MAX_ITER = 100_000;

  SweepConfigParser(String source, String defaultName) {
    this.source = source;
    this.defaultName = defaultName;
  }

  SweepConfig parse(String text) throws SweepConfigException {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw new SweepConfigException(source, List.of(new ConfigViolation("$",
          ConfigViolation.Kind.SYNTAX, Optional.empty(),
          where + "malformed JSON: " + e.getOriginalMessage(), Optional.empty())));
    }
    if (root == null || root.isMissingNode()) {
      throw new SweepConfigException(source, List.of(new ConfigViolation("$",
          ConfigViolation.Kind.TYPE, Optional.empty(), "a JSON object",
          Optional.of("an empty file"))));
    }
    List<ConfigViolation> violations = SCHEMA.violations(root).stream()
        .map(SweepConfigParser::violation).toList();
    if (!violations.isEmpty()) {
      throw new SweepConfigException(source, violations);
    }
    SweepSpec sweep = sweep(root.get("sweep"));
    RunnerSettings runner = runner(root.path("runner"), root.get("sweep"), sweep.name());
    if (!problems.isEmpty()) {
      throw new SweepConfigException(source, problems);
    }
    return new SweepConfig(source, sweep, runner, text);
  }

  private SweepSpec sweep(JsonNode node) {
    String name = node.path("name").asText(defaultName);
    SearchMethod method = SearchMethod.fromConfigName(node.get("method").asText());
    JsonNode metricNode = node.get("metric");
    SweepMetric metric = new SweepMetric(
        metricNode.get("name").asText(),
        Goal.valueOf(metricNode.get("goal").asText().toUpperCase(java.util.Locale.ROOT)),
        metricNode.has("target")
            ? OptionalDouble.of(metricNode.get("target").asDouble()) : OptionalDouble.empty());

    Map<SweepParameter, ParameterDistribution> parameters = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.get("parameters").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      SweepParameter parameter = SweepParameter.fromConfigName(entry.getKey()).orElseThrow();
      String path = "$.sweep.parameters." + entry.getKey();
      distribution(parameter, entry.getValue(), path).ifPresent(d -> {
        parameters.put(parameter, d);
        checkDomain(parameter, d, path);
        if (method == SearchMethod.GRID && d.gridValues().isEmpty()) {
          problems.add(ConfigViolation.rule(path, "grid search needs `value`, `values` or an int_uniform/q_uniform"
              + " range, got distribution " + d.distributionName()));
        }
      });
    }

    if (parameters.containsKey(SweepParameter.VARIANT)) {
      checkVariantKeys(node.get("parameters"), parameters.keySet());
    }

    OptionalInt runCap = node.has("run_cap")
        ? OptionalInt.of(intValue(node.get("run_cap"), "$.sweep.run_cap", SweepSpec.MAX_TRIALS))
        : OptionalInt.empty();
    if (method != SearchMethod.GRID && runCap.isEmpty()) {
      problems.add(new ConfigViolation("$.sweep", ConfigViolation.Kind.MISSING_KEY,
          Optional.of("run_cap"), "method " + method.configName() + " would otherwise run forever",
          Optional.empty()));
    }
    if (method == SearchMethod.GRID && parameters.values().stream()
        .allMatch(d -> d.gridValues().isPresent())) {
      BigInteger grid = BigInteger.ONE;
      for (ParameterDistribution d : parameters.values()) {
        grid = grid.multiply(BigInteger.valueOf(d.gridValues().orElseThrow().size()));
      }
      BigInteger planned = runCap.isPresent() ? grid.min(BigInteger.valueOf(runCap.getAsInt()))
          : grid;
      if (planned.compareTo(BigInteger.valueOf(SweepSpec.MAX_TRIALS)) > 0) {
        problems.add(ConfigViolation.rule("$.sweep.parameters", "the grid has " + grid
            + " trials, more than the limit of " + SweepSpec.MAX_TRIALS + " a sweep may run; set"
            + " $.sweep.run_cap to run part of it, or sweep fewer values"));
      }
    }
    int maxEpochs = maxEpochs(parameters);
    Optional<Hyperband> hyperband = node.has("early_terminate")
        ? hyperband(node.get("early_terminate"), maxEpochs) : Optional.empty();
    return new SweepSpec(name, node.path("description").asText(""), method, metric, parameters,
        hyperband, runCap, node);
  }

  private Optional<ParameterDistribution> distribution(
      SweepParameter parameter, JsonNode node, String path) {
    boolean hasValue = node.has("value");
    boolean hasValues = node.has("values");
    boolean hasRange = node.has("min") || node.has("max");
    int forms = (hasValue ? 1 : 0) + (hasValues ? 1 : 0) + (hasRange ? 1 : 0);
    if (forms != 1) {
      problems.add(ConfigViolation.rule(path, "expected exactly one of `value`, `values` or `min`+`max`, got "
          + (forms == 0 ? "none" : "several")));
      return Optional.empty();
    }
    String distribution = node.path("distribution").asText("");
    if (node.has("probabilities") && !hasValues) {
      problems.add(ConfigViolation.rule(path + ".probabilities", "only allowed together with `values`"));
      return Optional.empty();
    }
    if (hasValue) {
      if (!distribution.isEmpty() && !distribution.equals("constant")) {
        problems.add(ConfigViolation.rule(path + ".distribution", "expected constant for `value`, got " + distribution));
        return Optional.empty();
      }
      return Optional.of(new ParameterDistribution.Constant(
          value(parameter, node.get("value"), path + ".value")));
    }
    if (hasValues) {
      // W&B: plain `values` are "categorical"; with `probabilities` "categorical_w_probabilities"
      String expected = node.has("probabilities") ? "categorical_w_probabilities" : "categorical";
      if (!distribution.isEmpty() && !distribution.equals(expected)) {
        problems.add(ConfigViolation.rule(path + ".distribution", "expected " + expected + " for `values`"
            + (node.has("probabilities") ? " with `probabilities`" : "") + ", got " + distribution));
        return Optional.empty();
      }
      List<Object> values = new ArrayList<>();
      for (JsonNode v : node.get("values")) {
        Object value = value(parameter, v, path + ".values[" + values.size() + "]");
        if (values.contains(value)) {
          problems.add(ConfigViolation.rule(path + ".values", "duplicate value " + v));
          return Optional.empty();
        }
        values.add(value);
      }
      List<Double> probabilities = new ArrayList<>();
      if (node.has("probabilities")) {
        double sum = 0;
        for (JsonNode p : node.get("probabilities")) {
          probabilities.add(p.asDouble());
          sum += p.asDouble();
        }
        if (probabilities.size() != values.size()) {
          problems.add(ConfigViolation.rule(path + ".probabilities", "expected " + values.size()
              + " entries (one per value), got " + probabilities.size()));
          return Optional.empty();
        }
        if (Math.abs(sum - 1) > 1e-6) {
          problems.add(ConfigViolation.rule(path + ".probabilities", "expected weights summing to 1, got " + sum));
          return Optional.empty();
        }
      }
      return Optional.of(new ParameterDistribution.Categorical(values, probabilities));
    }
    if (!node.has("min") || !node.has("max")) {
      problems.add(ConfigViolation.rule(path, "expected both `min` and `max`, got only `"
          + (node.has("min") ? "min" : "max") + "`"));
      return Optional.empty();
    }
    double min = node.get("min").asDouble();
    double max = node.get("max").asDouble();
    if (min > max) {
      problems.add(ConfigViolation.rule(path, "expected min <= max, got min " + node.get("min") + " > max "
          + node.get("max")));
      return Optional.empty();
    }
    boolean integer = parameter.type() == ParameterType.INTEGER;
    if (distribution.isEmpty() && !integer && node.get("min").isIntegralNumber()
        && node.get("max").isIntegralNumber()) {
      // W&B fills int_uniform when both bounds are integers: say so rather than differ from it
      problems.add(ConfigViolation.rule(path, "min and max are both integers, which W&B reads as int_uniform; write"
          + " them as decimals (e.g. " + node.get("min") + ".0) or add \"distribution\": \"uniform\""));
      return Optional.empty();
    }
    if (distribution.isEmpty()) {
      distribution = integer ? "int_uniform" : "uniform";
    }
    if (node.has("q") && !distribution.equals("q_uniform")) {
      problems.add(ConfigViolation.rule(path + ".q", "only allowed with distribution q_uniform"));
      return Optional.empty();
    }
    switch (distribution) {
      case "int_uniform":
        return Optional.of(new ParameterDistribution.IntUniform((long) min, (long) max));
      case "uniform":
        return Optional.of(new ParameterDistribution.Uniform(min, max));
      case "q_uniform":
        return Optional.of(new ParameterDistribution.QUniform(
            min, max, node.path("q").asDouble(1.0), integer));
      case "log_uniform":
        return Optional.of(new ParameterDistribution.LogUniform(min, max));
      case "log_uniform_values":
        if (min <= 0) {
          problems.add(ConfigViolation.rule(path + ".min", "expected a number > 0 for log_uniform_values, got "
              + node.get("min")));
          return Optional.empty();
        }
        return Optional.of(new ParameterDistribution.LogUniformValues(min, max));
      default:
        problems.add(ConfigViolation.rule(path + ".distribution", "expected a distribution for `min`+`max`, got "
            + distribution));
        return Optional.empty();
    }
  }

  private Object value(SweepParameter parameter, JsonNode node, String path) {
    return switch (parameter.type()) {
      case INTEGER -> {
        if (!node.canConvertToLong()) {
          problems.add(ConfigViolation.value(path, "an integer in [" + Long.MIN_VALUE + ", "
              + Long.MAX_VALUE + "]", node));
        }
        yield node.asLong();
      }
      case NUMBER -> node.asDouble();
      case BOOLEAN -> node.asBoolean();
      case STRING -> {
        String name = node.asText();
        if (parameter == SweepParameter.MODEL && !ModelZoo.names().contains(name)) {
          problems.add(new ConfigViolation(path, ConfigViolation.Kind.UNKNOWN_NAME,
              Optional.of("model"), String.join(", ", ModelZoo.names()), Optional.of(name)));
        }
        yield name;
      }
      case OBJECT -> variant(node, path);
    };
  }

  /**
   * An int setting: out of int range (or of {@code [1, max]}) is a violation at {@code path}
   * rather than a silently wrapped number. The schema has checked it is an integer {@code >= 1}.
   */
  private int intValue(JsonNode node, String path, int max) {
    if (!node.canConvertToInt() || node.intValue() > max) {
      problems.add(ConfigViolation.value(path, "an integer in [1, " + max + "]", node));
      return 1;
    }
    return node.intValue();
  }

  /**
   * A variant value: an object of other parameters (the schema has checked its keys and their JSON
   * types), each value typed and checked against its parameter's domain.
   */
  private Map<String, Object> variant(JsonNode node, String path) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Optional<SweepParameter> parameter = SweepParameter.fromConfigName(entry.getKey())
          .filter(p -> p.type() != ParameterType.OBJECT);
      if (parameter.isEmpty()) {
        problems.add(new ConfigViolation(path + "." + entry.getKey(),
            ConfigViolation.Kind.UNKNOWN_KEY, Optional.empty(), variantKeys(), Optional.empty()));
        continue;
      }
      Object value = value(parameter.get(), entry.getValue(), path + "." + entry.getKey());
      parameter.get().domainViolation(value).ifPresent(expected -> problems.add(
          ConfigViolation.value(path + "." + entry.getKey(), expected, entry.getValue())));
      values.put(entry.getKey(), value);
    }
    return java.util.Collections.unmodifiableMap(values);
  }

  /** A variant object's key that is also a sweep parameter of its own is set in two places. */
  private void checkVariantKeys(JsonNode parameters, java.util.Set<SweepParameter> swept) {
    String path = "$.sweep.parameters." + SweepParameter.VARIANT.configName();
    JsonNode variant = parameters.get(SweepParameter.VARIANT.configName());
    Map<String, JsonNode> objects = new LinkedHashMap<>();
    if (variant.has("value")) {
      objects.put(path + ".value", variant.get("value"));
    }
    for (int i = 0; i < variant.path("values").size(); i++) {
      objects.put(path + ".values[" + i + "]", variant.get("values").get(i));
    }
    objects.forEach((objectPath, object) -> object.fieldNames().forEachRemaining(key -> {
      Optional<SweepParameter> p = SweepParameter.fromConfigName(key);
      if (p.isPresent() && swept.contains(p.get())) {
        problems.add(ConfigViolation.rule(objectPath + "." + key, "'" + key + "' is also swept by"
            + " $.sweep.parameters." + key + "; set each parameter in one place"));
      }
    }));
  }

  /** The keys a variant object may hold: every runner parameter but the variant itself. */
  private static String variantKeys() {
    return Arrays.stream(SweepParameter.values())
        .filter(p -> p.type() != ParameterType.OBJECT)
        .map(SweepParameter::configName).collect(Collectors.joining(", "));
  }

  private void checkDomain(SweepParameter parameter, ParameterDistribution d, String path) {
    for (Object value : d.extremes()) {
      parameter.domainViolation(value).ifPresent(expected ->
          problems.add(ConfigViolation.value(path, expected, value)));
    }
  }

  /** The most epochs a trial can train: from {@code epochs}, or the variants' epochs. */
  private static int maxEpochs(Map<SweepParameter, ParameterDistribution> parameters) {
    List<Object> values = new ArrayList<>();
    if (parameters.containsKey(SweepParameter.EPOCHS)) {
      values.addAll(parameters.get(SweepParameter.EPOCHS).extremes());
    } else if (parameters.containsKey(SweepParameter.VARIANT)) {
      for (Object variant : parameters.get(SweepParameter.VARIANT).extremes()) {
        Object epochs = ((Map<?, ?>) variant).get(SweepParameter.EPOCHS.configName());
        if (epochs == null) {
          return 100;
        }
        values.add(epochs);
      }
    }
    if (values.isEmpty()) {
      return 100;
    }
    long max = 1;
    for (Object value : values) {
      max = Math.max(max, ((Number) value).longValue());
    }
    return (int) Math.min(max, 100_000);
  }

  private Optional<Hyperband> hyperband(JsonNode node, int maxEpochs) {
    double eta = node.path("eta").asDouble(3);
    boolean strict = node.path("strict").asBoolean(true);
    if (node.has("min_iter") && node.has("max_iter")) {
      problems.add(ConfigViolation.rule("$.sweep.early_terminate", "expected either `min_iter` or `max_iter`+`s`, got both"));
      return Optional.empty();
    }
    if (node.has("min_iter")) {
      return Optional.of(Hyperband.fromMinIter(
          intValue(node.get("min_iter"), "$.sweep.early_terminate.min_iter", MAX_ITER), eta,
          strict, maxEpochs));
    }
    if (node.has("max_iter") && node.has("s")) {
      int maxIter = intValue(node.get("max_iter"), "$.sweep.early_terminate.max_iter", MAX_ITER);
      int s = intValue(node.get("s"), "$.sweep.early_terminate.s", MAX_ITER);
      if (maxIter / eta < 1) {
        problems.add(ConfigViolation.rule("$.sweep.early_terminate", "expected max_iter >= eta so there is a bracket, got"
            + " max_iter " + maxIter));
        return Optional.empty();
      }
      return Optional.of(Hyperband.fromMaxIter(maxIter, s, eta, strict));
    }
    problems.add(ConfigViolation.rule("$.sweep.early_terminate", "expected `min_iter`, or `max_iter` and `s`"));
    return Optional.empty();
  }

  private RunnerSettings runner(JsonNode node, JsonNode sweepNode, String sweepName) {
    JsonNode tracking = node.path("tracking");
    // W&B's own sweep.project / sweep.entity apply unless the runner's tracking settings say else
    boolean projectSet = tracking.has("project") || sweepNode.has("project");
    String project = tracking.path("project").asText(
        sweepNode.path("project").asText(TrackingSettings.DEFAULT_PROJECT));
    JsonNode entity = tracking.has("entity") ? tracking.get("entity") : sweepNode.get("entity");
    List<String> tags = new ArrayList<>();
    tracking.path("tags").forEach(t -> tags.add(t.asText()));
    TrackingSettings trackingSettings = new TrackingSettings(
        tracking.path("store").asText(TrackingSettings.DEFAULT_STORE),
        wandbMode(tracking.path("wandb").asText("auto")),
        project,
        entity != null ? Optional.of(entity.asText()) : Optional.empty(),
        tags,
        projectSet);
    return new RunnerSettings(
        node.path("dataset").asText("mnist"),
        node.has("data_dir") ? Optional.of(Path.of(node.get("data_dir").asText())) : Optional.empty(),
        node.has("validation_size") ? OptionalInt.of(intValue(node.get("validation_size"),
            "$.runner.validation_size", Integer.MAX_VALUE)) : OptionalInt.empty(),
        node.has("train_subset") ? OptionalInt.of(intValue(node.get("train_subset"),
            "$.runner.train_subset", Integer.MAX_VALUE)) : OptionalInt.empty(),
        node.path("seed").asLong(RunnerSettings.DEFAULT_SEED),
        node.path("parallel_trials").asInt(1),
        Path.of(node.path("output_dir").asText("results/" + sweepName)),
        node.path("save_best_model").asBoolean(true),
        trackingSettings,
        node.has("spark") ? Optional.of(node.get("spark").asText()) : Optional.empty());
  }

  /** The schema allows auto, online, offline and disabled; auto is no fixed mode. */
  private static Optional<WandbMode> wandbMode(String name) {
    return name.equals("auto") ? Optional.empty() : Optional.of(WandbMode.parse(name));
  }

  /** A schema violation as a config violation; an unknown key in a variant object goes in the path. */
  private static ConfigViolation violation(ConfigSchema.Violation v) {
    return switch (v.kind()) {
      case TYPE -> new ConfigViolation(v.path(), ConfigViolation.Kind.TYPE, Optional.empty(),
          v.expected(), v.got());
      case UNKNOWN_KEY -> isVariantObject(v.location())
          ? new ConfigViolation(v.path() + "." + v.key().orElse("?"),
              ConfigViolation.Kind.UNKNOWN_KEY, Optional.empty(), variantKeys(), Optional.empty())
          : new ConfigViolation(v.path(), ConfigViolation.Kind.UNKNOWN_KEY, v.key(),
              allowedKeys(v.location()), Optional.empty());
      case MISSING_KEY -> new ConfigViolation(v.path(), ConfigViolation.Kind.MISSING_KEY, v.key(),
          "", Optional.empty());
      case ENUM, RANGE -> new ConfigViolation(v.path(), ConfigViolation.Kind.VALUE,
          Optional.empty(), v.expected(), v.got());
      case OTHER -> new ConfigViolation(v.path(), ConfigViolation.Kind.RULE, Optional.empty(),
          v.expected(), v.got());
    };
  }

  /** {@code $.sweep.parameters.NAME.value} or {@code $.sweep.parameters.NAME.values[i]}. */
  private static boolean isVariantObject(List<Object> at) {
    return at.size() >= 4 && "sweep".equals(at.get(0)) && "parameters".equals(at.get(1))
        && (at.size() == 4 && "value".equals(at.get(3))
            || at.size() == 5 && "values".equals(at.get(3)) && at.get(4) instanceof Integer);
  }

  /** The keys allowed in the object at {@code at}, comma-separated, or empty when not known. */
  private static String allowedKeys(List<Object> at) {
    List<String> keys = at.stream().map(String::valueOf).toList();
    if (keys.equals(List.of("sweep", "parameters"))) {
      return Arrays.stream(SweepParameter.values()).map(SweepParameter::configName)
          .collect(Collectors.joining(", "));
    }
    if (keys.size() == 3 && keys.get(0).equals("sweep") && keys.get(1).equals("parameters")) {
      return "value, values, probabilities, min, max, q, distribution";
    }
    if (keys.isEmpty()) {
      return "$schema, sweep, runner";
    }
    if (keys.equals(List.of("sweep"))) {
      return "name, description, method, metric, parameters, early_terminate, run_cap, program,"
          + " command, project, entity";
    }
    if (keys.equals(List.of("runner"))) {
      return "dataset, data_dir, validation_size, train_subset, seed, parallel_trials, output_dir,"
          + " save_best_model, tracking, spark";
    }
    if (keys.equals(List.of("runner", "tracking"))) {
      return "store, wandb, project, entity, tags";
    }
    return "";
  }

}
