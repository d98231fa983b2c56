package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.wandb.RunUploader;
import dev.mnistlab.tracking.internal.wandb.Sleeper;
import dev.mnistlab.tracking.internal.wandb.Ticker;
import dev.mnistlab.tracking.internal.wandb.WandbClient;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStandIn.Endpoint;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers and proxies that close connections: a connection the server closed is retried at once
 * on a fresh one; only real server answers (5xx, 429) and outages cost a backoff.
 */
class WandbConnectionTest {
  @TempDir Path dir;
  WandbStandIn wandb;
  LocalStore store;
  final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    store = LocalStore.open(dir.resolve("runs.db"));
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
    if (wandb != null) {
      wandb.close();
    }
  }

  WandbSettings.Builder settings() {
    return WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl())
        .transmitInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofSeconds(30))
        .retryWaits(Duration.ofMillis(100), Duration.ofMillis(400))
        .httpTimeout(Duration.ofSeconds(5)).startTimeout(Duration.ofSeconds(5));
  }

  String recordFinishedRun(int lines) {
    try (Tracker t = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = t.start(RunSpec.builder().project("conn").build());
      for (int i = 0; i < lines; i++) {
        run.log(Map.of("loss", 1.0 / (i + 1)));
      }
      run.summary("test_accuracy", 0.9);
      run.close(Duration.ofSeconds(5));
      return run.id();
    }
  }

  /** Real clock; every wait the uploader asks for is recorded. */
  RunUploader uploader(String runId) {
    Sleeper real = Sleeper.system();
    Sleeper recording = new Sleeper() {
      @Override
      public void sleep(long nanos) throws InterruptedException {
        waits.add(Duration.ofNanos(nanos));
        real.sleep(nanos);
      }

      @Override
      public void wakeUp() {
        real.wakeUp();
      }
    };
    WandbSettings s = settings().build();
    WandbClient client = new WandbClient(s.baseUrl(), WandbStandIn.KEY, Duration.ofSeconds(5));
    return new RunUploader(store.jdbc(), runId, client, s, Ticker.SYSTEM, recording, () -> 0.0);
  }

  @Test
  void trainingAgainstAServerThatClosesEveryConnectionAndInjects500sAnd429sIsFullyAcceptedWithinTheCloseTimeout()
      throws Exception {
    wandb = new WandbStandIn();
    wandb.closeEveryConnection(true);
    wandb.failNext(Endpoint.FILE_STREAM, 500, null);
    wandb.failNext(Endpoint.FILE_STREAM, 429, "1");
    wandb.failNext(Endpoint.FILE_STREAM, 500, null);
    wandb.failNext(Endpoint.FILE_STREAM, 429, "1");
    String runId;
    UploadStatus status;
    long t0;
    try (Tracker tracker = Tracker.builder().store(store).wandb(settings().build())
        .captureProvenance(false).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project("conn").build());
      runId = run.id();
      for (int epoch = 0; epoch < 6; epoch++) {
        run.log(Map.of("epoch", epoch + 1, "loss", 1.0 / (epoch + 1)));
        Thread.sleep(60); // several requests, each on a connection the server then closes
      }
      run.summary("test_accuracy", 0.97);
      t0 = System.nanoTime();
      status = run.close(Duration.ofSeconds(10));
    }
    assertThat(status.complete()).as(status.describe()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    RemoteRun remote = wandb.run("conn", runId);
    assertThat(remote.history).hasSize(6);
    assertThat(dev.mnistlab.tracking.internal.Json.readMap(remote.summary)).containsEntry("test_accuracy", 0.97);
    assertThat(remote.complete).isTrue();
    assertThat(remote.exitCode).isZero();
    assertThat(wandb.violations()).isEmpty();
    assertThat(wandb.connections()).isGreaterThan(5); // every request really had a fresh connection
  }

  @Test
  void aConnectionTheServerClosedAfterEachResponseCostsNoRetryOnlyServerErrorsDo() throws Exception {
    wandb = new WandbStandIn();
    wandb.closeEveryConnection(true);
    String runId = recordFinishedRun(10);
    wandb.failNext(Endpoint.FILE_STREAM, 500, null);
    wandb.failNext(Endpoint.FILE_STREAM, 429, "1");
    wandb.failNext(Endpoint.FILE_STREAM, 500, null);
    wandb.failNext(Endpoint.FILE_STREAM, 429, "1");
    RunUploader uploader = uploader(runId);

    UploadStatus status = uploader.drain(System.nanoTime() + Duration.ofSeconds(20).toNanos());

    assertThat(status.complete()).as(status.describe()).isTrue();
    // exactly the four server answers were retried, with their waits; no stale connection was
    assertThat(uploader.retries()).isEqualTo(4);
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1),
        Duration.ofMillis(400), Duration.ofSeconds(1));
    assertThat(wandb.run("conn", runId).history).hasSize(10);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void keepAliveConnectionsTheServerClosedWhileIdleAreReplacedWithoutARetry() throws Exception {
    wandb = WandbStandIn.withIdleClose(Duration.ofSeconds(1));
    String runId = recordFinishedRun(3);
    RunUploader uploader = uploader(runId);
    uploader.start(Duration.ofSeconds(5)); // resume check + upsert on one keep-alive connection
    Thread.sleep(1500); // the server closes it after a second idle

    UploadStatus status = uploader.drain(System.nanoTime() + Duration.ofSeconds(10).toNanos());

    assertThat(status.complete()).as(status.describe()).isTrue();
    assertThat(uploader.retries()).isZero();
    assertThat(waits).isEmpty();
    // at least one new connection replaced the closed one (more if a slow machine idles again)
    assertThat(wandb.connections()).isGreaterThanOrEqualTo(2);
    assertThat(wandb.run("conn", runId).history).hasSize(3);
    assertThat(wandb.violations()).isEmpty();
  }
}
