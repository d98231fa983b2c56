package dev.mnistlab.tracking.internal.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples system metrics every interval on one daemon thread per tracker (started with the first
 * run, not at all if no run starts) and hands each sample to the open runs. One sample serves every
 * run of the process: the figures are the process's and the machine's, not a run's. The first
 * sample is taken one interval after the start, as W&amp;B's client does.
 */
public final class SystemMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemMonitor.class);
  private final SystemSampler sampler;
  private final Duration interval;
  private final Consumer<SystemSample> sink;
  private ScheduledExecutorService executor;
  private boolean closed;

  /** A monitor; {@code interval} zero or negative means never sample. */
  public SystemMonitor(SystemSampler sampler, Duration interval, Consumer<SystemSample> sink) {
    this.sampler = sampler;
    this.interval = interval;
    this.sink = sink;
  }

  /** Starts sampling, if not started yet (and sampling is on). */
  public synchronized void ensureStarted() {
    if (executor != null || closed || interval.isZero() || interval.isNegative()) {
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mnistlab-system-metrics");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    long nanos = interval.toNanos();
    executor.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    try {
      sink.accept(sampler.sample());
    } catch (RuntimeException e) {
      // a sample must never end the schedule (a later one may work) nor fail a run
      LOG.debug("system metrics sample failed: {}", e.toString());
    }
  }

  /** Stops sampling (a sample in progress finishes). */
  @Override
  public synchronized void close() {
    closed = true;
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
