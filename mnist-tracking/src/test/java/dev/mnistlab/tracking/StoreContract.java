package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Behaviour every store backend must have; subclasses supply SQLite or PostgreSQL. */
abstract class StoreContract {
  abstract String location() throws Exception;

  /** Opens a plain JDBC connection of another "process" and takes the store's write lock in it. */
  abstract java.sql.Connection lockStore(String location) throws Exception;

  String project() {
    return "p-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void recordsEverythingARunProducesAndReadsItBack() throws Exception {
    String project = project();
    try (LocalStore store = LocalStore.open(location());
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project(project).name("n").group("g").jobType("train")
          .tags("a", "b").notes("notes").config("lr", 0.001).config("layers", List.of(32, 64)).build());
      for (int epoch = 1; epoch <= 3; epoch++) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("loss", 1.0 / epoch);
        m.put("val_accuracy", epoch == 2 ? Double.NaN : 0.9 + epoch / 100.0);
        m.put("phase", "train");
        run.log(m);
      }
      run.summary("test_accuracy", 0.97);
      run.provenance(Provenance.builder().git("abc123", true).extra("seed", 42).build());
      byte[] img = new byte[784];
      img[0] = (byte) 255;
      run.predictions(List.of(TestPrediction.of(0, img, 7, 7, new float[] {0.1f, 0.9f}),
          TestPrediction.of(1, new byte[784], 2, 3, new float[] {0.6f, 0.4f})));
      run.finish(0);
      run.close(Duration.ofSeconds(10));
      String id = run.id();

      RunRecord rec = store.run(id).orElseThrow();
      assertThat(rec.project()).isEqualTo(project);
      assertThat(rec.name()).contains("n");
      assertThat(rec.group()).contains("g");
      assertThat(rec.jobType()).contains("train");
      assertThat(rec.tags()).containsExactly("a", "b");
      assertThat(rec.notes()).contains("notes");
      assertThat(rec.state()).isEqualTo(RunState.FINISHED);
      assertThat(rec.exitCode()).hasValue(0);
      assertThat(rec.endTime()).isPresent();
      assertThat(rec.historyLines()).isEqualTo(3);

      assertThat(store.config(id)).containsEntry("lr", 0.001).containsEntry("layers", List.of(32L, 64L));
      List<HistoryRow> history = store.history(id);
      assertThat(history).extracting(HistoryRow::step).containsExactly(0L, 1L, 2L);
      assertThat(history.get(1).number("val_accuracy")).isNaN();
      assertThat(history.get(0).values()).containsEntry("phase", "train");
      assertThat(store.metric(id, "loss")).extracting(MetricPoint::value).containsExactly(1.0, 0.5, 1.0 / 3);
      assertThat(store.metric(id, "val_accuracy").get(1).value()).isNaN();
      assertThat(store.metricKeys(id)).containsExactly("epoch", "loss", "val_accuracy");
      Map<String, List<MetricPoint>> series = store.metrics(id);
      assertThat(series).containsOnlyKeys("epoch", "loss", "val_accuracy");
      assertThat(series.get("epoch")).containsExactly(new MetricPoint(0, 1), new MetricPoint(1, 2), new MetricPoint(2, 3));
      assertThat(series.get("val_accuracy").get(1).value()).isNaN();
      assertThat(store.summary(id)).containsEntry("test_accuracy", 0.97).containsEntry("loss", 1.0 / 3)
          .containsEntry("_step", 2L);
      Provenance p = store.provenance(id).orElseThrow();
      assertThat(p.gitCommit()).contains("abc123");
      assertThat(p.extras()).containsEntry("seed", 42L);
      List<TestPrediction> preds = store.predictions(id);
      assertThat(preds).hasSize(2);
      assertThat(preds.get(0).image()[0]).isEqualTo((byte) 255);
      assertThat(preds.get(0).probabilities()).containsExactly(0.1f, 0.9f);
      assertThat(preds.get(1).correct()).isFalse();
    }
  }

  @Test
  void importedRunHoldsEveryRowOnceAndImportingAgainChangesNothing() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mnistlab-import-");
    try (LocalStore source = LocalStore.open(location());
        Tracker tracker = Tracker.builder().store(source).shutdownHook(false).build();
        LocalStore target = LocalStore.open(dir.resolve("target.db"))) {
      Run run = tracker.start(RunSpec.builder().project(project()).name("copied").group("g")
          .config("lr", 0.01).build());
      run.log(Map.of("epoch", 1, "loss", 0.5));
      run.log(Map.of("epoch", 2, "loss", 0.25));
      run.console("epoch 2");
      run.summary("test_accuracy", 0.9);
      run.predictions(List.of(TestPrediction.of(0, new byte[784], 1, 1, new float[] {0f, 1f})));
      run.artifact(Artifact.builder("m", "model").file("model.zip", new byte[] {1, 2, 3}).build());
      source.flush(Duration.ofSeconds(10));
      RunExport running = source.exportRun(run.id()).orElseThrow();
      run.finish(0);
      run.close(Duration.ofSeconds(10));
      RunExport finished = source.exportRun(run.id()).orElseThrow();

      assertThat(target.importRun(running)).isTrue();
      assertThat(target.run(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
      assertThat(target.importRun(finished)).isTrue();
      assertThat(target.importRun(finished)).isTrue();
      // a copy taken while running never replaces the ended run
      assertThat(target.importRun(running)).isFalse();

      RunRecord copied = target.run(run.id()).orElseThrow();
      assertThat(copied.state()).isEqualTo(RunState.FINISHED);
      assertThat(copied.name()).contains("copied");
      assertThat(target.exportRun(run.id()).orElseThrow().rowCount())
          .isEqualTo(finished.rowCount());
      assertThat(target.history(run.id())).usingRecursiveFieldByFieldElementComparator()
          .isEqualTo(source.history(run.id()));
      assertThat(target.config(run.id())).isEqualTo(source.config(run.id()));
      assertThat(target.summary(run.id())).isEqualTo(source.summary(run.id()));
      assertThat(target.console(run.id())).isEqualTo(source.console(run.id()));
      assertThat(target.predictions(run.id())).hasSize(1);
      // the model artifact travels with its files (a Spark executor's trial is imported whole)
      assertThat(target.jdbc().artifacts(run.id(), "wandb")).singleElement()
          .satisfies(a -> assertThat(a.name()).isEqualTo("m"));
      assertThat(target.jdbc().artifactFiles(run.id(), 0).get("model.zip")).containsExactly(1, 2, 3);
      assertThat(source.exportRun("no-such-run")).isEmpty();
    }
  }

  @Test
  void endRunEndsARunStillRunningAndLeavesAnEndedOneAlone() throws Exception {
    try (LocalStore store = LocalStore.open(location());
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false).build()) {
      Run lost = tracker.start(RunSpec.builder().project(project()).build());
      Run done = tracker.start(RunSpec.builder().project(project()).build());
      done.finish(0);
      done.close(Duration.ofSeconds(10));
      store.flush(Duration.ofSeconds(10));

      store.endRun(lost.id(), RunState.CRASHED, 1, "executor lost");
      store.endRun(done.id(), RunState.CRASHED, 1, "executor lost");

      assertThat(store.run(lost.id()).orElseThrow().state()).isEqualTo(RunState.CRASHED);
      assertThat(store.run(lost.id()).orElseThrow().exitCode()).hasValue(1);
      assertThat(store.run(done.id()).orElseThrow().state()).isEqualTo(RunState.FINISHED);
      lost.close(Duration.ofSeconds(10));
    }
  }

  @Test
  void recordsSystemSamplesAndConsoleLinesInOrderWithoutGaps() throws Exception {
    try (LocalStore store = LocalStore.open(location());
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false)
            .systemMetricsInterval(Duration.ofMillis(40)).build()) {
      Run run = tracker.start(RunSpec.builder().project(project()).build());
      run.console("epoch 1: loss 0.5");
      run.consoleError("warning: slow\nsecond line\n");
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (store.jdbc().events(run.id(), 0, 100, Long.MAX_VALUE).size() < 3
          && System.nanoTime() < until) {
        Thread.sleep(20);
        store.jdbc().flush().get();
      }
      run.close(Duration.ofSeconds(10));
      int afterClose = store.jdbc().events(run.id(), 0, 10_000, Long.MAX_VALUE).size();
      Thread.sleep(150);

      List<String> events = store.jdbc().events(run.id(), 0, 10_000, Long.MAX_VALUE);
      assertThat(events).hasSizeGreaterThanOrEqualTo(3).hasSize(afterClose);
      assertThat(store.jdbc().eventAndConsoleLines(run.id())).containsExactly(events.size(), 3);
      Map<String, Object> first = Json.readMap(events.get(0));
      assertThat(first).containsEntry("_wandb", true).containsKeys("_timestamp", "_runtime",
          "system.proc.cpu.threads", "system.jvm.heap.usedMB");
      assertThat(store.jdbc().console(run.id(), 0, 100, Long.MAX_VALUE))
          .extracting(c -> (c.stderr() ? "err " : "out ") + c.text())
          .containsExactly("out epoch 1: loss 0.5", "err warning: slow", "err second line");
    }
  }

  @Test
  void queriesRunsByProjectGroupAndStateNewestFirst() throws Exception {
    String project = project();
    try (LocalStore store = LocalStore.open(location());
        Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run a = tracker.start(RunSpec.builder().project(project).group("g1").build());
      a.close(Duration.ofSeconds(5));
      Thread.sleep(5);
      Run b = tracker.start(RunSpec.builder().project(project).group("g1").build());
      b.finish(3);
      b.close(Duration.ofSeconds(5));
      Thread.sleep(5);
      Run c = tracker.start(RunSpec.builder().project(project).group("g2").build());
      store.flush(Duration.ofSeconds(5));

      assertThat(store.runs(RunQuery.builder().project(project).build())).extracting(RunRecord::id)
          .containsExactly(c.id(), b.id(), a.id());
      assertThat(store.runs(RunQuery.builder().project(project).group("g1").build()))
          .extracting(RunRecord::id).containsExactly(b.id(), a.id());
      assertThat(store.runs(RunQuery.builder().project(project).state(RunState.FAILED).build()))
          .extracting(RunRecord::id).containsExactly(b.id());
      assertThat(store.runs(RunQuery.builder().project(project).state(RunState.RUNNING).build()))
          .extracting(RunRecord::id).containsExactly(c.id());
      assertThat(store.runs(RunQuery.builder().project(project).limit(1).build()))
          .extracting(RunRecord::id).containsExactly(c.id());
      assertThat(store.run("no-such-run")).isEmpty();
      c.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void reopeningAnExistingStoreKeepsItsRunsAndSchema() throws Exception {
    String location = location();
    String id;
    try (LocalStore store = LocalStore.open(location);
        Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project(project()).build());
      run.log(Map.of("x", 1));
      run.close(Duration.ofSeconds(5));
      id = run.id();
    }
    try (LocalStore store = LocalStore.open(location)) {
      assertThat(store.history(id)).hasSize(1);
    }
  }

  @Test
  void refusesToReuseARunIdOfTheStore() throws Exception {
    try (LocalStore store = LocalStore.open(location());
        Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      String id = "dup" + UUID.randomUUID().toString().substring(0, 6);
      tracker.start(RunSpec.builder().project(project()).runId(id).build()).close(Duration.ofSeconds(5));
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> tracker.start(RunSpec.builder().project(project()).runId(id).build()))
          .isInstanceOf(TrackingException.class).hasMessageContaining("run id " + id + " already exists");
    }
  }

  @Test
  void aTrialIsClaimedByOneOpenStoreAtATimeAndTakenOverOnlyWhenItsOwnerIsGoneAndItIsNotCompleted()
      throws Exception {
    String location = location();
    String sweep = project() + "/sweep/abc123";
    try (LocalStore b = LocalStore.open(location)) {
      LocalStore a = LocalStore.open(location);
      assertThat(a.claimTrial(sweep, 0)).isTrue();
      assertThat(b.claimTrial(sweep, 0)).as("held by a live owner").isFalse();
      assertThat(b.claimTrial(sweep, 1)).isTrue();
      assertThat(a.claimTrial(sweep, 0)).as("the owner claims again").isTrue();
      assertThat(a.claimTrial(sweep, 2)).isTrue();
      a.completeTrial(sweep, 0);
      a.close();
      assertThat(b.claimTrial(sweep, 0)).as("completed").isFalse();
      assertThat(b.claimTrial(sweep, 2)).as("owner gone, not completed").isTrue();
      assertThat(b.claimTrial(project() + "/other/abc123", 0)).as("another sweep").isTrue();
    }
  }

  @Test
  void writesWaitForAnotherSessionsLockAndLoseNothing() throws Exception {
    String location = location();
    try (LocalStore store = LocalStore.open(location, Duration.ofSeconds(60));
        Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project(project()).build());
      run.log(Map.of("i", 0));
      store.flush(Duration.ofSeconds(30));
      java.sql.Connection holder = lockStore(location);
      try {
        for (int i = 1; i < 5; i++) {
          run.log(Map.of("i", i));
        }
        Thread.sleep(2_500); // longer than the per-statement lock wait of 1 s
        assertThat(store.jdbc().writer().failure()).isEmpty();
      } finally {
        holder.rollback();
        holder.close();
      }
      run.close(Duration.ofSeconds(60));
      assertThat(store.history(run.id())).extracting(HistoryRow::line).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.FINISHED);
    }
  }

  @Test
  void aLockHeldPastTheLockTimeoutFailsTheRunWithAMessageNamingTheStore() throws Exception {
    String location = location();
    LocalStore store = LocalStore.open(location, Duration.ofSeconds(2));
    Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build();
    Run run = tracker.start(RunSpec.builder().project(project()).build());
    run.log(Map.of("i", 0));
    store.flush(Duration.ofSeconds(30));
    java.sql.Connection holder = lockStore(location);
    try {
      run.log(Map.of("i", 1));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> run.close(Duration.ofSeconds(30)))
          .isInstanceOf(TrackingException.class).hasMessageContaining("locked by another process");
    } finally {
      holder.rollback();
      holder.close();
    }
    tracker.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(store::close).isInstanceOf(TrackingException.class);
    try (LocalStore reread = LocalStore.open(location)) {
      RunRecord rec = reread.run(run.id()).orElseThrow();
      assertThat(rec.state()).isEqualTo(RunState.FAILED);
      assertThat(reread.history(run.id())).extracting(HistoryRow::line).containsExactly(0L);
    }
  }
}
