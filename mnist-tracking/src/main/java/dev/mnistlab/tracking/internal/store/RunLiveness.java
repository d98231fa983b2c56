package dev.mnistlab.tracking.internal.store;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Tells whether the process recording a run that is still marked running is alive: on the same
 * host by its pid, elsewhere by a heartbeat younger than {@code staleAfter} (writers refresh it
 * every few seconds).
 */
public final class RunLiveness {
  private static final String HOST = localHost();

  private RunLiveness() {}

  /** True if the run's process may still be recording it. */
  public static boolean isAlive(StoredRun run, Duration staleAfter) {
    if (run.pid() != null && run.host() != null && run.host().equals(HOST)) {
      if (run.pid() == ProcessHandle.current().pid()) {
        return true;
      }
      return ProcessHandle.of(run.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
    return System.currentTimeMillis() - run.heartbeatMillis() < staleAfter.toMillis();
  }

  /** This machine's host name, as stored in runs. */
  public static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return null;
    }
  }
}
