package dev.mnistlab.tracking.testing;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.Tracker;
import java.time.Duration;
import java.util.Map;

/**
 * A child process for concurrent-first-use tests: sleeps until the given wall-clock millisecond
 * (so several children open the store at the same moment), opens the store, records one short run
 * and prints {@code OK run-id}, or {@code FAILED message}. Args: store path, start time (epoch ms).
 */
public final class OpenAt {
  private OpenAt() {}

  public static void main(String[] args) throws Exception {
    long startAt = Long.parseLong(args[1]);
    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
    try (LocalStore store = LocalStore.open(args[0]);
        Tracker tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = tracker.start(RunSpec.builder().project("first-use").build());
      run.log(Map.of("loss", 0.5));
      run.close(Duration.ofSeconds(30));
      System.out.println("OK " + run.id());
    } catch (RuntimeException e) {
      System.out.println("FAILED " + e.getMessage());
    }
    System.out.flush();
  }
}
