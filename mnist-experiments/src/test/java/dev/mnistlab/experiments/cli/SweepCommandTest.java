package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job for real: a tiny sweep that trains zoo networks on the shared MNIST subset. */
@Tag("slow")  // real trainings or child JVMs: left out by -DexcludedGroups=slow
class SweepCommandTest {

  @TempDir Path dir;

  private Path config(String parameters, String runnerExtra) throws Exception {
    Path config = dir.resolve("tiny.json");
    Files.writeString(config, """
        {"$schema": "./mnistlab-sweep.schema.json",
         "sweep": {"name": "tiny", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": %s},
         "runner": {"train_subset": 1000, "validation_size": 200, "seed": 5,
                    "tracking": {"wandb": "disabled"}%s}}
        """.formatted(parameters, runnerExtra));
    return config;
  }

  @Test
  void sweepTrainsEveryTrialTracksItAndWritesResultsModelAndReport() throws Exception {
    Path config = config("""
        {"model": {"value": "mlp"}, "epochs": {"value": 1}, "batch_size": {"values": [64, 128]}}
        """, "");
    Path out = dir.resolve("out");
    Path store = dir.resolve("runs.db");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir", TestPaths.mnist10k().toString(),
        "--out", out.toString(), "--store", store.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("trial 1/2 started", "trial 2/2 started")
        .containsPattern("trial 1/2 epoch 1/1 +loss \\d\\.\\d{4} +val_loss \\d\\.\\d{4} +val_acc 0\\.\\d{4}")
        .contains("report    " + out.resolve(SweepReport.FILE_NAME));
    assertThat(out.resolve(ResultsFiles.CSV)).exists();
    assertThat(out.resolve(SweepRunner.BEST_MODEL)).isNotEmptyFile();
    assertThat(out.resolve(SweepReport.FILE_NAME)).isNotEmptyFile();
    var result = ResultsFiles.read(out);
    assertThat(result.trials()).hasSize(2);
    // a real network trained on 800 images beats chance (10 %) by far
    assertThat(result.best().orElseThrow().metric().getAsDouble()).isGreaterThan(0.6);
    assertThat(result.best().orElseThrow().testMetrics()).containsKey("test_accuracy");
    try (LocalStore local = LocalStore.open(store.toString())) {
      var runs = local.runs(RunQuery.builder().group("tiny").build());
      assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.FINISHED));
      String best = result.best().orElseThrow().runId();
      assertThat(local.predictions(best)).hasSize(2000);
      assertThat(local.config(best)).containsKeys("learning_rate", "optimizer", "model");
      // every trial ran through the trial runner, which records the spec it ran
      for (var trial : result.trials()) {
        var spec = dev.mnistlab.experiments.trial.RunRecordCodec.read(
            local.provenance(trial.runId()).orElseThrow()).spec().orElseThrow();
        assertThat(spec.model()).isEqualTo("mlp");
        assertThat((long) spec.batchSize()).isEqualTo(trial.parameters().get("batch_size"));
        assertThat(spec.membership().orElseThrow().index()).isEqualTo(trial.index());
        assertThat(spec.membership().orElseThrow().sweep()).isEqualTo("tiny");
        assertThat(spec.data().contentChecksums()).isNotEmpty();
      }
    }

    // the same command again resumes: nothing is retrained
    CliRun again = CliRun.of("sweep", config.toString(), "--data-dir",
        TestPaths.mnist10k().toString(), "--out", out.toString(), "--store", store.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("trial 1/2 finished earlier, skipped",
        "trial 2/2 finished earlier, skipped").doesNotContain("epoch 1/1");
  }

  @Test
  void hyperbandStopsWeakTrialsOfARealTraining() throws Exception {
    // learning rates far apart: 1e-5 learns almost nothing in an epoch, 3e-3 learns a lot
    Path config = dir.resolve("hb.json");
    Files.writeString(config, """
        {"sweep": {"name": "hb", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 2},
                                  "batch_size": {"value": 50},
                                  "learning_rate": {"values": [0.003, 0.00001, 0.000011]}},
                   "early_terminate": {"type": "hyperband", "min_iter": 1, "eta": 3}},
         "runner": {"train_subset": 400, "validation_size": 100, "seed": 5,
                    "tracking": {"wandb": "disabled"}}}
        """);
    Path out = dir.resolve("hb-out");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir", TestPaths.mnist10k().toString(),
        "--out", out.toString(), "--store", dir.resolve("hb.db").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    var trials = ResultsFiles.read(out).trials();
    assertThat(trials.get(0).status().label()).isEqualTo("finished");
    assertThat(trials.get(0).epochs()).isEqualTo(2);
    assertThat(trials.subList(1, 3)).anySatisfy(t -> {
      assertThat(t.status().label()).isEqualTo("stopped-early");
      assertThat(t.epochs()).isEqualTo(1);
      // stopped cleanly by the trainer: the test evaluation still ran
      assertThat(t.testMetrics()).containsKeys("test_accuracy", "test_loss");
    });
    assertThat(run.out()).contains("stopped-early");
    // as W&B would show them: hyperband-stopped runs are finished, flagged in the summary, with
    // their test results
    try (LocalStore local = LocalStore.open(dir.resolve("hb.db").toString())) {
      var stopped = trials.stream().filter(t -> t.status().label().equals("stopped-early")).toList();
      assertThat(stopped).isNotEmpty();
      var runs = local.runs(RunQuery.builder().group("hb").build());
      for (var t : stopped) {
        assertThat(runs).filteredOn(r -> r.id().equals(t.runId())).singleElement()
            .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.FINISHED));
        assertThat(local.summary(t.runId()))
            .containsEntry(dev.mnistlab.experiments.trial.RunRecordCodec.SUMMARY_STOPPED_EARLY, true).containsKey("test_accuracy");
        assertThat(local.predictions(t.runId())).isNotEmpty();
      }
    }
  }

  @Test
  void parallelTrialsTrainRealNetworksSideBySide() throws Exception {
    Path config = config("""
        {"model": {"value": "mlp"}, "epochs": {"value": 1},
         "batch_size": {"values": [50, 100]}, "learning_rate": {"values": [0.001, 0.002]}}
        """, ", \"parallel_trials\": 2");
    Path out = dir.resolve("parallel-out");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir", TestPaths.mnist10k().toString(),
        "--out", out.toString(), "--store", dir.resolve("parallel.db").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    var trials = ResultsFiles.read(out).trials();
    assertThat(trials).hasSize(4).allSatisfy(t -> {
      assertThat(t.status().label()).isEqualTo("finished");
      assertThat(t.metric().getAsDouble()).isGreaterThan(0.3);
    });
  }

  @Test
  void unknownModelIsRejectedWithItsJsonPathBeforeAnyTraining() throws Exception {
    Path config = config("{\"model\": {\"values\": [\"mlp\", \"resnet\"]}}", "");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir",
        TestPaths.mnist10k().toString(), "--out", dir.resolve("o").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains(config + ": $.sweep.parameters.model.values[1]: unknown model"
        + " 'resnet' (expected one of:").contains("cnn-basic");
  }

  @Test
  void missingDataFolderIsAUserErrorSayingHowToSupplyData() throws Exception {
    Path config = config("{\"model\": {\"value\": \"mlp\"}}", "");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir",
        dir.resolve("no-data").toString(), "--out", dir.resolve("o").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("no-data").contains(FailureClassifier.DATA_DIR_HINT);
  }

  @Test
  void dryRunOfTheShippedFashionSweepResolvesFashionMnistOfflineWithoutADataFolder() {
    Path config = TestPaths.experiments().resolve("fashion.json");
    CliRun run = CliRun.of("sweep", "--dry-run", config.toString(), "--out",
        dir.resolve("o").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    // from Debian's installation (or a cache already holding it): the official data, all of it
    assertThat(run.out()).contains("valid grid sweep 'fashion'", "4 trial(s)")
        .containsPattern("data: Fashion-MNIST from \\S+: 60000 training, 10000 test images;"
            + " official yes, ");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void dryRunFailsOnAMissingDataFolderLikeTheRealRun() throws Exception {
    Path config = config("{\"model\": {\"value\": \"mlp\"}}", "");
    CliRun run = CliRun.of("sweep", "--dry-run", config.toString(), "--data-dir",
        dir.resolve("no-data").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("no-data");
  }

  @Test
  void variantsPairParametersInARealSweepWhoseTrialsRerunAndReportFlattened() throws Exception {
    Path config = config("""
        {"variant": {"values": [{"model": "mlp", "epochs": 1},
                                {"model": "mlp", "epochs": 2, "learning_rate": 0.003}]},
         "batch_size": {"value": 100}}
        """, "");
    Path out = dir.resolve("variant-out");
    Path store = dir.resolve("variant.db");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir", TestPaths.mnist10k().toString(),
        "--out", out.toString(), "--store", store.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("trial 1/2 epoch 1/1", "trial 2/2 epoch 2/2")
        .doesNotContain("trial 1/2 epoch 2");
    var trials = ResultsFiles.read(out).trials();
    assertThat(trials).extracting(t -> t.parameters()).containsExactly(
        java.util.Map.of("model", "mlp", "epochs", 1L, "batch_size", 100L),
        java.util.Map.of("model", "mlp", "epochs", 2L, "learning_rate", 0.003, "batch_size", 100L));
    String report = Files.readString(out.resolve(SweepReport.FILE_NAME));
    // the report's tables, charts and embedded data see the variant's keys as parameters
    assertThat(report).contains("with {model=mlp, epochs=2, learning_rate=0.003, batch_size=100}")
        .doesNotContain("[object Object]").doesNotContain("\"variant\"");

    // the second trial reproduced from its record: the same variant, so the same parameters
    var second = trials.get(1);
    Path rerunOut = dir.resolve("variant-rerun");
    CliRun rerun = CliRun.of("rerun", second.runId(), "--store", store.toString(), "--out",
        rerunOut.toString(), "--data-dir", TestPaths.mnist10k().toString());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    var again = ResultsFiles.read(rerunOut).trials();
    assertThat(again).singleElement().satisfies(t -> {
      assertThat(t.parameters()).isEqualTo(second.parameters());
      assertThat(t.epochs()).isEqualTo(2);
    });
    try (LocalStore local = LocalStore.open(store.toString())) {
      assertThat(local.config(again.get(0).runId()))
          .containsEntry("variant", java.util.Map.of("model", "mlp", "epochs", 2L,
              "learning_rate", 0.003))
          .containsEntry("epochs", 2L).containsEntry("learning_rate", 0.003);
    }
  }

  @Test
  void unknownModelInAVariantIsRejectedWithItsJsonPath() throws Exception {
    Path config = config("""
        {"variant": {"values": [{"model": "mlp", "epochs": 1}, {"model": "resnet", "epochs": 2}]}}
        """, "");
    CliRun run = CliRun.of("sweep", config.toString(), "--data-dir",
        TestPaths.mnist10k().toString(), "--out", dir.resolve("o").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains(config + ": $.sweep.parameters.variant.values[1].model:"
        + " unknown model 'resnet' (expected one of:");
  }

  @Test
  void dryRunRejectsWhatTheRunRejects() throws Exception {
    Path unknownModel = config("{\"model\": {\"values\": [\"mlp\", \"resnet\"]}}", "");
    CliRun run = CliRun.of("sweep", "--dry-run", unknownModel.toString(), "--data-dir",
        TestPaths.mnist10k().toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains(unknownModel + ": $.sweep.parameters.model.values[1]: unknown"
        + " model 'resnet'");
    Path infinite = config("{\"model\": {\"value\": \"mlp\"},"
        + " \"learning_rate\": {\"value\": 1e999}}", "");
    run = CliRun.of("sweep", "--dry-run", infinite.toString(), "--data-dir",
        TestPaths.mnist10k().toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("$.sweep.parameters.learning_rate: expected a finite"
        + " number > 0, got Infinity");
  }

  @Test
  void dryRunCountsEveryTrialOfALargeGridAndListsTheFirstTenThousand() throws Exception {
    StringBuilder values = new StringBuilder("[1");
    for (int i = 2; i <= 120; i++) {
      values.append(", ").append(i);
    }
    values.append("]");
    Path config = config("{\"model\": {\"value\": \"mlp\"}, \"epochs\": {\"values\": "
        + values + "}, \"batch_size\": {\"values\": " + values + "}}", "");
    CliRun run = CliRun.of("sweep", "--dry-run", config.toString(), "--data-dir",
        TestPaths.mnist10k().toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("trial 10000 ").doesNotContain("trial 10001 ")
        .contains("  ... and 4400 more", "14400 trial(s)");
  }
}
