package dev.mnistlab.spark.internal;

import dev.mnistlab.experiments.runner.SchedulerRequest;
import dev.mnistlab.experiments.runner.TrialScheduler;
import dev.mnistlab.experiments.trial.SweepMembership;
import dev.mnistlab.experiments.trial.TrialControl;
import dev.mnistlab.experiments.trial.TrialResult;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.spark.SparkSettings;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.WandbSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep's trials as Spark tasks, one single-core task per trial (a one-partition job per
 * trial, in the job group of the trial, so Ctrl-C can cancel them), as many at once as the
 * application has cores. The data is broadcast once; the driver's sweep follows each trial over
 * the {@link ControlChannel}; finished trials come back with their model (and, for a SQLite
 * store, their run, imported here).
 */
public final class SparkTrialScheduler implements TrialScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTrialScheduler.class);

  /** How long a cluster's executors get to register before the slots are counted. */
  static final Duration EXECUTOR_WAIT = Duration.ofSeconds(60);

  private final SchedulerRequest request;
  private final JavaSparkContext sc;
  private final ControlChannel channel;
  private final Broadcast<SharedData> data;
  private final Map<String, String> environment;
  private final Set<String> groups = ConcurrentHashMap.newKeySet();
  private final String tag = Long.toString(System.nanoTime(), 36);
  private final int slots;
  private volatile boolean interrupted;

  private SparkTrialScheduler(SchedulerRequest request, JavaSparkContext sc,
      ControlChannel channel) {
    this.request = request;
    this.sc = sc;
    this.channel = channel;
    this.data = sc.broadcast(SharedData.of(request.data()));
    this.environment = executorEnvironment(request.tracker().wandb());
    this.slots = countSlots(sc);
  }

  /** Starts the Spark application of the sweep (also under spark-submit: mnistlab's main creates it). */
  public static SparkTrialScheduler start(SchedulerRequest request) {
    SparkConf conf = SparkSettings.sweep(request.master(), request.sweepName());
    JavaSparkContext sc = new JavaSparkContext(new SparkContext(conf));
    try {
      ControlChannel channel = ControlChannel.open(sc.getConf().get("spark.driver.host"));
      LOG.info("sweep {} on Spark {} ({}), application {}", request.sweepName(), sc.version(),
          sc.master(), sc.sc().applicationId());
      return new SparkTrialScheduler(request, sc, channel);
    } catch (IOException | RuntimeException e) {
      sc.stop();
      throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
    }
  }

  /** The Spark application's id (its REST API and UI name it). */
  public String applicationId() {
    return sc.sc().applicationId();
  }

  /** The Spark UI, when it runs. */
  public Optional<String> uiUrl() {
    scala.Option<String> url = sc.sc().uiWebUrl();
    return url.isDefined() ? Optional.of(url.get()) : Optional.empty();
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public TrialResult run(TrialSpec spec, Path workDir, TrialControl control) {
    int index = spec.membership().map(SweepMembership::index).orElse(0);
    boolean importing = !spec.tracking().store().startsWith("jdbc:postgresql:");
    LocalStore store = request.tracker().store();
    TrialAttempts attempts = new TrialAttempts(index, spec, control, store, importing,
        spec.tracking().store(), environment, () -> interrupted);
    channel.register(index, attempts);
    String group = "mnistlab-" + tag + "-trial-" + (index + 1);
    groups.add(group);
    // the job's description is shown in the UI and event log: no store location, no parameters
    sc.setJobGroup(group, "mnistlab sweep " + request.sweepName() + ", trial " + (index + 1),
        true);
    TrialSpec travelling = spec.toBuilder()
        .tracking(spec.tracking().withStore(LocalStore.redact(spec.tracking().store()))).build();
    TrialTask task = new TrialTask(travelling, index, data, channel.host(), channel.port(),
        channel.token(), request.provenance().toJson());
    try {
      if (interrupted) {
        throw new IllegalStateException("the sweep was interrupted");
      }
      TaskOutcome outcome = sc.parallelize(List.of(task), 1).map(TrialTask::run).collect().get(0);
      attempts.currentRunId().filter(id -> !id.equals(outcome.runId)).ifPresent(id ->
          store.endRun(id, RunState.CRASHED, 1, TrialAttempts.LOST + " as run " + outcome.runId));
      if (outcome.run != null) {
        store.importRun(outcome.run);
      }
      Optional<Path> model = Optional.empty();
      if (outcome.model != null) {
        Files.createDirectories(workDir);
        Path file = workDir.resolve(TrialRunner.MODEL_FILE);
        Files.write(file, outcome.model);
        model = Optional.of(file);
      }
      LOG.debug("trial {} ran on executor {}", index + 1, outcome.executor);
      return new TrialResult(spec, outcome.runId, outcome.status, List.copyOf(outcome.history),
          outcome.testMetrics, model, outcome.seconds, Optional.ofNullable(outcome.error),
          Optional.empty());
    } catch (Exception e) {
      return ended(spec, index, attempts, e);
    } finally {
      channel.remove(index);
      groups.remove(group);
      sc.clearJobGroup();
    }
  }

  /** The result of a trial whose Spark job did not return one: cancelled or failed for good. */
  private TrialResult ended(TrialSpec spec, int index, TrialAttempts attempts, Exception e) {
    Optional<String> runId = attempts.currentRunId();
    LocalStore store = request.tracker().store();
    if (interrupted) {
      runId.ifPresent(id -> store.endRun(id, RunState.INTERRUPTED, 130,
          "interrupted: the sweep's Spark job was cancelled (Ctrl-C)"));
      return new TrialResult(spec, runId.orElse(""), TrialStatus.INTERRUPTED, List.of(), Map.of(),
          Optional.empty(), 0, Optional.of("interrupted"), Optional.empty());
    }
    String message = "the trial's Spark task failed: " + firstLine(e);
    if (runId.isEmpty()) {
      throw new IllegalStateException("trial " + (index + 1) + " could not start on Spark: "
          + firstLine(e), e);
    }
    LOG.warn("trial {}: {}", index + 1, message);
    store.endRun(runId.get(), RunState.CRASHED, 1, message);
    return new TrialResult(spec, runId.get(), TrialStatus.FAILED, List.of(), Map.of(),
        Optional.empty(), 0, Optional.of(message), Optional.of(e));
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return LocalStore.redact(nl < 0 ? m : m.substring(0, nl));
  }

  /** Ctrl-C: cancels the trials' jobs (their tasks are killed), their runs are marked interrupted. */
  @Override
  public void interrupt() {
    interrupted = true;
    for (String group : groups) {
      sc.cancelJobGroup(group);
    }
  }

  @Override
  public void close() {
    channel.close();
    try {
      data.destroy();
    } catch (RuntimeException e) {
      LOG.debug("broadcast not destroyed: {}", e.toString());
    }
    sc.stop();
  }

  /**
   * The {@code WANDB_*} variables of the driver's W&amp;B settings, for the executors' trackers:
   * uploads go where a local sweep's would; without W&amp;B on the driver they are off.
   */
  static Map<String, String> executorEnvironment(Optional<WandbSettings> wandb) {
    Map<String, String> env = new HashMap<>();
    if (wandb.isEmpty()) {
      env.put("WANDB_MODE", "disabled");
      return env;
    }
    WandbSettings w = wandb.get();
    w.apiKey().ifPresent(k -> env.put("WANDB_API_KEY", k));
    env.put("WANDB_BASE_URL", w.baseUrl());
    env.put("WANDB_APP_URL", w.appUrl());
    w.entity().ifPresent(e -> env.put("WANDB_ENTITY", e));
    env.put("WANDB_MODE", w.mode().name().toLowerCase(Locale.ROOT));
    env.put("WANDB__FILE_STREAM_TRANSMIT_INTERVAL",
        Double.toString(w.transmitInterval().toNanos() / 1e9));
    return env;
  }

  /**
   * The cores of the application: {@code local[N]}'s N, or on a cluster the executors' cores once
   * the first executors registered (waiting at most {@link #EXECUTOR_WAIT}).
   */
  private static int countSlots(JavaSparkContext sc) {
    if (!sc.isLocal()) {
      long until = System.nanoTime() + EXECUTOR_WAIT.toNanos();
      while (sc.sc().statusTracker().getExecutorInfos().length < 2 && System.nanoTime() < until) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    int cpusPerTask = sc.getConf().getInt("spark.task.cpus", 1);
    return Math.max(1, sc.defaultParallelism() / cpusPerTask);
  }
}
