package dev.mnistlab.experiments.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.testing.SharedData;
import dev.mnistlab.experiments.sweep.RunnerSettings;
import dev.mnistlab.experiments.trial.TrackingSettings;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.SweepAgent;
import dev.mnistlab.tracking.SweepNotFoundException;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.WandbMode;
import dev.mnistlab.tracking.WandbSettings;
import dev.mnistlab.tracking.testing.StandInSweeps;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a W&amp;B stand-in whose sweep hands out a scripted command queue: runs trained
 * under their ids with exactly their parameters, a stop mid-run, exit, a deleted sweep (404), a
 * parameter mnistlab cannot train, two agents sharing one queue, and giving up when runs keep
 * failing. Trials are scripted (no network trained), so each test takes about a second.
 */
@Timeout(60)
class AgentRunnerTest {
  private static final String PROJECT = "agents";
  private static final String ENTITY = WandbStandIn.DEFAULT_ENTITY;
  private static final String YAML = "method: bayes\nmetric:\n  name: val_accuracy\n"
      + "  goal: maximize\nparameters:\n  batch_size:\n    values: [32, 64]\n";
  private static TrialData data;

  @TempDir Path dir;
  private WandbStandIn wandb;
  private StandInSweeps.Sweep sweep;
  /** What the executor was asked to train, by run id. */
  private final Map<String, TrialSpec> trained = new ConcurrentHashMap<>();

  @BeforeAll
  static void loadData() throws Exception {
    data = TrialData.split(MnistDataset.load(SharedData.mnist10k()), settings(Path.of("x"),
        Path.of("y")).data());
  }

  @BeforeEach
  void startStandIn() throws Exception {
    wandb = new WandbStandIn();
    sweep = wandb.sweeps().create(ENTITY, PROJECT, YAML);
  }

  @AfterEach
  void closeStandIn() throws Exception {
    wandb.close();
  }

  private static RunnerSettings settings(Path store, Path out) {
    return new RunnerSettings("mnist", Optional.empty(), OptionalInt.of(200), OptionalInt.of(1000),
        42, 1, out, true, new TrackingSettings(store.toString(), Optional.of(WandbMode.ONLINE),
            PROJECT, Optional.of(ENTITY), List.of(), true));
  }

  private Tracker tracker(Path store) {
    WandbSettings s = WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl())
        .transmitInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMillis(200))
        .retryWaits(Duration.ofMillis(10), Duration.ofMillis(100))
        .httpTimeout(Duration.ofSeconds(10)).startTimeout(Duration.ofSeconds(5)).build();
    return Tracker.builder().storeLocation(store.toString()).wandb(s).captureProvenance(false)
        .shutdownHook(false).build();
  }

  private ScriptedExecutor executor(long epochMillis) {
    return ScriptedExecutor.accuracyBy((t, e) -> {
      trained.putIfAbsent(t.run().id(), t.spec());
      return 0.5 + 0.01 * e;
    }).epochMillis(epochMillis);
  }

  private AgentRunner agent(Tracker tracker, Path out, ScriptedExecutor executor) {
    SweepAgent joined = tracker.sweepAgent(ENTITY, PROJECT, sweep.id);
    return AgentRunner.builder().agent(joined).tracker(tracker).data(data).executor(executor)
        .runner(settings(Path.of(tracker.store().location()), out))
        .heartbeatInterval(Duration.ofMillis(50)).build();
  }

  @Test
  void twoRunsHandedOutAreTrainedUnderTheirIdsWithExactlyTheirParametersThenExitEndsTheAgent()
      throws Exception {
    wandb.sweeps().queueRun(sweep.id, "run-a", Map.of("model", "mlp", "batch_size", 32,
        "epochs", 2));
    wandb.sweeps().queueRun(sweep.id, "run-b", Map.of("batch_size", 64, "epochs", 1,
        "learning_rate", 0.01, "optimizer", "sgd-nesterov"));
    wandb.sweeps().queueExit(sweep.id);
    Path store = dir.resolve("runs.db");
    SweepResult result;
    try (Tracker tracker = tracker(store)) {
      result = agent(tracker, dir.resolve("out"), executor(0)).run();
      assertThat(tracker.store().runs(dev.mnistlab.tracking.RunQuery.builder().group(sweep.id)
          .build())).extracting(RunRecord::id).containsExactlyInAnyOrder("run-a", "run-b");
      RunRecord a = tracker.store().run("run-a").orElseThrow();
      assertThat(a.state()).isEqualTo(RunState.FINISHED);
      assertThat(tracker.store().config("run-a")).containsEntry("batch_size", 32L)
          .containsEntry("model", "mlp");
    }
    assertThat(result.trials()).extracting(TrialRecord::runId).containsExactly("run-a", "run-b");
    assertThat(result.trials()).extracting(TrialRecord::status)
        .containsOnly(TrialStatus.FINISHED);
    TrialSpec a = trained.get("run-a");
    assertThat(a.model()).isEqualTo("mlp");
    assertThat(a.batchSize()).isEqualTo(32);
    assertThat(a.epochs()).isEqualTo(2);
    assertThat(a.learningRate()).isEmpty();
    TrialSpec b = trained.get("run-b");
    assertThat(b.model()).isEqualTo(TrialSpec.DEFAULT_MODEL);
    assertThat(b.batchSize()).isEqualTo(64);
    assertThat(b.learningRate().getAsDouble()).isEqualTo(0.01);
    assertThat(b.optimizer()).contains("sgd-nesterov");
    // W&B's pre-created runs got the history, were attached to the sweep and completed
    assertThat(sweep.runs).containsExactly("run-a", "run-b");
    assertThat(wandb.run(PROJECT, "run-a").history).hasSize(2);
    assertThat(wandb.run(PROJECT, "run-a").complete).isTrue();
    assertThat(wandb.run(PROJECT, "run-b").exitCode).isZero();
    // the heartbeats reported each run while it ran
    StandInSweeps.Agent agent = sweep.agents.values().iterator().next();
    assertThat(agent.received).extracting(c -> c.get("type")).containsExactly("run", "run",
        "exit");
    assertThat(Files.exists(Path.of("/tmp/mnistlab-agent-ran-the-program"))).isFalse();
    assertThat(ResultsFiles.read(dir.resolve("out")).trials()).hasSize(2);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aStopMidRunEndsTheTrialAtItsNextBoundaryAsAStoppedRunEvaluatedAndSaved() throws Exception {
    wandb.sweeps().queueRun(sweep.id, "run-s", Map.of("epochs", 40));
    Path store = dir.resolve("runs.db");
    try (Tracker tracker = tracker(store)) {
      AgentRunner agent = agent(tracker, dir.resolve("out"), executor(50));
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<SweepResult> running = thread.submit(agent::run);
        assertThat(wandb.sweeps().awaitRunning(sweep.id, "run-s", Duration.ofSeconds(20))).isTrue();
        wandb.sweeps().queueStop(sweep.id, "run-s");
        wandb.sweeps().queueExit(sweep.id);
        SweepResult result = running.get(30, TimeUnit.SECONDS);
        TrialRecord stopped = result.trials().get(0);
        assertThat(stopped.status()).isEqualTo(TrialStatus.STOPPED_EARLY);
        assertThat(stopped.epochs()).isBetween(1, 39);
        assertThat(stopped.testMetrics()).containsKey("test_accuracy");
      } finally {
        thread.shutdownNow();
      }
      assertThat(tracker.store().run("run-s").orElseThrow().state()).isEqualTo(RunState.STOPPED);
    }
    assertThat(wandb.run(PROJECT, "run-s").complete).isTrue();
    assertThat(wandb.run(PROJECT, "run-s").exitCode).isZero();
    assertThat(Files.exists(dir.resolve("out").resolve(SweepRunner.BEST_MODEL))).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void interruptingTheAgentStopsTheRunningTrialAsInterruptedAndWritesTheResults()
      throws Exception {
    wandb.sweeps().queueRun(sweep.id, "run-i", Map.of("epochs", 40));
    try (Tracker tracker = tracker(dir.resolve("runs.db"))) {
      AgentRunner agent = agent(tracker, dir.resolve("out"), executor(50));
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<SweepResult> running = thread.submit(agent::run);
        assertThat(wandb.sweeps().awaitRunning(sweep.id, "run-i", Duration.ofSeconds(20))).isTrue();
        agent.interrupt();
        SweepResult result = running.get(30, TimeUnit.SECONDS);
        assertThat(result.interrupted()).isTrue();
        assertThat(result.trials()).extracting(TrialRecord::status)
            .containsExactly(TrialStatus.INTERRUPTED);
      } finally {
        thread.shutdownNow();
      }
      assertThat(tracker.store().run("run-i").orElseThrow().state())
          .isEqualTo(RunState.INTERRUPTED);
    }
    assertThat(ResultsFiles.read(dir.resolve("out")).interrupted()).isTrue();
  }

  @Test
  void aDeletedSweepStopsTheRunningTrialAndEndsTheAgentWithAClearError() throws Exception {
    wandb.sweeps().queueRun(sweep.id, "run-d", Map.of("epochs", 40));
    try (Tracker tracker = tracker(dir.resolve("runs.db"))) {
      AgentRunner agent = agent(tracker, dir.resolve("out"), executor(50));
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<SweepResult> running = thread.submit(agent::run);
        assertThat(wandb.sweeps().awaitRunning(sweep.id, "run-d", Duration.ofSeconds(20))).isTrue();
        wandb.sweeps().delete(sweep.id);
        assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
            .hasCauseInstanceOf(SweepNotFoundException.class)
            .hasMessageContaining(sweep.id).hasMessageContaining("deleted");
      } finally {
        thread.shutdownNow();
      }
      // the trial was not left running: it stopped, was evaluated and recorded
      assertThat(tracker.store().run("run-d").orElseThrow().state()).isEqualTo(RunState.STOPPED);
    }
    assertThat(ResultsFiles.read(dir.resolve("out")).trials()).extracting(TrialRecord::runId)
        .containsExactly("run-d");
  }

  @Test
  void aParameterMnistlabCannotTrainFailsThatRunWithTheConfigMessageAndTheAgentGoesOn()
      throws Exception {
    wandb.sweeps().queueRun(sweep.id, "run-bad", Map.of("batch_size", "large"));
    wandb.sweeps().queueRun(sweep.id, "run-unknown", Map.of("lr", 0.1));
    wandb.sweeps().queueRun(sweep.id, "run-good", Map.of("epochs", 1));
    wandb.sweeps().queueExit(sweep.id);
    SweepResult result;
    try (Tracker tracker = tracker(dir.resolve("runs.db"))) {
      result = agent(tracker, dir.resolve("out"), executor(0)).run();
      RunRecord bad = tracker.store().run("run-bad").orElseThrow();
      assertThat(bad.state()).isEqualTo(RunState.FAILED);
      assertThat(bad.error().orElseThrow())
          .contains("$.sweep.parameters.batch_size.value: expected integer");
    }
    assertThat(result.trials()).extracting(TrialRecord::status)
        .containsExactly(TrialStatus.FAILED, TrialStatus.FAILED, TrialStatus.FINISHED);
    assertThat(result.trials().get(0).error().orElseThrow())
        .contains("W&B sweep " + ENTITY + "/" + PROJECT + "/" + sweep.id + ", run run-bad")
        .contains("$.sweep.parameters.batch_size.value: expected integer, got string");
    assertThat(result.trials().get(1).error().orElseThrow()).contains("unknown key 'lr'");
    assertThat(trained).containsOnlyKeys("run-good");
    // W&B shows the refused runs failed, in the sweep
    assertThat(wandb.run(PROJECT, "run-bad").exitCode).isNotZero();
    assertThat(sweep.runs).contains("run-bad", "run-good");
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void twoAgentsOnOneQueueEachGetADifferentRun() throws Exception {
    for (String id : List.of("run-1", "run-2")) {
      wandb.sweeps().queueRun(sweep.id, id, Map.of("epochs", 4));
    }
    wandb.sweeps().queueExit(sweep.id);
    wandb.sweeps().queueExit(sweep.id);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<Future<SweepResult>> results = new ArrayList<>();
    List<Tracker> trackers = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        // two machines: a store each
        Tracker tracker = tracker(dir.resolve("runs-" + i + ".db"));
        trackers.add(tracker);
        AgentRunner agent = agent(tracker, dir.resolve("out-" + i), executor(150));
        results.add(threads.submit(agent::run));
      }
      List<String> first = runIds(results.get(0).get(30, TimeUnit.SECONDS));
      List<String> second = runIds(results.get(1).get(30, TimeUnit.SECONDS));
      assertThat(first).hasSize(1);
      assertThat(second).hasSize(1);
      assertThat(List.of(first.get(0), second.get(0))).containsExactlyInAnyOrder("run-1", "run-2");
    } finally {
      threads.shutdownNow();
      trackers.forEach(Tracker::close);
    }
    assertThat(sweep.agents).hasSize(2);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void runsThatKeepFailingInTheFirstMinuteMakeTheAgentGiveUp() throws Exception {
    for (int i = 0; i < 5; i++) {
      wandb.sweeps().queueRun(sweep.id, "run-f" + i, Map.of("model", "no-such-model"));
    }
    AgentRunner agent;
    SweepResult result;
    try (Tracker tracker = tracker(dir.resolve("runs.db"))) {
      agent = agent(tracker, dir.resolve("out"), executor(0));
      result = agent.run();
    }
    assertThat(result.trials()).hasSize(AgentRunner.FLAPPING_FAILURES);
    assertThat(agent.failure().orElseThrow()).contains("3 runs failed within the first 60 s")
        .contains("unknown model 'no-such-model'");
  }

  private static List<String> runIds(SweepResult result) {
    return result.trials().stream().map(TrialRecord::runId).toList();
  }
}
