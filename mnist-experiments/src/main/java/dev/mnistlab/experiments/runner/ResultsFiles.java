package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrialStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mnistlab.data.io.AtomicFiles;
import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.SweepMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The result files of a sweep in its output folder: {@value #JSON} (everything, read back by the
 * report) and {@value #CSV} (one row per trial, for spreadsheets). Both are written atomically, so
 * an interrupted sweep leaves the previous complete version.
 */
public final class ResultsFiles {
  /** The JSON results file name. */
  public static final String JSON = "results.json";
  /** The CSV results file name. */
  public static final String CSV = "results.csv";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ResultsFiles() {}

  /** Writes both files into {@code result.outputDir()}. */
  public static void write(SweepResult result) throws IOException {
    Files.createDirectories(result.outputDir());
    AtomicFiles.writeString(result.outputDir().resolve(JSON),
        MAPPER.writeValueAsString(toJson(result)));
    AtomicFiles.writeString(result.outputDir().resolve(CSV), toCsv(result));
  }

  /**
   * Reads a sweep's results back from its output folder.
   *
   * @throws NoSuchFileException when the folder has no {@value #JSON}
   */
  public static SweepResult read(Path outputDir) throws IOException {
    Path file = outputDir.resolve(JSON);
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "not a sweep output folder (no " + JSON + "); run 'mnistlab sweep' first");
    }
    JsonNode root = MAPPER.readTree(file.toFile());
    SweepMetric metric = new SweepMetric(root.path("metric").path("name").asText(),
        Goal.valueOf(root.path("metric").path("goal").asText("maximize").toUpperCase(Locale.ROOT)),
        OptionalDouble.empty());
    List<TrialRecord> trials = new ArrayList<>();
    for (JsonNode t : root.path("trials")) {
      Map<String, Object> parameters = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = t.path("parameters").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        parameters.put(e.getKey(), v.isIntegralNumber() ? (Object) v.asLong()
            : v.isNumber() ? (Object) v.asDouble() : v.asText());
      }
      List<Map<String, Double>> history = new ArrayList<>();
      for (JsonNode epoch : t.path("history")) {
        history.add(numbers(epoch));
      }
      trials.add(new TrialRecord(t.path("index").asInt(), t.path("run_id").asText(), parameters,
          TrialStatus.valueOf(t.path("status").asText().toUpperCase(Locale.ROOT).replace('-', '_')),
          t.hasNonNull("metric") ? OptionalDouble.of(t.get("metric").asDouble())
              : OptionalDouble.empty(),
          history, numbers(t.path("test")), t.path("seconds").asDouble(),
          t.path("resumed").asBoolean(false),
          t.hasNonNull("error") ? Optional.of(t.get("error").asText()) : Optional.empty()));
    }
    return new SweepResult(root.path("sweep").asText(), metric, trials, outputDir,
        root.path("store").asText(), root.path("interrupted").asBoolean(false));
  }

  private static Map<String, Double> numbers(JsonNode node) {
    Map<String, Double> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asDouble()));
    return map;
  }

  private static Map<String, Object> toJson(SweepResult result) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("sweep", result.sweepName());
    root.put("metric", Map.of("name", result.metric().name(),
        "goal", result.metric().goal().configName()));
    root.put("store", result.store());
    root.put("interrupted", result.interrupted());
    root.put("best_trial", result.best().map(TrialRecord::index).orElse(null));
    List<Map<String, Object>> trials = new ArrayList<>();
    for (TrialRecord t : result.trials()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", t.index());
      m.put("run_id", t.runId());
      m.put("status", t.status().label());
      m.put("metric", t.metric().isPresent() ? t.metric().getAsDouble() : null);
      m.put("epochs_trained", t.epochs());
      m.put("seconds", t.seconds());
      m.put("resumed", t.resumed());
      m.put("parameters", t.parameters());
      m.put("test", t.testMetrics());
      m.put("history", t.history());
      m.put("error", t.error().orElse(null));
      trials.add(m);
    }
    root.put("trials", trials);
    return root;
  }

  private static String toCsv(SweepResult result) {
    Set<String> parameterNames = new LinkedHashSet<>();
    Set<String> testNames = new LinkedHashSet<>();
    for (TrialRecord t : result.trials()) {
      parameterNames.addAll(t.parameters().keySet());
      testNames.addAll(t.testMetrics().keySet());
    }
    StringBuilder csv = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("trial", "run_id", "status",
        result.metric().name(), "epochs_trained", "seconds"));
    header.addAll(parameterNames);
    header.addAll(testNames);
    header.add("error");
    csv.append(String.join(",", header)).append('\n');
    for (TrialRecord t : result.trials()) {
      List<String> row = new ArrayList<>();
      row.add(Integer.toString(t.index() + 1));
      row.add(t.runId());
      row.add(t.status().label());
      row.add(t.metric().isPresent() ? Double.toString(t.metric().getAsDouble()) : "");
      row.add(Integer.toString(t.epochs()));
      row.add(String.format(Locale.ROOT, "%.1f", t.seconds()));
      for (String p : parameterNames) {
        Object v = t.parameters().get(p);
        row.add(v == null ? "" : v.toString());
      }
      for (String m : testNames) {
        Double v = t.testMetrics().get(m);
        row.add(v == null ? "" : v.toString());
      }
      row.add(t.error().orElse(""));
      csv.append(String.join(",", row.stream().map(ResultsFiles::csvField).toList())).append('\n');
    }
    return csv.toString();
  }

  private static String csvField(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
    return s;
  }
}
