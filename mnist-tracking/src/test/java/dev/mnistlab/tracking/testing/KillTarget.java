package dev.mnistlab.tracking.testing;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.WandbSettings;
import java.time.Duration;
import java.util.Map;

/**
 * A child process for kill tests: logs steps in a loop forever and prints {@code FLUSHED n} each
 * time the first {@code n} steps are known to be committed. Args: store path, run id, and
 * optionally a W&amp;B base URL to stream to, or {@code with-shutdown-hook} to install the tracker's
 * JVM shutdown hook (SIGTERM then ends the run as interrupted).
 */
public final class KillTarget {
  private KillTarget() {}

  public static void main(String[] args) throws Exception {
    LocalStore store = LocalStore.open(args[0]);
    boolean hook = args.length > 2 && args[2].equals("with-shutdown-hook");
    Tracker.Builder b = Tracker.builder().store(store).captureProvenance(false).shutdownHook(hook);
    if (args.length > 2 && !hook) {
      b.wandb(WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(args[2])
          .transmitInterval(Duration.ofMillis(50)).retryWaits(Duration.ofMillis(10), Duration.ofMillis(50))
          .build());
    }
    Tracker tracker = b.build();
    Run run = tracker.start(RunSpec.builder().project("kill").runId(args[1]).build());
    for (int i = 0; ; i++) {
      run.log(Map.of("i", i, "loss", 1.0 / (i + 1), "tag", "x".repeat(i % 50)));
      if ((i + 1) % 25 == 0) {
        store.flush(Duration.ofSeconds(30));
        System.out.println("FLUSHED " + (i + 1));
        System.out.flush();
      }
      Thread.sleep(1);
    }
  }
}
