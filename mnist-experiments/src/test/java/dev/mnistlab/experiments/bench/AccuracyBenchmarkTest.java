package dev.mnistlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.data.testing.SharedData;
import dev.mnistlab.experiments.cli.MnistlabCommand;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.TrainingRecipe;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accuracy table is made the way users train: for the same model, the benchmark's run and a
 * plain {@code mnistlab train} run record the same resolved trainer configuration — the model's
 * recipe, schedule and augmentation included — on a small sample of real digits.
 */
class AccuracyBenchmarkTest {
  /** Small enough for seconds, and the same for both paths. */
  private static final List<String> SMALL = List.of("--epochs", "1", "--train-subset", "256",
      "--validation-size", "64");

  @TempDir Path dir;

  @Test
  void theBenchmarkTrainsEachModelWithTheConfigurationTrainGivesIt() throws Exception {
    String data = SharedData.mnist10k().toString();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String[] benchmarkArgs = concat(List.of(data, dir.resolve("bench").toString(), "mlp,cnn-deep",
        "--"), SMALL);
    int exit = AccuracyBenchmark.run(benchmarkArgs,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(exit).isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("RESULT model=mlp ").contains("RESULT model=cnn-deep ");

    for (String model : List.of("mlp", "cnn-deep")) {
      Path out = dir.resolve("train-" + model);
      int trained = MnistlabCommand.newCommandLine().execute(concat(List.of("train", "--model",
          model, "--data-dir", data, "--out", out.toString(), "--store",
          dir.resolve("train.db").toString()), SMALL));
      assertThat(trained).isZero();
      Map<String, Object> byTrain = onlyRunConfig(dir.resolve("train.db"), model);
      Map<String, Object> byBenchmark = onlyRunConfig(dir.resolve("bench/runs.db"), model);
      assertThat(byBenchmark).as(model).isEqualTo(byTrain);
      // and that configuration is the model's own recipe (the override aside)
      TrainingRecipe recipe = ModelZoo.get(model).recipe();
      assertThat(byTrain).containsEntry(Hyperparameters.LR_SCHEDULE,
              recipe.hyperparameters().lrSchedule().toString())
          .containsEntry(Hyperparameters.AUGMENT, recipe.hyperparameters().augment())
          .containsEntry(TrainingRecipe.BATCH_SIZE, (long) recipe.batchSize());
    }
  }

  private static Map<String, Object> onlyRunConfig(Path store, String model) {
    try (LocalStore s = LocalStore.open(store)) {
      List<RunRecord> runs = s.runs(RunQuery.all()).stream()
          .filter(r -> model.equals(s.config(r.id()).get(ModelZoo.MODEL))).toList();
      assertThat(runs).as("runs of " + model + " in " + store).hasSize(1);
      Map<String, Object> config = new java.util.LinkedHashMap<>(s.config(runs.get(0).id()));
      // identifies the one-trial sweep, whose store and output folder differ between the two
      config.remove(RunRecordCodec.CONFIG_FINGERPRINT);
      return config;
    }
  }

  private static String[] concat(List<String> first, List<String> second) {
    return java.util.stream.Stream.concat(first.stream(), second.stream()).toArray(String[]::new);
  }
}
