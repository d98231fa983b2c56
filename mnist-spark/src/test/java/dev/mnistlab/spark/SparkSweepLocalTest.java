package dev.mnistlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.runner.SweepListener;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.runner.Trackers;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real sweeps (real DL4J training, real stores) with their trials as tasks of Spark local[N]. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SparkSweepLocalTest {
  @TempDir Path dir;

  private List<RunRecord> runs(String store, String sweep) {
    try (LocalStore s = LocalStore.open(store)) {
      return s.runs(RunQuery.builder().group(sweep).build());
    }
  }

  @Test
  void everyTrialRunsAsASparkTaskAndItsRunIsImportedOnceIntoTheSqliteStore() throws Exception {
    String store = dir.resolve("runs.db").toString();
    SweepConfig config = SparkSweeps.grid("local-four", "local[2]", store, dir.resolve("out"), 1,
        "0.003, 0.002, 0.001, 0.0005", "");
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Integer> epochs = new java.util.concurrent.CopyOnWriteArrayList<>();
    SweepResult result = SparkSweeps.run(config, Map.of(), new SweepListener() {
      @Override
      public void epochFinished(TrialParameters parameters, EpochMetrics metrics) {
        epochs.add(parameters.index());
        threads.add(Thread.currentThread().getName());
      }
    });

    assertThat(result.trials()).hasSize(4).allSatisfy(t -> {
      assertThat(t.status()).isEqualTo(TrialStatus.FINISHED);
      assertThat(t.metric()).isPresent();
      assertThat(t.testMetrics()).containsKey("test_accuracy");
    });
    // each trial's epoch reached the driver's sweep over the control channel
    assertThat(epochs).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(threads).allMatch(n -> n.startsWith("mnistlab-spark-channel"));
    List<RunRecord> recorded = runs(store, "local-four");
    assertThat(recorded).hasSize(4).allSatisfy(r -> {
      assertThat(r.state()).isEqualTo(RunState.FINISHED);
      // the epoch, then the trial's media row
      assertThat(r.historyLines()).isEqualTo(2);
    });
    assertThat(recorded).extracting(RunRecord::id)
        .containsExactlyInAnyOrderElementsOf(result.trials().stream().map(TrialRecord::runId).toList());
    try (LocalStore s = LocalStore.open(store)) {
      for (RunRecord r : recorded) {
        assertThat(s.summary(r.id())).containsKey("test_accuracy");
        assertThat(s.predictions(r.id())).isNotEmpty();
        assertThat(s.provenance(r.id())).isPresent();
      }
    }
    assertThat(dir.resolve("out").resolve(SweepRunner.BEST_MODEL)).isNotEmptyFile();
    assertThat(dir.resolve("out").resolve("results.json")).isNotEmptyFile();

    // resumed: nothing runs again, nothing is imported twice
    SweepResult again = SparkSweeps.run(config, Map.of(), SweepListener.NONE);
    assertThat(again.trials()).hasSize(4).allSatisfy(t -> assertThat(t.resumed()).isTrue());
    assertThat(runs(store, "local-four")).hasSize(4);
  }

  @Test
  void dataIsRebuiltOncePerExecutorNotPerTrial() throws Exception {
    int before = dev.mnistlab.spark.internal.SharedDataProbe.rebuilds();
    // another split than the other tests' so this sweep's data is new to this JVM
    SweepConfig config = SparkSweeps.grid("local-data", "local[2]",
        dir.resolve("runs.db").toString(), dir.resolve("out"), 1, "0.003, 0.002, 0.001", "", 650);
    SweepResult result = SparkSweeps.run(config, Map.of(), SweepListener.NONE);
    assertThat(result.trials()).hasSize(3);
    // local mode: one executor, the driver's JVM
    assertThat(dev.mnistlab.spark.internal.SharedDataProbe.rebuilds() - before).isEqualTo(1);
  }

  @Test
  void hyperbandOnTheDriverStopsAWeakTrialRunningOnSpark() throws Exception {
    // as SweepCommandTest's local hyperband test: 1e-5 learns almost nothing in an epoch; local[1]
    // keeps the trials in order, so the weak ones are judged against the strong one
    String store = dir.resolve("hb.db").toString();
    SweepConfig config = SparkSweeps.grid("local-hb", "local[1]", store, dir.resolve("hb"), 2,
        "0.003, 0.00001, 0.000011",
        ", \"early_terminate\": {\"type\": \"hyperband\", \"min_iter\": 1, \"eta\": 3}");
    SweepResult result = SparkSweeps.run(config, Map.of(), SweepListener.NONE);
    assertThat(result.trials().get(0).status()).isEqualTo(TrialStatus.FINISHED);
    assertThat(result.trials().subList(1, 3)).anySatisfy(t -> {
      assertThat(t.status()).isEqualTo(TrialStatus.STOPPED_EARLY);
      assertThat(t.history()).hasSize(1);
      assertThat(t.testMetrics()).containsKey("test_accuracy");
    });
  }

  @Test
  void ctrlCCancelsTheJobsMarksTheRunningTrialsInterruptedAndResumeRunsThemAgain()
      throws Exception {
    String store = dir.resolve("runs.db").toString();
    SweepConfig config = SparkSweeps.grid("local-stop", "local[2]", store, dir.resolve("out"),
        30, "0.003, 0.002", "");
    CountDownLatch firstEpoch = new CountDownLatch(1);
    SweepListener listener = new SweepListener() {
      @Override
      public void epochFinished(TrialParameters parameters, EpochMetrics metrics) {
        firstEpoch.countDown();
      }
    };
    SweepResult result;
    try (Tracker tracker = Trackers.open(config.runner().tracking(), Map.of(), false)) {
      SweepRunner runner = SparkSweeps.runner(config, tracker, listener);
      var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
      Future<SweepResult> sweep = pool.submit(runner::run);
      assertThat(firstEpoch.await(3, TimeUnit.MINUTES)).isTrue();
      long stopped = System.nanoTime();
      runner.interrupt();
      result = sweep.get(2, TimeUnit.MINUTES);
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stopped)).isLessThan(60);
      pool.shutdown();
    }
    assertThat(result.interrupted()).isTrue();
    assertThat(result.trials()).isNotEmpty().allSatisfy(t ->
        assertThat(t.status()).isEqualTo(TrialStatus.INTERRUPTED));
    assertThat(runs(store, "local-stop")).isNotEmpty().allSatisfy(r ->
        assertThat(r.state()).isEqualTo(RunState.INTERRUPTED));

    // resume: the interrupted trials are trained again (a short version of the same sweep would
    // have another fingerprint, so only check that nothing is skipped as finished)
    try (LocalStore s = LocalStore.open(store)) {
      assertThat(s.runs(RunQuery.builder().group("local-stop").state(RunState.FINISHED).build()))
          .isEmpty();
    }
    assertThat(Files.exists(dir.resolve("out").resolve("results.json"))).isTrue();
  }

  @Test
  void tasksUploadToWandbAsRunsOfTheSweepGroup() throws Exception {
    try (dev.mnistlab.tracking.testing.WandbStandIn wandb =
        new dev.mnistlab.tracking.testing.WandbStandIn()) {
      SweepConfig config = SparkSweeps.grid("local-wandb", "local[2]",
          dir.resolve("runs.db").toString(), dir.resolve("out"), 1, "0.003, 0.002", "", 700,
          "auto");
      long started = System.nanoTime();
      SweepResult result = SparkSweeps.run(config, Map.of("WANDB_API_KEY",
          dev.mnistlab.tracking.testing.WandbStandIn.KEY, "WANDB_BASE_URL", wandb.baseUrl(),
          "WANDB__FILE_STREAM_TRANSMIT_INTERVAL", "0.2"), SweepListener.NONE);
      assertThat(result.trials()).hasSize(2).allSatisfy(t ->
          assertThat(t.status()).isEqualTo(TrialStatus.FINISHED));
      for (TrialRecord t : result.trials()) {
        assertThat(wandb.run("mnistlab", t.runId())).isNotNull()
            .satisfies(r -> assertThat(r.group).isEqualTo("local-wandb"));
      }
      // the media files too were uploaded well within the close timeout
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(45);
    }
  }
}
