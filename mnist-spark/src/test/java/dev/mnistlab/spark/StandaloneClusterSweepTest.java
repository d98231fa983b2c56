package dev.mnistlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.runner.SweepListener;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.spark.testing.StandaloneCluster;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import dev.mnistlab.tracking.testing.PostgresServer;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A real Spark standalone cluster on loopback (a master and two one-core workers, child JVMs from
 * this class path): 4-trial sweeps with a PostgreSQL store and with a SQLite store, each losing a
 * worker in the middle, every trial recorded exactly once (the lost attempt's run crashed and kept
 * out of the results), W&amp;B uploads from the executors, and no secret in the application's
 * environment (REST API), event log or executor command lines; then one epoch of DL4J's
 * data-parallel training on the cluster. Nothing is left running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StandaloneClusterSweepTest {
  private static final String PG_PASSWORD = "pg-s3cret-XYZ";
  private static final int EPOCHS = 2;

  private StandaloneCluster cluster;
  private PostgresServer postgres;
  private WandbStandIn wandb;
  private Path dir;
  private Path eventLogs;
  private int uiPort;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startCluster() throws Exception {
    dir = Files.createTempDirectory("mnistlab-cluster-test-");
    eventLogs = Files.createDirectories(dir.resolve("events"));
    // the server and the cluster start side by side (each mostly waits for its processes)
    var pg = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return PostgresServer.start();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    wandb = new WandbStandIn();
    try {
      cluster = StandaloneCluster.start(2);
    } finally {
      postgres = pg.get(2, TimeUnit.MINUTES);
    }
    try (ServerSocket s = new ServerSocket(0)) {
      uiPort = s.getLocalPort();
    }
    // what spark-submit --conf would set: executors take this JVM's class path (same machine)
    System.setProperty("spark.executor.extraClassPath", System.getProperty("java.class.path"));
    System.setProperty("spark.executor.extraJavaOptions",
        "-Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=3G");
    System.setProperty("spark.executor.memory", "1g");
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.ui.port", String.valueOf(uiPort));
    System.setProperty("spark.eventLog.enabled", "true");
    System.setProperty("spark.eventLog.dir", eventLogs.toUri().toString());
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (String p : List.of("spark.executor.extraClassPath", "spark.executor.extraJavaOptions",
        "spark.executor.memory", "spark.driver.host", "spark.ui.port", "spark.eventLog.enabled",
        "spark.eventLog.dir")) {
      System.clearProperty(p);
    }
    if (cluster != null) {
      cluster.close();
      assertThat(cluster.running()).as("processes left running").isEmpty();
    }
    if (wandb != null) {
      wandb.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** Kills one worker while two trials run, once, and looks at what Spark shows meanwhile. */
  private final class KillAWorker implements SweepListener {
    final Set<Integer> started = ConcurrentHashMap.newKeySet();
    final AtomicBoolean killed = new AtomicBoolean();
    volatile String environment = "";
    volatile List<String> executorCommandLines = List.of();
    volatile Throwable failure;

    @Override
    public void trialStarted(TrialParameters parameters, String runId, boolean skipped) {
      started.add(parameters.index());
    }

    @Override
    public void epochFinished(TrialParameters parameters, EpochMetrics metrics) {
      // called on the driver while the executor waits for the answer: the kill lands mid-trial
      if (started.size() >= 2 && killed.compareAndSet(false, true)) {
        try {
          environment = environmentOfTheRunningApplication();
          executorCommandLines = cluster.executorCommandLines();
          List<Process> alive = cluster.workers().stream().filter(Process::isAlive).toList();
          cluster.kill(alive.get(alive.size() - 1));
        } catch (Exception | AssertionError e) {
          failure = e;
        }
      }
    }
  }

  private String environmentOfTheRunningApplication() throws Exception {
    String apps = get("http://127.0.0.1:" + uiPort + "/api/v1/applications");
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(apps);
    assertThat(id.find()).as(apps).isTrue();
    return get("http://127.0.0.1:" + uiPort + "/api/v1/applications/" + id.group(1)
        + "/environment");
  }

  private String get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private Map<String, String> wandbEnvironment() {
    return Map.of("WANDB_API_KEY", WandbStandIn.KEY, "WANDB_BASE_URL", wandb.baseUrl(),
        "WANDB__FILE_STREAM_TRANSMIT_INTERVAL", "0.2");
  }

  private void assertEveryTrialRecordedOnceWithTheLostAttemptCrashed(SweepResult result,
      String store, String sweep) {
    assertThat(result.trials()).hasSize(4).allSatisfy(t ->
        assertThat(t.status()).isEqualTo(TrialStatus.FINISHED));
    List<String> trialRuns = result.trials().stream().map(TrialRecord::runId).toList();
    assertThat(trialRuns).doesNotHaveDuplicates();
    try (LocalStore s = LocalStore.open(store)) {
      List<RunRecord> runs = s.runs(RunQuery.builder().group(sweep).build());
      assertThat(runs).filteredOn(r -> r.state() == RunState.FINISHED).extracting(RunRecord::id)
          .containsExactlyInAnyOrderElementsOf(trialRuns);
      List<RunRecord> crashed = runs.stream().filter(r -> r.state() == RunState.CRASHED).toList();
      assertThat(crashed).as("the attempt lost with the worker").isNotEmpty().allSatisfy(r -> {
        assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("lost"));
        assertThat(trialRuns).doesNotContain(r.id());
      });
      assertThat(runs).hasSize(4 + crashed.size());
      for (String id : trialRuns) {
        // the epochs, then the trial's media row
        assertThat(s.run(id).orElseThrow().historyLines()).isEqualTo(EPOCHS + 1);
        assertThat(s.summary(id)).containsKey("test_accuracy");
      }
    }
  }

  private void assertNoSecretIn(String what, String text) {
    assertThat(text).as(what).doesNotContain(WandbStandIn.KEY).doesNotContain(PG_PASSWORD);
  }

  @Test
  @Order(1)
  void sweepWithAPostgresStoreSurvivesALostWorkerAndRecordsEveryTrialOnce() throws Exception {
    String store = postgres.createDatabase("cluster_sweep") + "&password=" + PG_PASSWORD;
    SweepConfig config = SparkSweeps.grid("cluster-pg", cluster.masterUrl(), store,
        dir.resolve("pg"), EPOCHS, "0.003, 0.002, 0.001, 0.0005", "", 500, "auto");
    KillAWorker killer = new KillAWorker();
    SweepResult result = SparkSweeps.run(config, wandbEnvironment(), killer);

    assertThat(killer.killed).isTrue();
    assertThat(killer.failure).isNull();
    assertEveryTrialRecordedOnceWithTheLostAttemptCrashed(result, store, "cluster-pg");
    // the executors uploaded to W&B, grouped by the sweep as a local sweep's runs are
    for (TrialRecord t : result.trials()) {
      WandbStandIn.RemoteRun remote = wandb.run("mnistlab", t.runId());
      assertThat(remote).as("W&B run " + t.runId()).isNotNull();
      assertThat(remote.group).isEqualTo("cluster-pg");
      assertThat(remote.history).hasSize(EPOCHS + 1);
    }
    // secrets: never in Spark's environment page, command lines or event log
    assertThat(killer.environment).contains("spark.redaction.regex").contains("spark.master");
    assertNoSecretIn("the application's environment (REST API)", killer.environment);
    assertThat(killer.executorCommandLines).hasSize(2);
    killer.executorCommandLines.forEach(c -> assertNoSecretIn("executor command line", c));
    try (Stream<Path> logs = Files.list(eventLogs)) {
      List<Path> files = logs.toList();
      assertThat(files).isNotEmpty();
      for (Path f : files) {
        assertNoSecretIn("event log " + f, Files.readString(f));
      }
    }
  }

  @Test
  @Order(2)
  void sweepWithASqliteStoreImportsEveryRunOnceDespiteALostWorker() throws Exception {
    cluster.addWorker();
    cluster.awaitAliveWorkers(2, Duration.ofSeconds(60));
    String store = dir.resolve("runs.db").toString();
    SweepConfig config = SparkSweeps.grid("cluster-sqlite", cluster.masterUrl(), store,
        dir.resolve("sqlite"), EPOCHS, "0.003, 0.002, 0.001, 0.0005", "", 500);
    KillAWorker killer = new KillAWorker();
    SweepResult result = SparkSweeps.run(config, Map.of(), killer);

    assertThat(killer.killed).isTrue();
    assertThat(killer.failure).isNull();
    assertEveryTrialRecordedOnceWithTheLostAttemptCrashed(result, store, "cluster-sqlite");
    assertThat(dir.resolve("sqlite").resolve("best-model.zip")).isNotEmptyFile();
  }

  @Test
  @Order(3)
  void oneEpochOfDataParallelTrainingRunsOnTheCluster() throws Exception {
    // the worker the SQLite sweep kept; the two partitions take turns on its core
    cluster.awaitAliveWorkers(1, Duration.ofSeconds(30));
    String store = dir.resolve("train.db").toString();
    SweepResult result = SparkSweeps.trainDataParallel(cluster.masterUrl(), 2, 1, store,
        dir.resolve("train"));
    TrialRecord trial = result.trials().get(0);
    assertThat(trial.status()).isEqualTo(TrialStatus.FINISHED);
    assertThat(trial.history()).hasSize(1);
    assertThat(trial.testMetrics().get("test_accuracy")).isGreaterThan(0.5);
    try (LocalStore s = LocalStore.open(store)) {
      assertThat(s.run(trial.runId()).orElseThrow().state()).isEqualTo(RunState.FINISHED);
    }
    assertThat(dir.resolve("train").resolve("model.zip")).isNotEmptyFile();
  }
}
