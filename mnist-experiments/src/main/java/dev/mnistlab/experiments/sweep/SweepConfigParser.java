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

/** Turns config text into a {@link SweepConfig}: JSON syntax, the schema, then the rules. */
final class SweepConfigParser {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private static final ConfigSchema SCHEMA = ConfigSchema.fromResource(
      SweepConfig.SCHEMA_RESOURCE, SweepConfigParser::unknownKeyHint);

  private final String source;
  private final String defaultName;
  private final List<String> problems = new ArrayList<>();

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
      throw new SweepConfigException(source, List.of(where + "malformed JSON: " + e.getOriginalMessage()));
    }
    if (root == null || root.isMissingNode()) {
      throw new SweepConfigException(source, List.of("$: expected a JSON object, got an empty file"));
    }
    List<String> violations = SCHEMA.violations(root).stream()
        .map(SweepConfigParser::keyInPath).toList();
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
          problems.add(path + ": grid search needs `value`, `values` or an int_uniform/q_uniform"
              + " range, got distribution " + d.distributionName());
        }
      });
    }

    if (parameters.containsKey(SweepParameter.VARIANT)) {
      checkVariantKeys(node.get("parameters"), parameters.keySet());
    }

    OptionalInt runCap = node.has("run_cap") ? OptionalInt.of(node.get("run_cap").asInt())
        : OptionalInt.empty();
    if (method != SearchMethod.GRID && runCap.isEmpty()) {
      problems.add("$.sweep: missing required key 'run_cap' (method " + method.configName()
          + " would otherwise run forever)");
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
      problems.add(path + ": expected exactly one of `value`, `values` or `min`+`max`, got "
          + (forms == 0 ? "none" : "several"));
      return Optional.empty();
    }
    String distribution = node.path("distribution").asText("");
    if (node.has("probabilities") && !hasValues) {
      problems.add(path + ".probabilities: only allowed together with `values`");
      return Optional.empty();
    }
    if (hasValue) {
      if (!distribution.isEmpty() && !distribution.equals("constant")) {
        problems.add(path + ".distribution: expected constant for `value`, got " + distribution);
        return Optional.empty();
      }
      return Optional.of(new ParameterDistribution.Constant(
          value(parameter, node.get("value"), path + ".value")));
    }
    if (hasValues) {
      // W&B: plain `values` are "categorical"; with `probabilities` "categorical_w_probabilities"
      String expected = node.has("probabilities") ? "categorical_w_probabilities" : "categorical";
      if (!distribution.isEmpty() && !distribution.equals(expected)) {
        problems.add(path + ".distribution: expected " + expected + " for `values`"
            + (node.has("probabilities") ? " with `probabilities`" : "") + ", got " + distribution);
        return Optional.empty();
      }
      List<Object> values = new ArrayList<>();
      for (JsonNode v : node.get("values")) {
        Object value = value(parameter, v, path + ".values[" + values.size() + "]");
        if (values.contains(value)) {
          problems.add(path + ".values: duplicate value " + v);
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
          problems.add(path + ".probabilities: expected " + values.size()
              + " entries (one per value), got " + probabilities.size());
          return Optional.empty();
        }
        if (Math.abs(sum - 1) > 1e-6) {
          problems.add(path + ".probabilities: expected weights summing to 1, got " + sum);
          return Optional.empty();
        }
      }
      return Optional.of(new ParameterDistribution.Categorical(values, probabilities));
    }
    if (!node.has("min") || !node.has("max")) {
      problems.add(path + ": expected both `min` and `max`, got only `"
          + (node.has("min") ? "min" : "max") + "`");
      return Optional.empty();
    }
    double min = node.get("min").asDouble();
    double max = node.get("max").asDouble();
    if (min > max) {
      problems.add(path + ": expected min <= max, got min " + node.get("min") + " > max "
          + node.get("max"));
      return Optional.empty();
    }
    boolean integer = parameter.type() == ParameterType.INTEGER;
    if (distribution.isEmpty() && !integer && node.get("min").isIntegralNumber()
        && node.get("max").isIntegralNumber()) {
      // W&B fills int_uniform when both bounds are integers: say so rather than differ from it
      problems.add(path + ": min and max are both integers, which W&B reads as int_uniform; write"
          + " them as decimals (e.g. " + node.get("min") + ".0) or add \"distribution\": \"uniform\"");
      return Optional.empty();
    }
    if (distribution.isEmpty()) {
      distribution = integer ? "int_uniform" : "uniform";
    }
    if (node.has("q") && !distribution.equals("q_uniform")) {
      problems.add(path + ".q: only allowed with distribution q_uniform");
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
          problems.add(path + ".min: expected a number > 0 for log_uniform_values, got "
              + node.get("min"));
          return Optional.empty();
        }
        return Optional.of(new ParameterDistribution.LogUniformValues(min, max));
      default:
        problems.add(path + ".distribution: expected a distribution for `min`+`max`, got "
            + distribution);
        return Optional.empty();
    }
  }

  private Object value(SweepParameter parameter, JsonNode node, String path) {
    return switch (parameter.type()) {
      case INTEGER -> node.asLong();
      case NUMBER -> node.asDouble();
      case STRING -> node.asText();
      case OBJECT -> variant(node, path);
    };
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
        problems.add(path + "." + entry.getKey() + ": unknown key" + variantKeys());
        continue;
      }
      Object value = value(parameter.get(), entry.getValue(), path + "." + entry.getKey());
      parameter.get().domainViolation(value).ifPresent(expected -> problems.add(
          path + "." + entry.getKey() + ": expected " + expected + ", got " + entry.getValue()));
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
        problems.add(objectPath + "." + key + ": '" + key + "' is also swept by"
            + " $.sweep.parameters." + key + "; set each parameter in one place");
      }
    }));
  }

  /** The keys a variant object may hold: every runner parameter but the variant itself. */
  private static String variantKeys() {
    return ConfigSchema.allowedKeys(Arrays.stream(SweepParameter.values())
        .filter(p -> p.type() != ParameterType.OBJECT)
        .map(SweepParameter::configName).toArray(String[]::new));
  }

  private static final java.util.regex.Pattern UNKNOWN_VARIANT_KEY = java.util.regex.Pattern.compile(
      "^(\\$\\.sweep\\.parameters\\.[^.:]+\\.(?:value|values\\[\\d+\\])): unknown key '([^']*)'(.*)$");

  /**
   * Puts an unknown key inside a variant object into the path, e.g. {@code
   * $.sweep.parameters.variant.values[1].momentum: unknown key}, so the line points at it.
   */
  private static String keyInPath(String violation) {
    java.util.regex.Matcher m = UNKNOWN_VARIANT_KEY.matcher(violation);
    return m.matches() ? m.group(1) + "." + m.group(2) + ": unknown key" + m.group(3) : violation;
  }

  private void checkDomain(SweepParameter parameter, ParameterDistribution d, String path) {
    for (Object value : d.extremes()) {
      parameter.domainViolation(value).ifPresent(expected ->
          problems.add(path + ": expected " + expected + ", got " + value));
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
      problems.add("$.sweep.early_terminate: expected either `min_iter` or `max_iter`+`s`, got both");
      return Optional.empty();
    }
    if (node.has("min_iter")) {
      return Optional.of(Hyperband.fromMinIter(node.get("min_iter").asInt(), eta, strict, maxEpochs));
    }
    if (node.has("max_iter") && node.has("s")) {
      int maxIter = node.get("max_iter").asInt();
      int s = node.get("s").asInt();
      if (maxIter / eta < 1) {
        problems.add("$.sweep.early_terminate: expected max_iter >= eta so there is a bracket, got"
            + " max_iter " + maxIter);
        return Optional.empty();
      }
      return Optional.of(Hyperband.fromMaxIter(maxIter, s, eta, strict));
    }
    problems.add("$.sweep.early_terminate: expected `min_iter`, or `max_iter` and `s`");
    return Optional.empty();
  }

  private RunnerSettings runner(JsonNode node, JsonNode sweepNode, String sweepName) {
    JsonNode tracking = node.path("tracking");
    // W&B's own sweep.project / sweep.entity apply unless the runner's tracking settings say else
    String project = tracking.path("project").asText(sweepNode.path("project").asText("mnistlab"));
    JsonNode entity = tracking.has("entity") ? tracking.get("entity") : sweepNode.get("entity");
    List<String> tags = new ArrayList<>();
    tracking.path("tags").forEach(t -> tags.add(t.asText()));
    TrackingSettings trackingSettings = new TrackingSettings(
        tracking.path("store").asText(TrackingSettings.DEFAULT_STORE),
        wandbMode(tracking.path("wandb").asText("auto")),
        project,
        entity != null ? Optional.of(entity.asText()) : Optional.empty(),
        tags);
    return new RunnerSettings(
        node.path("dataset").asText("mnist"),
        node.has("data_dir") ? Optional.of(Path.of(node.get("data_dir").asText())) : Optional.empty(),
        node.has("validation_size") ? OptionalInt.of(node.get("validation_size").asInt())
            : OptionalInt.empty(),
        node.has("train_subset") ? OptionalInt.of(node.get("train_subset").asInt())
            : OptionalInt.empty(),
        node.path("seed").asLong(RunnerSettings.DEFAULT_SEED),
        node.path("parallel_trials").asInt(1),
        Path.of(node.path("output_dir").asText("results/" + sweepName)),
        node.path("save_best_model").asBoolean(true),
        trackingSettings);
  }

  /** The schema allows auto, online, offline and disabled; auto is no fixed mode. */
  private static Optional<WandbMode> wandbMode(String name) {
    return name.equals("auto") ? Optional.empty() : Optional.of(WandbMode.parse(name));
  }

  private static String unknownKeyHint(String path) {
    if (path.matches("\\$\\.sweep\\.parameters\\.[^.]+\\.(value|values\\[\\d+\\])")) {
      return variantKeys();
    }
    if (path.equals("$.sweep.parameters")) {
      return ConfigSchema.allowedKeys(Arrays.stream(SweepParameter.values())
          .map(SweepParameter::configName).toArray(String[]::new));
    }
    return switch (path) {
      case "$" -> ConfigSchema.allowedKeys("$schema", "sweep", "runner");
      case "$.sweep" -> ConfigSchema.allowedKeys("name", "description", "method", "metric",
          "parameters", "early_terminate", "run_cap", "program", "command", "project", "entity");
      case "$.runner" -> ConfigSchema.allowedKeys("dataset", "data_dir", "validation_size",
          "train_subset", "seed", "parallel_trials", "output_dir", "save_best_model", "tracking");
      case "$.runner.tracking" -> ConfigSchema.allowedKeys("store", "wandb", "project", "entity",
          "tags");
      default -> path.startsWith("$.sweep.parameters.")
          ? ConfigSchema.allowedKeys("value", "values", "probabilities", "min", "max", "q",
              "distribution")
          : "";
    };
  }
}
