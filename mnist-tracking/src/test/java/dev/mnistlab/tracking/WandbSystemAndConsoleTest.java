package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * System metrics ({@code wandb-events.jsonl}, the System tab) and console lines
 * ({@code output.log}, the Logs tab) go to the store first and reach W&amp;B from there, exactly
 * once, also from a run recorded offline and synced later.
 */
class WandbSystemAndConsoleTest extends WandbStoreFixture {

  Tracker tracker(WandbSettings s, Duration sampling) {
    return Tracker.builder().store(store).wandb(s).captureProvenance(false).shutdownHook(false)
        .systemMetricsInterval(sampling).build();
  }

  /** Logs a few steps and console lines over ~{@code samples} sampling intervals of 50 ms. */
  String recordRun(Tracker t, int samples) throws Exception {
    Run run = t.start(RunSpec.builder().project("sys").build());
    run.console("epoch 1/2: loss 0.52 val_accuracy 0.91");
    run.log(Map.of("loss", 0.52));
    run.consoleError("warning: learning rate 0.5 is unusually high");
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (store.jdbc().events(run.id(), 0, 1000, Long.MAX_VALUE).size() < samples
        && System.nanoTime() < until) {
      Thread.sleep(25);
    }
    run.console("epoch 2/2: loss 0.31 val_accuracy 0.95\ntest_accuracy 0.953\n");
    run.log(Map.of("loss", 0.31));
    run.finish(0);
    run.close(Duration.ofSeconds(10));
    return run.id();
  }

  void assertServerHoldsTheStoredLinesOnce(RemoteRun remote, String id) throws Exception {
    List<String> stored = store.jdbc().events(id, 0, 10_000, Long.MAX_VALUE);
    assertThat(stored).hasSizeGreaterThanOrEqualTo(3);
    assertThat(remote.events).containsExactlyElementsOf(stored);
    assertThat(remote.console).hasSize(4);
    assertThat(remote.console.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}"
        + " epoch 1/2: loss 0\\.52 val_accuracy 0\\.91");
    assertThat(remote.console.get(1)).startsWith("ERROR ")
        .endsWith(" warning: learning rate 0.5 is unusually high");
    assertThat(remote.console.get(2)).doesNotStartWith("ERROR").endsWith(" epoch 2/2: loss 0.31 val_accuracy 0.95");
    assertThat(remote.console.get(3)).endsWith(" test_accuracy 0.953");
    assertThat(remote.complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void systemSamplesAndConsoleLinesOfARunReachWandbOnceFromTheStore() throws Exception {
    String id;
    try (Tracker t = tracker(settings().build(), Duration.ofMillis(50))) {
      id = recordRun(t, 4);
    }
    RemoteRun remote = wandb.run("sys", id);
    assertServerHoldsTheStoredLinesOnce(remote, id);
    Map<String, Object> line = Json.readMap(remote.events.get(0));
    assertThat(line).containsEntry("_wandb", true)
        .containsKeys("_timestamp", "_runtime", "system.cpu", "system.proc.cpu.threads",
            "system.proc.memory.rssMB", "system.memory_percent", "system.jvm.heap.usedMB",
            "system.jvm.nd4j.offHeapMB")
        .hasEntrySatisfying("system.proc.cpu.threads", v -> assertThat(((Number) v).intValue()).isPositive())
        .hasEntrySatisfying("system.proc.memory.rssMB", v -> assertThat(((Number) v).doubleValue()).isPositive());
    assertThat(line.keySet()).anyMatch(k -> k.startsWith("system.disk.") && k.endsWith(".usagePercent"));
    // every line is later than the one before it
    double last = -1;
    for (String l : remote.events) {
      double runtime = ((Number) Json.readMap(l).get("_runtime")).doubleValue();
      assertThat(runtime).isGreaterThan(last);
      last = runtime;
    }
  }

  @Test
  void anOfflineRunsSystemSamplesAndConsoleLinesAreUploadedBySyncExactlyOnce() throws Exception {
    String id;
    try (Tracker t = tracker(settings().mode(WandbMode.OFFLINE).build(), Duration.ofMillis(50))) {
      id = recordRun(t, 3);
    }
    assertThat(wandb.run("sys", id)).isNull();
    Syncer syncer = Syncer.builder().store(store).wandb(settings().build()).build();
    assertThat(syncer.syncAll(Duration.ofSeconds(10)).allComplete()).isTrue();
    RemoteRun remote = wandb.run("sys", id);
    int requests = remote.fileStreamRequests;

    SyncReport again = syncer.syncAll(Duration.ofSeconds(10));

    assertServerHoldsTheStoredLinesOnce(remote, id);
    assertThat(again.results()).isEmpty();
    assertThat(remote.fileStreamRequests).isEqualTo(requests);
  }

  @Test
  void aContinuedRunAppendsItsSystemAndConsoleLinesAfterTheRemoteOnesInsteadOfOverwritingThem()
      throws Exception {
    RemoteRun remote = wandb.existingRun("sys", "cont0001", 2);
    remote.events.add(Json.write(Map.of("_wandb", true, "_timestamp", 1.7e9, "_runtime", 1.0,
        "system.cpu", 5.0)));
    remote.console.add("2026-01-01T00:00:00.000000 earlier session");
    remote.console.add("2026-01-01T00:00:01.000000 earlier session, second line");
    List<String> eventsBefore = List.copyOf(remote.events);
    try (Tracker t = Tracker.builder().store(store).environment(Map.of("WANDB_RESUME", "allow"))
        .wandb(settings().build()).captureProvenance(false).shutdownHook(false)
        .systemMetricsInterval(Duration.ofMillis(50)).build()) {
      Run run = t.start(RunSpec.builder().project("sys").runId("cont0001").build());
      run.console("this session");
      Thread.sleep(200);
      run.finish(0);
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
    }
    assertThat(remote.console).hasSize(3);
    assertThat(remote.console.get(0)).endsWith(" earlier session");
    assertThat(remote.console.get(2)).endsWith(" this session");
    assertThat(remote.events.subList(0, 1)).containsExactlyElementsOf(eventsBefore);
    assertThat(remote.events.subList(1, remote.events.size()))
        .containsExactlyElementsOf(store.jdbc().events("cont0001", 0, 10_000, Long.MAX_VALUE))
        .isNotEmpty();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aCloseDuringAnOutageSaysHowManyConsoleLinesWaitForSync() throws Exception {
    UploadStatus status;
    try (Tracker t = tracker(settings().build(), Duration.ZERO)) {
      Run run = t.start(RunSpec.builder().project("sys").build());
      Thread.sleep(100);
      wandb.outage(true);
      run.console("one");
      run.consoleError("two");
      status = run.close(Duration.ofMillis(300));
    }
    assertThat(status.complete()).isFalse();
    assertThat(status.pendingConsoleLines()).isEqualTo(2);
    assertThat(status.pendingSystemLines()).isZero();
    assertThat(status.describe()).contains("2 console lines").contains("mnistlab sync");
  }

  @Test
  void linesSentDuringAnOutageAreResentFromTheirCursorNotDuplicatedNorLost() throws Exception {
    String id;
    try (Tracker t = tracker(settings().build(), Duration.ofMillis(50))) {
      Run run = t.start(RunSpec.builder().project("sys").build());
      run.console("before the outage");
      Thread.sleep(200);
      wandb.outage(true);
      run.console("during the outage");
      run.consoleError("still down");
      Thread.sleep(300);
      wandb.outage(false);
      run.console("after the outage");
      Thread.sleep(100);
      run.finish(0);
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
      id = run.id();
    }
    RemoteRun remote = wandb.run("sys", id);
    assertThat(remote.console).hasSize(4);
    assertThat(remote.console.get(0)).endsWith(" before the outage");
    assertThat(remote.console.get(2)).startsWith("ERROR ").endsWith(" still down");
    assertThat(remote.console.get(3)).endsWith(" after the outage");
    assertThat(remote.events).containsExactlyElementsOf(
        store.jdbc().events(id, 0, 10_000, Long.MAX_VALUE));
    assertThat(wandb.violations()).isEmpty();
  }
}
