package dev.mnistlab.tracking.testing;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.WandbSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A W&amp;B stand-in and a fresh SQLite store per test, both closed afterwards, with settings that
 * keep the upload cadence and retry waits short (tests then change what they are about).
 */
public abstract class WandbStoreFixture {
  @TempDir protected Path dir;
  protected WandbStandIn wandb;
  protected LocalStore store;

  @BeforeEach
  void openStandInAndStore() throws Exception {
    wandb = new WandbStandIn();
    store = LocalStore.open(dir.resolve("runs.db"));
  }

  @AfterEach
  void closeStandInAndStore() throws Exception {
    store.close();
    wandb.close();
  }

  /** The stand-in's key and URL, 50 ms transmit interval, 200 ms heartbeats, 10-100 ms retry waits. */
  protected WandbSettings.Builder settings() {
    return WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl())
        .transmitInterval(Duration.ofMillis(50)).heartbeatInterval(Duration.ofMillis(200))
        .retryWaits(Duration.ofMillis(10), Duration.ofMillis(100))
        .httpTimeout(Duration.ofSeconds(10)).startTimeout(Duration.ofSeconds(5));
  }

  /** A tracker on the store with these settings, no provenance capture and no shutdown hook. */
  protected Tracker tracker(WandbSettings s) {
    return Tracker.builder().store(store).wandb(s).captureProvenance(false).shutdownHook(false).build();
  }
}
