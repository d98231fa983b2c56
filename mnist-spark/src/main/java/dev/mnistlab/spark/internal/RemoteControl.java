package dev.mnistlab.spark.internal;

import dev.mnistlab.experiments.trial.TrialControl;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunExport;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TrialControl} of a trial running in a Spark task: its run and epochs go to the
 * driver's sweep over the control channel, and the sweep's answer (hyperband, Ctrl-C) comes back.
 * The trial also stops when Spark kills the task (the job was cancelled). When the driver cannot be
 * reached the trial stops as interrupted: nobody is left to collect it.
 */
final class RemoteControl implements TrialControl {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteControl.class);

  private final ControlClient client;
  private final String token;
  private final int trial;
  private final int attempt;
  private final TaskContext task;
  private final LocalStore scratch;
  private volatile boolean stop;

  /**
   * @param scratch the scratch store the run is recorded in, whose first rows go to the driver
   *     with {@link ChannelMessage.Started}; null when the run goes straight to the sweep's store
   */
  RemoteControl(ControlClient client, String token, int trial, int attempt, TaskContext task,
      LocalStore scratch) {
    this.client = client;
    this.token = token;
    this.trial = trial;
    this.attempt = attempt;
    this.task = task;
    this.scratch = scratch;
  }

  @Override
  public void started(TrialSpec spec, String runId) {
    Optional<RunExport> stub = Optional.empty();
    if (scratch != null) {
      scratch.flush(Duration.ofMinutes(1));
      stub = scratch.exportRun(runId);
    }
    answer(new ChannelMessage.Started(token, trial, attempt, runId, stub));
  }

  @Override
  public boolean epochFinished(TrialSpec spec, EpochMetrics metrics) {
    return answer(new ChannelMessage.Epoch(token, trial, attempt, metrics.toNumbers()));
  }

  @Override
  public boolean stopRequested() {
    return stop || (task != null && task.isInterrupted());
  }

  private boolean answer(ChannelMessage request) {
    try {
      Object reply = client.ask(request);
      if (reply instanceof ChannelMessage.Reply r) {
        stop |= r.stop();
        return r.goOn();
      }
      stop = true;
      return false;
    } catch (IOException e) {
      LOG.warn("trial {}: the driver's sweep cannot be reached ({}); stopping the trial",
          trial + 1, e.getMessage());
      stop = true;
      return false;
    }
  }
}
