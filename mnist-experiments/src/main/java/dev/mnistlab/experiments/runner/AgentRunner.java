package dev.mnistlab.experiments.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.RunnerSettings;
import dev.mnistlab.experiments.sweep.SearchStrategy;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.SweepConfigException;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.TrialControl;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialExecutor;
import dev.mnistlab.experiments.trial.TrialResult;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.AgentCommand;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.SweepAgent;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM as a W&amp;B sweep agent: a heartbeat about every {@link SweepAgent#HEARTBEAT_INTERVAL}
 * reporting the running run, and W&amp;B's commands carried out one at a time. {@code run} trains
 * the run W&amp;B created, under its id, with the parameters it chose, through the same
 * {@link TrialRunner} as every trial (recorded in the local store, grouped by the sweep id);
 * {@code stop} ends the running trial at its next batch as a stopped run (evaluated and saved);
 * {@code exit} stops it the same way and ends the agent.
 *
 * <ul>
 *   <li><b>Checked parameters.</b> W&amp;B's parameters are checked exactly as a JSON config's are
 *       (the same schema, rules and messages, e.g. {@code $.sweep.parameters.batch_size.value:
 *       expected integer, got string}); parameters mnistlab cannot train fail that run with the
 *       message, recorded in the store and on W&amp;B, and the agent goes on.
 *   <li><b>Nothing from the server runs.</b> Only mnistlab's own trials run; a command's
 *       {@code program} or command line is never even read ({@link AgentCommand} drops it).
 *   <li><b>Giving up as the official agent.</b> After {@value #FLAPPING_FAILURES} failed runs
 *       within the first {@link #FLAPPING_WINDOW}, or more than {@value #MAX_INITIAL_FAILURES}
 *       failed runs before any succeeded, the agent stops ({@link #failure()} says why). A sweep
 *       W&amp;B no longer has (404) ends it with {@link dev.mnistlab.tracking.SweepNotFoundException}
 *       once the running trial stopped.
 *   <li><b>Ctrl-C.</b> {@link #interrupt()} stops the running trial at its next batch as
 *       interrupted (still evaluated and saved), and the results are written.
 * </ul>
 */
public final class AgentRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The official agent's flapping window ({@code FLAPPING_MAX_SECONDS}). */
  public static final Duration FLAPPING_WINDOW = Duration.ofSeconds(60);
  /** Failed runs within {@link #FLAPPING_WINDOW} after which the agent stops. */
  public static final int FLAPPING_FAILURES = 3;
  /** Failed runs in a row at the start after which the agent stops. */
  public static final int MAX_INITIAL_FAILURES = 5;

  private final SweepAgent agent;
  private final Tracker tracker;
  private final TrialData data;
  private final TrialExecutor executor;
  private final RunnerSettings runner;
  private final OptionalInt count;
  private final Duration heartbeatInterval;
  private final SweepListener listener;
  private final SweepMetric metric;
  private final JsonNode metricNode;
  private final Path outputDir;
  private final BestModelKeeper bestModel;
  private final List<TrialRecord> records = new CopyOnWriteArrayList<>();
  private final Object wake = new Object();
  private volatile boolean interrupted;
  private volatile InFlight current;
  private volatile String failure;

  private AgentRunner(Builder b) {
    this.agent = Objects.requireNonNull(b.agent, "agent");
    this.tracker = Objects.requireNonNull(b.tracker, "tracker");
    this.data = Objects.requireNonNull(b.data, "data");
    this.executor = b.executor;
    this.runner = Objects.requireNonNull(b.runner, "runner settings");
    this.count = b.count;
    this.heartbeatInterval = b.heartbeatInterval;
    this.listener = b.listener;
    this.metricNode = metricOf(agent.configYaml());
    this.metric = new SweepMetric(metricNode.get("name").asText(),
        Goal.valueOf(metricNode.get("goal").asText().toUpperCase(java.util.Locale.ROOT)),
        OptionalDouble.empty());
    this.outputDir = runner.outputDir();
    this.bestModel = new BestModelKeeper(outputDir, metric, runner.saveBestModel());
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The metric the sweep ranks runs by (from W&amp;B's sweep config; val_accuracy if it has none). */
  public SweepMetric metric() {
    return metric;
  }

  /** Why the agent gave up (flapping), when it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Runs the agent until W&amp;B says {@code exit}, {@code --count} runs ran, it gives up, or it is
   * interrupted; writes {@code results.json}/{@code results.csv} after every run.
   *
   * @throws dev.mnistlab.tracking.SweepNotFoundException when the sweep is gone (404)
   * @throws IOException when the results cannot be written
   */
  public SweepResult run() throws IOException {
    Files.createDirectories(outputDir);
    TrialRunner trialRunner = TrialRunner.builder().tracker(tracker).executor(executor)
        .provenance(RunRecordCodec.withSweepConfig(Provenance.capture(),
            agent.configYaml().orElse("")))
        .build();
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mnistlab-agent-trial");
      t.setDaemon(true);
      return t;
    });
    long started = System.nanoTime();
    Deque<AgentCommand> queue = new ArrayDeque<>();
    Future<TrialRecord> running = null;
    String runningId = null;
    int accepted = 0;
    boolean exit = false;
    RuntimeException gone = null;
    try {
      while (true) {
        if (running != null && running.isDone()) {
          TrialRecord record = take(running);
          running = null;
          runningId = null;
          current = null;
          finished(record, started);
        }
        if (interrupted || failure != null || (exit && running == null)
            || (count.isPresent() && accepted >= count.getAsInt() && running == null)) {
          break;
        }
        // a run is reported until its record is taken, also one refused for its parameters: W&B
        // hands the next run to an agent only when it reports none running
        List<String> runningIds = runningId == null ? List.of() : List.of(runningId);
        List<AgentCommand> commands;
        try {
          commands = agent.heartbeat(runningIds);
        } catch (RuntimeException e) {
          // the sweep is gone or W&B stopped answering: stop the running trial, then report
          gone = e;
          InFlight c = current;
          if (c != null) {
            c.stopAsStopped = true;
          }
          break;
        }
        for (AgentCommand command : commands) {
          switch (command.type()) {
            case RUN, RESUME -> queue.add(command);
            case STOP -> stop(command, queue);
            case EXIT -> {
              LOG.info("W&B asks the agent to exit");
              exit = true;
              queue.clear();
              InFlight c = current;
              if (c != null) {
                c.stopAsStopped = true;
              }
            }
            default -> LOG.warn("W&B sent the agent an unknown command '{}'; ignored",
                command.typeName());
          }
        }
        if (running == null && !exit && !queue.isEmpty()
            && (count.isEmpty() || accepted < count.getAsInt())) {
          AgentCommand next = queue.poll();
          accepted++;
          runningId = next.runId().orElse(null);
          running = start(pool, trialRunner, next, records.size());
        }
        synchronized (wake) {
          if (!interrupted && (running == null || !running.isDone())) {
            wake.wait(Math.max(1, heartbeatInterval.toMillis()));
          }
        }
      }
      if (running != null) {
        TrialRecord record = take(running);
        current = null;
        finished(record, started);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted = true;
    } finally {
      pool.shutdownNow();
    }
    SweepResult result = writeResults();
    listener.sweepFinished(result);
    if (gone != null) {
      throw gone;
    }
    return result;
  }

  /**
   * Stops the agent (Ctrl-C): the running trial stops at its next batch as interrupted, no new
   * run starts, and the results are written.
   */
  public void interrupt() {
    interrupted = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void stop(AgentCommand command, Deque<AgentCommand> queue) {
    InFlight c = current;
    String runId = command.runId().orElse("");
    if (c != null && c.runId.equals(runId)) {
      LOG.info("W&B stops run {} (hyperband or Stop in its UI)", runId);
      c.stopAsStopped = true;
    } else if (queue.removeIf(q -> q.runId().equals(command.runId()))) {
      LOG.info("W&B stopped run {} before it started; it is not run", runId);
    } else {
      LOG.warn("W&B asks to stop run {}, which this agent is not running; ignored", runId);
    }
  }

  private Future<TrialRecord> start(ExecutorService pool, TrialRunner trialRunner,
      AgentCommand command, int index) {
    String runId = command.runId().orElse(null);
    TrialSpec spec;
    TrialParameters parameters;
    try {
      if (runId == null) {
        throw new SweepConfigException("W&B command", List.of(
            dev.mnistlab.experiments.sweep.ConfigViolation.rule("$", "a run command without"
                + " run_id")));
      }
      SweepConfig config = configFor(command);
      parameters = SearchStrategy.forSweep(config.sweep(), runner.seed())
          .suggest(0, List.of()).orElseThrow();
      parameters = new TrialParameters(index, parameters.values());
      spec = TrialSpecs.of(config, parameters, data.contentChecksums(), "wandb-" + sweepName())
          .toBuilder().runId(Optional.of(runId)).wandbSweep(Optional.of(agent.sweepKey()))
          .build();
    } catch (SweepConfigException | RuntimeException e) {
      String message = e.getMessage();
      return pool.submit(() -> refused(runId, command.parameters(), index, message));
    }
    InFlight control = new InFlight(parameters, runId);
    current = control;
    Path workDir = outputDir.resolve(".trials").resolve(runId);
    TrialParameters p = parameters;
    return pool.submit(() -> {
      try {
        TrialResult result = trialRunner.run(spec, data, workDir, control);
        TrialRecord record = new TrialRecord(p.index(), result.runId(), p.toConfigMap(),
            result.status(), result.lastValue(metric.name()), result.history(),
            result.testMetrics(), result.seconds(), false, result.error());
        listener.trialFinished(record);
        if (record.status().isComplete()) {
          bestModel.offer(record, result.model());
        }
        return record;
      } finally {
        deleteQuietly(workDir);
        synchronized (wake) {
          wake.notifyAll();
        }
      }
    });
  }

  /**
   * A run W&amp;B handed out with parameters mnistlab cannot train: recorded (locally and on
   * W&amp;B, under its id and attached to the sweep) as failed with the message, not trained.
   */
  private TrialRecord refused(String runId, Map<String, Object> parameters, int index,
      String message) {
    LOG.warn("W&B run {} cannot be trained: {}", runId, message);
    String id = runId;
    if (runId != null) {
      RunSpec spec = TrialRunner.projectSpec(runner.tracking()).runId(runId)
          .sweep(agent.sweepKey()).group(sweepName()).jobType(RunRecordCodec.JOB_SWEEP_TRIAL)
          .config(parameters).build();
      Run run = tracker.start(spec);
      id = run.id();
      run.consoleError("the sweep's parameters cannot be trained: " + message);
      run.fail(new dev.mnistlab.experiments.UserInputException(message));
      run.close();
    }
    TrialRecord record = new TrialRecord(index, id == null ? "-" : id, parameters,
        TrialStatus.FAILED, OptionalDouble.empty(), List.of(), Map.of(), 0, false,
        Optional.of(message));
    listener.trialFinished(record);
    return record;
  }

  /**
   * W&amp;B's parameters as the one-trial grid sweep a JSON config would be: every parameter a
   * {@code value}, the sweep's metric, so the parser checks them with its messages.
   */
  private SweepConfig configFor(AgentCommand command) throws SweepConfigException {
    ObjectNode sweep = JSON.createObjectNode();
    sweep.put("name", sweepName());
    sweep.put("method", "grid");
    sweep.set("metric", metricNode.deepCopy());
    ObjectNode parameters = sweep.putObject("parameters");
    command.parameters().forEach((k, v) -> parameters.putObject(k).set("value",
        JSON.valueToTree(v)));
    ObjectNode root = JSON.createObjectNode();
    root.set("sweep", sweep);
    SweepConfig parsed = SweepConfig.parse(root.toString(), "W&B sweep " + agent.path() + ", run "
        + command.runId().orElse("?"), sweepName());
    return parsed.withRunner(runner);
  }

  private String sweepName() {
    String path = agent.path();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private void finished(TrialRecord record, long startedNanos) throws IOException {
    records.add(record);
    writeResults();
    if (record.status() != TrialStatus.FAILED) {
      return;
    }
    long failed = records.stream().filter(r -> r.status() == TrialStatus.FAILED).count();
    boolean early = System.nanoTime() - startedNanos < FLAPPING_WINDOW.toNanos();
    boolean noneSucceeded = records.stream().allMatch(r -> r.status() == TrialStatus.FAILED);
    if (early && failed >= FLAPPING_FAILURES) {
      failure = failed + " runs failed within the first " + FLAPPING_WINDOW.toSeconds()
          + " s of the agent (the last: " + record.error().orElse("?") + "); the agent stops, as"
          + " W&B's does, rather than fail every run of the sweep";
    } else if (noneSucceeded && failed > MAX_INITIAL_FAILURES) {
      failure = failed + " runs failed in a row at the start (the last: "
          + record.error().orElse("?") + "); the agent stops, as W&B's does";
    }
  }

  private static TrialRecord take(Future<TrialRecord> running) throws InterruptedException {
    try {
      return running.get();
    } catch (ExecutionException e) {
      // the trial runner records what a trial throws; what escapes it is about the agent itself
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("agent trial bookkeeping failed", e.getCause());
    }
  }

  private synchronized SweepResult writeResults() throws IOException {
    List<TrialRecord> all = new ArrayList<>(records);
    SweepResult result = new SweepResult(sweepName(), metric, all, outputDir,
        LocalStore.redact(runner.tracking().store()), interrupted);
    ResultsFiles.write(result);
    return result;
  }

  private static void deleteQuietly(Path dir) {
    SweepRunner.deleteTree(dir);
    try {
      Files.deleteIfExists(dir.getParent()); // .trials, once empty
    } catch (IOException e) {
      LOG.debug("kept {}: {}", dir.getParent(), e.getMessage());
    }
  }

  /** The sweep metric from W&amp;B's config: {@code {name, goal}} (goal minimize by default). */
  private static JsonNode metricOf(Optional<String> yaml) {
    ObjectNode metric = JSON.createObjectNode();
    metric.put("name", "val_accuracy");
    metric.put("goal", "maximize");
    if (yaml.isEmpty() || yaml.get().isBlank()) {
      return metric;
    }
    try {
      JsonNode m = SweepYaml.read(yaml.get()).path("metric");
      if (m.path("name").isTextual()) {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", m.get("name").asText());
        String goal = m.path("goal").asText("minimize"); // W&B's default goal
        out.put("goal", goal.equals("maximize") ? "maximize" : "minimize");
        return out;
      }
    } catch (IOException e) {
      LOG.warn("the sweep's config from W&B is not YAML ({}); ranking runs by val_accuracy",
          e.getMessage());
    }
    return metric;
  }

  /** The running trial as the agent steers it. */
  private final class InFlight implements TrialControl {
    private final TrialParameters parameters;
    private final String runId;
    private volatile boolean stopAsStopped;

    InFlight(TrialParameters parameters, String runId) {
      this.parameters = parameters;
      this.runId = runId;
    }

    @Override
    public void started(TrialSpec spec, String id) {
      listener.trialStarted(parameters, id, false);
    }

    @Override
    public void batchFinished(TrialSpec spec, int epoch, int done, int total) {
      listener.batchFinished(parameters, epoch, done, total);
    }

    @Override
    public boolean epochFinished(TrialSpec spec, EpochMetrics metrics) {
      listener.epochFinished(parameters, metrics);
      return true;
    }

    @Override
    public boolean stopRequested() {
      return interrupted;
    }

    @Override
    public boolean stopAsStoppedRequested() {
      return stopAsStopped;
    }
  }

  /** Configures an {@link AgentRunner}. */
  public static final class Builder {
    private SweepAgent agent;
    private Tracker tracker;
    private TrialData data;
    private TrialExecutor executor = TrialExecutor.zoo();
    private RunnerSettings runner;
    private OptionalInt count = OptionalInt.empty();
    private Duration heartbeatInterval = SweepAgent.HEARTBEAT_INTERVAL;
    private SweepListener listener = SweepListener.NONE;

    private Builder() {}

    /** The agent, joined with {@link Tracker#sweepAgent}. */
    public Builder agent(SweepAgent a) {
      this.agent = a;
      return this;
    }

    /** Where runs are recorded (the caller closes it). */
    public Builder tracker(Tracker t) {
      this.tracker = t;
      return this;
    }

    /** The data, loaded once for every run (see {@link TrialData#resolve}). */
    public Builder data(TrialData d) {
      this.data = d;
      return this;
    }

    /** What trains a trial (default {@link TrialExecutor#zoo()}). */
    public Builder executor(TrialExecutor e) {
      this.executor = Objects.requireNonNull(e);
      return this;
    }

    /**
     * Data, split, seed, output folder and tracking, as a sweep config's {@code runner}; the
     * tracking's project and entity must be the sweep's.
     */
    public Builder runner(RunnerSettings r) {
      this.runner = r;
      return this;
    }

    /** Runs at most {@code n} runs (the official agent's {@code --count}). */
    public Builder count(OptionalInt n) {
      if (n.isPresent() && n.getAsInt() < 1) {
        throw new IllegalArgumentException("count must be >= 1, was " + n.getAsInt());
      }
      this.count = n;
      return this;
    }

    /** Time between heartbeats (default {@link SweepAgent#HEARTBEAT_INTERVAL}). */
    public Builder heartbeatInterval(Duration d) {
      this.heartbeatInterval = Objects.requireNonNull(d);
      return this;
    }

    /** Hears progress (default: nothing). */
    public Builder listener(SweepListener l) {
      this.listener = Objects.requireNonNull(l);
      return this;
    }

    /** The runner. */
    public AgentRunner build() {
      return new AgentRunner(this);
    }
  }
}
