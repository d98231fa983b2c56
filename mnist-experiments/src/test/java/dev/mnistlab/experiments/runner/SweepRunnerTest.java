package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.Trial;
import dev.mnistlab.experiments.trial.TrialExecutor;
import dev.mnistlab.experiments.trial.TrialStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepRunnerTest {

  private static MnistDataset mnist10k;

  @TempDir Path dir;

  @BeforeAll
  static void loadData() throws IOException {
    mnist10k = MnistDataset.load(TestPaths.mnist10k());
  }

  private SweepConfig config(String sweep, String runnerExtra) throws Exception {
    String json = "{\"sweep\": " + sweep + ", \"runner\": {\"train_subset\": 1000,"
        + " \"validation_size\": 200, \"seed\": 3, \"output_dir\": \""
        + dir.resolve("out") + "\", \"tracking\": {\"store\": \"" + dir.resolve("runs.db")
        + "\", \"wandb\": \"disabled\"}" + runnerExtra + "}}";
    return SweepConfig.parse(json, "test.json", "test-sweep");
  }

  private static final String GRID = """
      {"name": "grid-test", "method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
       "parameters": {"batch_size": {"values": [32, 64, 128]}, "epochs": {"value": 2}}}
      """;

  /** Accuracy grows with epochs and is best at batch size 64. */
  private static double byBatchSize(Trial t, int epoch) {
    int b = t.spec().batchSize();
    return 0.9 + 0.01 * epoch - 0.02 * Math.abs(Math.log(b / 64.0));
  }

  private SweepResult run(SweepConfig config, TrialExecutor executor) throws Exception {
    try (Tracker tracker = Trackers.open(config.runner().tracking(), Map.of())) {
      SweepRunner runner = SweepRunner.builder().config(config)
          .data(TrialData.split(mnist10k, config.runner().data())).executor(executor).tracker(tracker)
          .build();
      return runner.run();
    }
  }

  private List<RunRecord> storedRuns() {
    try (LocalStore store = LocalStore.open(dir.resolve("runs.db").toString())) {
      return store.runs(RunQuery.all());
    }
  }

  @Test
  void splitsTheDataOnceWithTheRequestedSubsetAndValidationSize() throws Exception {
    TrialData data = TrialData.split(mnist10k, config(GRID, "").runner().data());
    assertThat(data.train().count()).isEqualTo(800);
    assertThat(data.validation().count()).isEqualTo(200);
    assertThat(data.test().count()).isEqualTo(2000);
    assertThat(data.checksums()).containsEntry("t10k-labels-idx1-ubyte.gz",
        "b25ff6d33adc13a562ca2776f749bc3f08a9e60351a7fafd7d0ccbd673d1c180");
  }

  @Test
  void runsEveryTrialAsATrackedRunGroupedBySweepAndKeepsTheBestModel() throws Exception {
    ScriptedExecutor executor = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    SweepResult result = run(config(GRID, ""), executor);

    assertThat(result.trials()).hasSize(3)
        .allSatisfy(t -> assertThat(t.status()).isEqualTo(TrialStatus.FINISHED));
    assertThat(result.best()).get().satisfies(best -> {
      assertThat(best.parameters()).containsEntry("batch_size", 64L);
      assertThat(best.metric().getAsDouble()).isEqualTo(0.92, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(best.history()).hasSize(2);
    });
    List<RunRecord> runs = storedRuns();
    assertThat(runs).hasSize(3).allSatisfy(r -> {
      assertThat(r.group()).contains("grid-test");
      assertThat(r.state()).isEqualTo(RunState.FINISHED);
    });
    try (LocalStore store = LocalStore.open(dir.resolve("runs.db").toString())) {
      String bestRun = result.best().orElseThrow().runId();
      assertThat(store.config(bestRun)).containsEntry("sweep", "grid-test")
          .containsKey("sweep_fingerprint").containsKey("batch_size");
      assertThat(store.metric(bestRun, "val_accuracy")).hasSize(2);
      assertThat(store.provenance(bestRun)).get().satisfies(p -> {
        assertThat(p.extras()).containsKeys("dataset_checksums", "resolved_config", "seed");
        assertThat(p.javaVersion()).isNotBlank();
      });
    }
    Path out = dir.resolve("out");
    assertThat(Files.readString(out.resolve(SweepRunner.BEST_MODEL))).isEqualTo("model of trial 1");
    assertThat(Files.readString(out.resolve(SweepRunner.BEST_MODEL_INFO))).contains("\"trial\" : 2");
    assertThat(Files.readAllLines(out.resolve(ResultsFiles.CSV))).hasSize(4)
        .first().asString().startsWith("trial,run_id,status,val_accuracy,epochs_trained,seconds,batch_size,epochs");
    JsonNode json = new ObjectMapper().readTree(out.resolve(ResultsFiles.JSON).toFile());
    assertThat(json.path("best_trial").asInt()).isEqualTo(1);
    assertThat(json.path("trials")).hasSize(3);
    assertThat(out.resolve(".trials")).doesNotExist();
    assertThat(ResultsFiles.read(out).trials()).extracting(TrialRecord::runId)
        .containsExactlyElementsOf(result.trials().stream().map(TrialRecord::runId).toList());
  }

  @Test
  void aFailingTrialIsRecordedAsFailedAndTheSweepGoesOn() throws Exception {
    ScriptedExecutor executor = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize)
        .failingWhen(t -> t.spec().batchSize() == 64);
    SweepResult result = run(config(GRID, ""), executor);
    assertThat(result.trials()).extracting(TrialRecord::status)
        .containsExactly(TrialStatus.FINISHED, TrialStatus.FAILED, TrialStatus.FINISHED);
    assertThat(result.trials().get(1).error()).get().asString()
        .contains("scripted failure of trial 1");
    assertThat(result.best()).get().satisfies(b -> assertThat(b.index()).isNotEqualTo(1));
    assertThat(storedRuns()).filteredOn(r -> r.state() == RunState.FAILED).singleElement()
        .satisfies(r -> assertThat(r.error()).get().asString().contains("scripted failure"));
  }

  @Test
  void runningTheSameSweepAgainSkipsFinishedTrialsAndRerunsFailedOnes() throws Exception {
    run(config(GRID, ""), ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize)
        .failingWhen(t -> t.spec().membership().orElseThrow().index() == 2));
    ScriptedExecutor second = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    SweepResult result = run(config(GRID, ""), second);
    assertThat(second.executed).containsExactly(2);
    assertThat(result.trials()).extracting(TrialRecord::status).containsOnly(TrialStatus.FINISHED);
    assertThat(result.trials()).extracting(TrialRecord::resumed).containsExactly(true, true, false);
    assertThat(result.trials().get(0).history()).hasSize(2);
    assertThat(result.best()).get().satisfies(b -> assertThat(b.index()).isEqualTo(1));
  }

  @Test
  void recordsBothFileAndContentChecksumsInEachTrialsProvenance() throws Exception {
    SweepResult result = run(config(GRID, ""), ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize));
    try (LocalStore store = LocalStore.open(dir.resolve("runs.db").toString())) {
      assertThat(store.provenance(result.trials().get(0).runId())).get().satisfies(p -> {
        assertThat(p.extras().get("dataset_checksums")).isEqualTo(mnist10k.checksums());
        assertThat(p.extras().get("dataset_content_checksums"))
            .isEqualTo(mnist10k.contentChecksums());
      });
    }
    dev.mnistlab.experiments.report.DataSummary.write(
        TrialData.split(mnist10k, config(GRID, "").runner().data()), dir.resolve("summary"), 1);
    assertThat(new ObjectMapper().readTree(dir.resolve("summary/data.json").toFile())
        .path("content_checksums").path("t10k-labels-idx1-ubyte.gz").asText())
        .isEqualTo(mnist10k.contentChecksums().get("t10k-labels-idx1-ubyte.gz"));
  }

  @Test
  void theSameDataRepackagedResumesTheSweep() throws Exception {
    // the same IDX content, uncompressed: other file names and file checksums, same content
    Path plain = dir.resolve("plain");
    Files.createDirectories(plain);
    for (String name : mnist10k.checksums().keySet()) {
      try (var in = new java.util.zip.GZIPInputStream(
          Files.newInputStream(TestPaths.mnist10k().resolve(name)))) {
        Files.copy(in, plain.resolve(name.substring(0, name.length() - 3)));
      }
    }
    MnistDataset repackaged = MnistDataset.load(plain);
    assertThat(repackaged.checksums()).doesNotContainValue(
        mnist10k.checksums().get("t10k-labels-idx1-ubyte.gz"));
    SweepConfig config = config(GRID, "");
    assertThat(SweepFingerprint.of(config, TrialData.split(repackaged, config.runner().data())))
        .isEqualTo(SweepFingerprint.of(config, TrialData.split(mnist10k, config.runner().data())));

    run(config, ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize));
    ScriptedExecutor second = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    try (Tracker tracker = Trackers.open(config.runner().tracking(), Map.of())) {
      SweepResult again = SweepRunner.builder().config(config)
          .data(TrialData.split(repackaged, config.runner().data())).executor(second).tracker(tracker)
          .build().run();
      assertThat(again.trials()).extracting(TrialRecord::resumed).containsOnly(true);
    }
    assertThat(second.executed).isEmpty();
  }

  @Test
  void otherDataContentGivesAnotherFingerprint() throws Exception {
    SweepConfig config = config(GRID, "");
    TrialData data = TrialData.split(mnist10k, config.runner().data());
    Map<String, String> otherContent = new java.util.TreeMap<>(data.contentChecksums());
    otherContent.put("t10k-labels-idx1-ubyte.gz", "0".repeat(64));
    TrialData other = new TrialData(data.name(), data.classNames(), data.train(),
        data.validation(), data.test(), data.checksums(), otherContent);
    assertThat(SweepFingerprint.of(config, other))
        .isNotEqualTo(SweepFingerprint.of(config, data));
  }

  @Test
  void runsRecordedUnderTheFileChecksumFingerprintStillResume() throws Exception {
    SweepConfig config = config(GRID, "");
    TrialData data = TrialData.split(mnist10k, config.runner().data());
    String legacy = SweepFingerprint.legacy(config, data);
    assertThat(legacy).isNotEqualTo(SweepFingerprint.of(config, data));
    // trial 1 as an earlier version recorded it: fingerprint over the files' own checksums
    try (Tracker tracker = Trackers.open(config.runner().tracking(), Map.of())) {
      dev.mnistlab.tracking.Run old = tracker.start(dev.mnistlab.tracking.RunSpec.builder()
          .project(config.runner().tracking().project()).name("grid-test-t1").group("grid-test")
          .config(Map.of("batch_size", 32, "epochs", 2, dev.mnistlab.experiments.trial.RunRecordCodec.CONFIG_SWEEP, "grid-test",
              dev.mnistlab.experiments.trial.RunRecordCodec.CONFIG_TRIAL, 0, dev.mnistlab.experiments.trial.RunRecordCodec.CONFIG_FINGERPRINT, legacy))
          .build());
      old.finish(0);
      old.close();
    }
    ScriptedExecutor second = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    run(config, second);
    assertThat(second.executed).containsExactly(1, 2);
  }

  @Test
  void aChangedSweepDoesNotReuseEarlierRuns() throws Exception {
    run(config(GRID, ""), ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize));
    ScriptedExecutor second = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    run(config(GRID.replace("\"value\": 2", "\"value\": 3"), ""), second);
    assertThat(second.executed).containsExactly(0, 1, 2);
  }

  @Test
  void hyperbandStopsTrialsOutsideTheBestThirdAtABracket() throws Exception {
    String sweep = """
        {"name": "hb", "method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
         "parameters": {"batch_size": {"values": [64, 32, 128]}, "epochs": {"value": 4}},
         "early_terminate": {"type": "hyperband", "min_iter": 1, "eta": 3}}
        """;
    SweepResult result = run(config(sweep, ""),
        ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize));
    // brackets 1 and 3. Trial 0 (batch 64) is best and runs all 4 epochs. Trial 1 (batch 32) is
    // outside the best third of {0.910, 0.896} at epoch 1. Trial 2 (batch 128) ties the threshold
    // of {0.910, 0.896, 0.896} (rank floor(3/3) = 1) at epoch 1, so it goes on, and is cut at
    // bracket 3 where only trials 0 and 2 arrived.
    assertThat(result.trials()).extracting(TrialRecord::status).containsExactly(
        TrialStatus.FINISHED, TrialStatus.STOPPED_EARLY, TrialStatus.STOPPED_EARLY);
    assertThat(result.trials()).extracting(TrialRecord::epochs).containsExactly(4, 1, 3);
  }

  @Test
  void hyperbandNeverStopsATrialAtItsLastEpoch() throws Exception {
    String sweep = """
        {"name": "hb-last", "method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
         "parameters": {"batch_size": {"values": [64, 32]}, "epochs": {"value": 1}},
         "early_terminate": {"type": "hyperband", "min_iter": 1, "eta": 3}}
        """;
    SweepResult result = run(config(sweep, ""),
        ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize));
    assertThat(result.trials()).extracting(TrialRecord::status)
        .containsExactly(TrialStatus.FINISHED, TrialStatus.FINISHED);
    assertThat(result.trials().get(1).testMetrics()).containsKey("test_accuracy");
  }

  @Test
  void interruptingStopsAtTheEpochBoundaryMarksTheRunInterruptedAndResumes() throws Exception {
    SweepConfig config = config(GRID, "");
    SweepRunner[] holder = new SweepRunner[1];
    ScriptedExecutor interrupting = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize)
        .onEpoch(t -> {
          if (t.spec().membership().orElseThrow().index() == 1) {
            holder[0].interrupt();
          }
        });
    SweepResult result;
    try (Tracker tracker = Trackers.open(config.runner().tracking(), Map.of())) {
      holder[0] = SweepRunner.builder().config(config)
          .data(TrialData.split(mnist10k, config.runner().data())).executor(interrupting)
          .tracker(tracker).build();
      result = holder[0].run();
    }
    assertThat(result.interrupted()).isTrue();
    assertThat(result.trials()).extracting(TrialRecord::status)
        .containsExactly(TrialStatus.FINISHED, TrialStatus.INTERRUPTED);
    assertThat(interrupting.executed).containsExactly(0, 1);
    assertThat(storedRuns()).extracting(RunRecord::state)
        .containsExactlyInAnyOrder(RunState.FINISHED, RunState.INTERRUPTED);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
    assertThat(json.path("interrupted").asBoolean()).isTrue();

    ScriptedExecutor resumed = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    SweepResult again = run(config, resumed);
    assertThat(resumed.executed).containsExactly(1, 2);
    assertThat(again.interrupted()).isFalse();
    assertThat(again.trials()).extracting(TrialRecord::status).containsOnly(TrialStatus.FINISHED);
  }

  @Test
  void interruptingARealTrainingStopsAfterTheEpochAndStillRecordsItsTestMetrics() throws Exception {
    SweepConfig config = config("""
        {"name": "zoo-interrupt", "method": "grid",
         "metric": {"name": "val_accuracy", "goal": "maximize"},
         "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 3},
                        "batch_size": {"value": 100}}}
        """, "");
    SweepRunner[] holder = new SweepRunner[1];
    SweepListener ctrlC = new SweepListener() {
      @Override
      public void epochFinished(dev.mnistlab.experiments.sweep.TrialParameters parameters,
          dev.mnistlab.tracking.dl4j.EpochMetrics metrics) {
        holder[0].interrupt();
      }
    };
    SweepResult result;
    try (Tracker tracker = Trackers.open(config.runner().tracking(), Map.of())) {
      holder[0] = SweepRunner.builder().config(config)
          .data(TrialData.split(mnist10k, config.runner().data()))
          .executor(dev.mnistlab.experiments.trial.TrialExecutor.zoo())
          .listener(ctrlC).tracker(tracker).build();
      result = holder[0].run();
    }
    assertThat(result.interrupted()).isTrue();
    TrialRecord trial = result.trials().get(0);
    assertThat(trial.status()).isEqualTo(TrialStatus.INTERRUPTED);
    assertThat(trial.epochs()).isEqualTo(1);
    assertThat(trial.error()).isEmpty();
    assertThat(trial.testMetrics()).containsKeys("test_accuracy", "test_loss");
    assertThat(storedRuns()).extracting(RunRecord::state).containsExactly(RunState.INTERRUPTED);
  }

  @Test
  void runsTrialsInParallelOnRequest() throws Exception {
    ScriptedExecutor executor = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize)
        .epochMillis(150);
    SweepResult result = run(config(GRID, ", \"parallel_trials\": 2"), executor);
    assertThat(result.trials()).hasSize(3)
        .allSatisfy(t -> assertThat(t.status()).isEqualTo(TrialStatus.FINISHED));
    assertThat(executor.maxConcurrent.get()).isEqualTo(2);
  }

  @Test
  void sequentialByDefault() throws Exception {
    ScriptedExecutor executor = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize)
        .epochMillis(20);
    run(config(GRID, ""), executor);
    assertThat(executor.maxConcurrent.get()).isEqualTo(1);
  }

  @Test
  void reachingTheMetricTargetEndsTheSweep() throws Exception {
    String sweep = GRID.replace("\"goal\": \"maximize\"}", "\"goal\": \"maximize\", \"target\": 0.85}");
    ScriptedExecutor executor = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    SweepResult result = run(config(sweep, ""), executor);
    assertThat(executor.executed).containsExactly(0);
    assertThat(result.trials()).hasSize(1);
  }

  @Test
  void bayesSearchUsesTheMetricOfFinishedTrials() throws Exception {
    String sweep = """
        {"name": "bo", "method": "bayes", "run_cap": 8,
         "metric": {"name": "val_accuracy", "goal": "maximize"},
         "parameters": {"batch_size": {"min": 16, "max": 256}, "epochs": {"value": 1}}}
        """;
    SweepResult result = run(config(sweep, ""),
        ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize));
    assertThat(result.trials()).hasSize(8);
    assertThat(result.best().orElseThrow().parameters().get("batch_size"))
        .satisfies(b -> assertThat(((Number) b).intValue()).isBetween(40, 100));
  }

  @Test
  void variantTrialsTrainWithTheVariantsParametersRecordBothFormsAndResume() throws Exception {
    String sweep = """
        {"name": "variants", "method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
         "parameters": {"variant": {"values": [{"batch_size": 32, "epochs": 1},
                                               {"batch_size": 64, "epochs": 3}]},
                        "learning_rate": {"value": 0.001}}}
        """;
    ScriptedExecutor executor = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    SweepResult result = run(config(sweep, ""), executor);

    assertThat(result.trials()).extracting(TrialRecord::parameters).containsExactly(
        Map.of("batch_size", 32L, "epochs", 1L, "learning_rate", 0.001),
        Map.of("batch_size", 64L, "epochs", 3L, "learning_rate", 0.001));
    assertThat(result.trials()).extracting(TrialRecord::epochs).containsExactly(1, 3);
    try (LocalStore store = LocalStore.open(dir.resolve("runs.db").toString())) {
      Map<String, Object> recorded = store.config(result.trials().get(1).runId());
      assertThat(recorded).containsEntry("batch_size", 64L).containsEntry("epochs", 3L)
          .containsEntry("variant", Map.of("batch_size", 64L, "epochs", 3L));
    }
    assertThat(Files.readAllLines(dir.resolve("out").resolve(ResultsFiles.CSV)).get(0))
        .contains("batch_size,epochs,learning_rate").doesNotContain("variant");

    ScriptedExecutor second = ScriptedExecutor.accuracyBy(SweepRunnerTest::byBatchSize);
    SweepResult again = run(config(sweep, ""), second);
    assertThat(second.executed).isEmpty();
    assertThat(again.trials()).extracting(TrialRecord::resumed).containsExactly(true, true);
    assertThat(again.trials()).extracting(TrialRecord::parameters)
        .containsExactlyElementsOf(result.trials().stream().map(TrialRecord::parameters).toList());
  }
}
