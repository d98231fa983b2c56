package dev.mnistlab.spark.internal;

import dev.mnistlab.experiments.trial.TrialControl;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's record of one trial's Spark task attempts, answering their control-channel
 * requests. Only the newest attempt speaks for the trial: when a new attempt's run starts, the
 * previous attempt's run (its executor was lost, so Spark retried the task) is recorded as crashed
 * and the sweep's control is told the attempt is void; an older attempt still talking is told to
 * stop.
 */
final class TrialAttempts implements ControlChannel.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(TrialAttempts.class);

  /** The error recorded on a run whose Spark task attempt was lost. */
  static final String LOST = "its Spark task attempt was lost with its executor; the trial was"
      + " retried";

  private final int trial;
  private final TrialSpec spec;
  private final TrialControl control;
  private final LocalStore store;
  private final boolean importing;
  private final String storeLocation;
  private final Map<String, String> environment;
  private final BooleanSupplier interrupted;
  private int attempt = -1;
  private String runId;

  TrialAttempts(int trial, TrialSpec spec, TrialControl control, LocalStore store,
      boolean importing, String storeLocation, Map<String, String> environment,
      BooleanSupplier interrupted) {
    this.trial = trial;
    this.spec = spec;
    this.control = control;
    this.store = store;
    this.importing = importing;
    this.storeLocation = storeLocation;
    this.environment = Map.copyOf(environment);
    this.interrupted = interrupted;
  }

  /** The run of the newest attempt that started one. */
  synchronized Optional<String> currentRunId() {
    return Optional.ofNullable(runId);
  }

  @Override
  public synchronized ChannelMessage.Welcome hello(ChannelMessage.Hello hello) {
    attempt = Math.max(attempt, hello.attempt());
    if (hello.attempt() > 0) {
      LOG.info("trial {}: Spark task attempt {} begins", trial + 1, hello.attempt() + 1);
    }
    return new ChannelMessage.Welcome(importing ? "" : storeLocation, environment);
  }

  @Override
  public ChannelMessage.Reply started(ChannelMessage.Started started) {
    String lost;
    synchronized (this) {
      if (started.attempt() < attempt) {
        return new ChannelMessage.Reply(false, true);
      }
      lost = runId != null && !runId.equals(started.runId()) ? runId : null;
      runId = started.runId();
      if (importing && started.stub().isPresent()) {
        store.importRun(started.stub().get());
      }
    }
    if (lost != null) {
      LOG.warn("trial {}: run {} was lost with its Spark executor; attempt {} runs it again as {}",
          trial + 1, lost, started.attempt() + 1, started.runId());
      store.endRun(lost, RunState.CRASHED, 1, LOST + " as run " + started.runId());
      control.attemptLost(spec, lost);
    }
    control.started(spec, started.runId());
    return new ChannelMessage.Reply(true, stopNow());
  }

  @Override
  public ChannelMessage.Reply epoch(ChannelMessage.Epoch epoch) {
    synchronized (this) {
      if (epoch.attempt() < attempt) {
        return new ChannelMessage.Reply(false, true);
      }
    }
    boolean goOn = control.epochFinished(spec, EpochMetrics.fromNumbers(epoch.numbers()));
    return new ChannelMessage.Reply(goOn, stopNow());
  }

  private boolean stopNow() {
    return interrupted.getAsBoolean() || control.stopRequested();
  }
}
