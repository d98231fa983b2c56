package dev.mnistlab.tracking.internal.store;

import dev.mnistlab.tracking.RunState;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Tells whether the process recording a run that is still marked running is alive: on the same
 * host by its pid (a process with that pid started after the run is a reused pid, not the owner),
 * elsewhere by a heartbeat younger than {@code staleAfter} (writers refresh it every few seconds).
 */
public final class RunLiveness {
  private static final String HOST = localHost();
  /** How old another host's heartbeat may be before its run is taken for crashed. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);
  /** The error recorded for (and shown with) a run whose process is gone. */
  public static final String CRASHED_ERROR = "the process ended without finishing the run";

  private RunLiveness() {}

  /** True if the run's process may still be recording it. */
  public static boolean isAlive(StoredRun run, Duration staleAfter) {
    return isAlive(run.host(), run.pid(), run.startTimeMillis(), run.heartbeatMillis(), staleAfter);
  }

  /**
   * True if the owner of something recorded by {@code host}/{@code pid} at {@code sinceMillis} may
   * still be running: same host, that pid alive and started no later than {@code sinceMillis};
   * another host, a heartbeat younger than {@code staleAfter}.
   */
  public static boolean isAlive(String host, Long pid, long sinceMillis, long heartbeatMillis,
      Duration staleAfter) {
    if (pid != null && host != null && host.equals(HOST)) {
      if (pid == ProcessHandle.current().pid()) {
        return true;
      }
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .map(p -> p.info().startInstant()
              .map(start -> start.toEpochMilli() <= sinceMillis + 1_000)
              .orElse(true))
          .orElse(false);
    }
    return System.currentTimeMillis() - heartbeatMillis < staleAfter.toMillis();
  }

  /** The state to show for a stored run: {@link RunState#CRASHED} for a running one whose process is gone. */
  public static RunState effectiveState(StoredRun run) {
    return run.state() == RunState.RUNNING && !isAlive(run, DEFAULT_STALE_AFTER)
        ? RunState.CRASHED : run.state();
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
