package dev.mnistlab.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.SweepParameter;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricPoint;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.RunRecord;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab rerun RUN_ID}: reproduces a sweep trial from its record — the sweep config kept
 * in the run's provenance, with the trial's parameters as constants, the same seed and split — and
 * compares the outcome with the original run.
 */
@Command(name = "rerun", mixinStandardHelpOptions = true,
    description = "Reproduce a recorded trial and compare its outcome with the original.")
final class RerunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to reproduce.")
  String runId;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Folder with the four IDX files (if the original data came from elsewhere).")
  Path dataDir;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: results/<sweep>-rerun-<run id>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    String sweepText;
    Map<String, Object> runConfig;
    Map<String, Object> originalChecksums;
    boolean contentCompared;
    String metricName;
    Double originalMetric;
    try (LocalStore local = store.openForReading()) {
      RunRecord run = local.run(runId).orElseThrow(() -> new FileNotFoundException(
          local.location() + ": no run with id '" + runId + "' (see 'mnistlab runs list')"));
      Provenance provenance = local.provenance(run.id()).orElseThrow(() ->
          new FileNotFoundException("run " + runId + " has no provenance record to rerun from"));
      Object text = provenance.extras().get("sweep_config");
      if (text == null) {
        throw new FileNotFoundException("run " + runId + " was not recorded by a mnistlab sweep"
            + " (no sweep config in its provenance)");
      }
      sweepText = text.toString();
      runConfig = local.config(run.id());
      // content checksums when recorded: the same data repackaged is not a difference
      contentCompared = provenance.extras().get("dataset_content_checksums") != null;
      originalChecksums = checksums(provenance.extras().get(
          contentCompared ? "dataset_content_checksums" : "dataset_checksums"));
      JsonNode original = new ObjectMapper().readTree(sweepText);
      metricName = original.path("sweep").path("metric").path("name").asText();
      List<MetricPoint> points = local.metric(run.id(), metricName);
      originalMetric = points.isEmpty() ? null : points.get(points.size() - 1).value();
    }
    SweepConfig config = rerunConfig(sweepText, runConfig);
    PrintWriter stdout = spec.commandLine().getOut();
    SweepExecution.Outcome outcome = SweepExecution.run(config, false,
        c -> new SweepProgress(stdout, c.sweep().metric(), 1, System.console() != null));
    SweepResult result = outcome.result();
    TrialRecord trial = result.trials().get(0);
    stdout.println();
    stdout.printf("original  run %s  %s %s%n", runId, metricName, Formats.metric(originalMetric));
    stdout.printf("rerun     run %s  %s %s%n", trial.runId(), metricName,
        trial.metric().isPresent() ? Formats.metric(trial.metric().getAsDouble()) : "-");
    if (originalMetric != null && trial.metric().isPresent()) {
      double difference = trial.metric().getAsDouble() - originalMetric;
      stdout.printf(Locale.ROOT, "%s%n", difference == 0 ? "identical"
          : String.format(Locale.ROOT, "differs by %+.6f", difference));
    }
    Map<String, Object> nowChecksums = checksums(
        new ObjectMapper().readTree(java.nio.file.Files.readString(
            result.outputDir().resolve("data.json")))
            .path(contentCompared ? "content_checksums" : "checksums"));
    if (!originalChecksums.isEmpty() && !originalChecksums.equals(nowChecksums)) {
      stdout.println("warning: the data differs from the original run's (checksums differ)");
    }
    stdout.printf("report    %s%n", outcome.report());
    stdout.flush();
    return ExitCodes.OK;
  }

  private SweepConfig rerunConfig(String sweepText, Map<String, Object> runConfig)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(sweepText);
    ObjectNode sweep = (ObjectNode) root.get("sweep");
    String name = runConfig.getOrDefault(SweepRunner.CONFIG_SWEEP, "sweep") + "-rerun";
    ObjectNode parameters = mapper.createObjectNode();
    for (SweepParameter p : SweepParameter.values()) {
      Object value = runConfig.get(p.configName());
      if (value != null && sweep.path("parameters").has(p.configName())) {
        parameters.set(p.configName(), mapper.createObjectNode().set("value",
            mapper.valueToTree(value)));
      }
    }
    sweep.set("parameters", parameters);
    sweep.put("method", "grid");
    sweep.put("name", name);
    sweep.remove("early_terminate");
    sweep.remove("run_cap");
    ObjectNode runner = root.has("runner") ? (ObjectNode) root.get("runner") : root.putObject("runner");
    runner.put("output_dir", (out != null ? out : Path.of("results", name + "-" + runId)).toString());
    runner.put("parallel_trials", 1);
    if (dataDir != null) {
      runner.put("data_dir", dataDir.toString());
    }
    ObjectNode tracking = runner.has("tracking") ? (ObjectNode) runner.get("tracking")
        : runner.putObject("tracking");
    tracking.put("store", store.location);
    return SweepConfig.parse(mapper.writeValueAsString(root), "run " + runId + " (recorded config)",
        name);
  }

  private static Map<String, Object> checksums(Object node) {
    if (node == null) {
      return Map.of();
    }
    JsonNode json = node instanceof JsonNode j ? j : new ObjectMapper().valueToTree(node);
    Map<String, Object> map = new java.util.TreeMap<>();
    json.fields().forEachRemaining(e -> map.put(e.getKey(), Objects.toString(e.getValue().asText())));
    return map;
  }
}
