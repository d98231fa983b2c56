package dev.mnistlab.experiments.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.data.io.AtomicFiles;
import dev.mnistlab.experiments.sweep.SweepMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the best trial's model as {@value SweepRunner#BEST_MODEL} in the output folder, with what
 * it is in {@value SweepRunner#BEST_MODEL_INFO}; other trials' models are deleted.
 */
final class BestModelKeeper {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path outputDir;
  private final SweepMetric metric;
  private final boolean save;
  private Optional<Double> best = Optional.empty();

  BestModelKeeper(Path outputDir, SweepMetric metric, boolean save) {
    this.outputDir = outputDir;
    this.metric = metric;
    this.save = save;
  }

  /** Keeps {@code model} if {@code record} is the best so far, else deletes it. */
  synchronized void offer(TrialRecord record, Optional<Path> model) throws IOException {
    if (model.isEmpty() || !Files.exists(model.get()) || record.metric().isEmpty()) {
      return;
    }
    double value = record.metric().getAsDouble();
    boolean better = best.isEmpty() || metric.goal().isBetter(value, best.get());
    if (better && save) {
      Files.move(model.get(), outputDir.resolve(SweepRunner.BEST_MODEL),
          StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.makeReadable(outputDir.resolve(SweepRunner.BEST_MODEL));
      best = Optional.of(value);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("trial", record.index() + 1);
      info.put("run_id", record.runId());
      info.put(metric.name(), value);
      info.put("parameters", record.parameters());
      AtomicFiles.writeString(outputDir.resolve(SweepRunner.BEST_MODEL_INFO),
          MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(info));
    } else {
      Files.deleteIfExists(model.get());
    }
  }
}
