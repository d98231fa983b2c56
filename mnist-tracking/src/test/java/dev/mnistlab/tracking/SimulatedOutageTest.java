package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.wandb.RunUploader;
import dev.mnistlab.tracking.internal.wandb.Sleeper;
import dev.mnistlab.tracking.internal.wandb.Ticker;
import dev.mnistlab.tracking.internal.wandb.WandbClient;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStandIn.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hours of W&B trouble on a simulated clock: the uploader backs off as the official client does. */
class SimulatedOutageTest {
  @TempDir Path dir;
  WandbStandIn wandb;
  LocalStore store;
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<Duration> waits = new ArrayList<>();
  long outageEndsAt = Long.MAX_VALUE;

  final Ticker ticker = now::get;
  final Sleeper sleeper = new Sleeper() {
    @Override
    public void sleep(long nanos) {
      waits.add(Duration.ofNanos(nanos));
      now.addAndGet(nanos);
      if (now.get() >= outageEndsAt) {
        wandb.outage(false);
      }
    }

    @Override
    public void wakeUp() {}
  };

  @BeforeEach
  void setUp() throws Exception {
    wandb = new WandbStandIn();
    store = LocalStore.open(dir.resolve("runs.db"));
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
    wandb.close();
  }

  String recordFinishedRun(int lines) {
    try (Tracker t = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = t.start(RunSpec.builder().project("sim").build());
      for (int i = 0; i < lines; i++) {
        run.log(Map.of("loss", 1.0 / (i + 1)));
      }
      run.close(Duration.ofSeconds(5));
      return run.id();
    }
  }

  RunUploader uploader(String runId, WandbSettings settings) {
    WandbClient client = new WandbClient(settings.baseUrl(), WandbStandIn.KEY, Duration.ofSeconds(5));
    return new RunUploader(store.jdbc(), runId, client, settings, ticker, sleeper, () -> 1.0);
  }

  WandbSettings defaults() {
    return WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl()).build();
  }

  @Test
  void twoHourOutageIsRiddenOutWithCappedExponentialBackoffAndNothingLost() {
    String runId = recordFinishedRun(10);
    wandb.outage(true);
    outageEndsAt = now.get() + Duration.ofHours(2).toNanos();
    UploadStatus status = uploader(runId, defaults()).drain(now.get() + Duration.ofHours(3).toNanos());

    assertThat(status.complete()).as(status.describe()).isTrue();
    // 2 s * 2^n * 1.25 (jitter pinned to its maximum), capped at 60 s
    assertThat(waits.subList(0, 5)).containsExactly(Duration.ofMillis(2500), Duration.ofMillis(5000),
        Duration.ofMillis(10000), Duration.ofMillis(20000), Duration.ofMillis(40000));
    assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(60)));
    assertThat(waits.stream().mapToLong(Duration::toNanos).sum()).isGreaterThanOrEqualTo(Duration.ofHours(2).toNanos());
    WandbStandIn.RemoteRun remote = wandb.run("sim", runId);
    assertThat(remote.history).hasSize(10);
    assertThat(remote.complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void deadlineBoundsTheWaitAndKeepsTheRestForSync() {
    String runId = recordFinishedRun(3);
    wandb.outage(true);
    long start = now.get();
    UploadStatus status = uploader(runId, defaults()).drain(start + Duration.ofMinutes(10).toNanos());

    assertThat(status.complete()).isFalse();
    assertThat(status.configPending()).isTrue();
    assertThat(Duration.ofNanos(now.get() - start)).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("503"));

    wandb.outage(false);
    UploadStatus later = uploader(runId, defaults()).drain(now.get() + Duration.ofMinutes(1).toNanos());
    assertThat(later.complete()).isTrue();
    assertThat(wandb.run("sim", runId).history).hasSize(3);
  }

  @Test
  void retryAfterFromTheServerReplacesTheBackoff() {
    String runId = recordFinishedRun(2);
    wandb.failNext(Endpoint.FILE_STREAM, 429, "7");
    wandb.failNext(Endpoint.FILE_STREAM, 503, null);
    UploadStatus status = uploader(runId, defaults()).drain(now.get() + Duration.ofMinutes(5).toNanos());

    assertThat(status.complete()).isTrue();
    assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofMillis(5000));
  }

  @Test
  void nonRetryableStatusStopsTheUploadAndKeepsTheData() {
    String runId = recordFinishedRun(2);
    wandb.failNext(Endpoint.FILE_STREAM, 400, null);
    UploadStatus status = uploader(runId, defaults()).drain(now.get() + Duration.ofMinutes(5).toNanos());

    assertThat(status.complete()).isFalse();
    assertThat(status.pendingHistoryLines()).isEqualTo(2);
    assertThat(waits).isEmpty();
    UploadStatus later = uploader(runId, defaults()).drain(now.get() + Duration.ofMinutes(5).toNanos());
    assertThat(later.complete()).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }
}
