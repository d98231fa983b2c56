package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.Hyperband;
import dev.mnistlab.experiments.sweep.SearchStrategy;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.sweep.TrialOutcome;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.TrialControl;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialExecutor;
import dev.mnistlab.experiments.trial.TrialResult;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.RegisteredSweep;
import dev.mnistlab.tracking.SweepController;
import dev.mnistlab.tracking.SweepState;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep: schedules every trial the search suggests, each a {@link TrialSpec} run by a
 * {@link TrialRunner} as a tracked run grouped by the sweep's name, with hyperband applied per
 * epoch.
 *
 * <ul>
 *   <li><b>Resumable.</b> Each run's config records the trial index and a fingerprint of the sweep
 *       (search config, content checksums of the data, split, seed). Running the same sweep again
 *       skips trials whose run finished and reruns those that failed or were interrupted.
 *   <li><b>Robust.</b> A trial that throws is recorded as failed (with its error) and the sweep goes
 *       on. {@link #interrupt()} (called from a Ctrl-C hook) stops at the next epoch boundary and
 *       writes the results with the running trials marked interrupted.
 *   <li><b>Stopping.</b> Hyperband and Ctrl-C stop a trial after an epoch; it is still evaluated
 *       on the test split and its model saved. A hyperband-stopped trial counts as finished (run
 *       state finished, summary {@code stopped_early} = true, status stopped-early, competes for
 *       the best model); a Ctrl-C'd one keeps its test metrics but its run is marked interrupted
 *       and it is rerun on resume. A trial W&amp;B asks to stop (Stop in the
 *       UI, a W&amp;B sweep's early termination: {@link dev.mnistlab.tracking.Run#isStopRequested()})
 *       ends the same way as a hyperband stop, its run recorded as stopped, and the sweep goes on.
 *   <li><b>Results.</b> After every trial, {@code results.json} and {@code results.csv} are
 *       rewritten atomically; the best trial's model is kept as {@code best-model.zip}.
 * </ul>
 */
public final class SweepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

  /** The best trial's model, in the output folder. */
  public static final String BEST_MODEL = "best-model.zip";
  /** What the best model is (trial, run id, parameters, metric), in the output folder. */
  public static final String BEST_MODEL_INFO = "best-model.json";

  private final SweepConfig config;
  private final TrialData data;
  private final TrialExecutor executor;
  private final Tracker tracker;
  private final SweepListener listener;
  private final boolean resume;
  private final String fingerprint;
  private final String legacyFingerprint;
  private final Path outputDir;
  private final BestModelKeeper bestModel;
  /** The sweep metric of the model artifact that took the alias {@code best} last. */
  private Double bestArtifactValue;
  private final Map<Integer, TrialRecord> records = new ConcurrentHashMap<>();
  private final Map<Integer, InFlight> inFlight = new ConcurrentHashMap<>();
  private final Map<Integer, List<Double>> metricHistories = new ConcurrentHashMap<>();
  private volatile boolean stopRequested;
  private volatile TrialScheduler scheduler;

  private SweepRunner(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.data = Objects.requireNonNull(b.data, "data");
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.tracker = Objects.requireNonNull(b.tracker, "tracker");
    this.listener = b.listener;
    this.resume = b.resume;
    this.outputDir = config.runner().outputDir();
    this.fingerprint = SweepFingerprint.of(config, data);
    this.legacyFingerprint = SweepFingerprint.legacy(config, data);
    this.bestModel = new BestModelKeeper(outputDir, config.sweep().metric(),
        config.runner().saveBestModel());
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The fingerprint that identifies this sweep's runs in the store (12 hex digits). */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * Runs (or resumes) the sweep and writes its results.
   *
   * @return the results, also in {@code results.json} / {@code results.csv}
   * @throws IOException when the results cannot be written
   */
  public SweepResult run() throws IOException {
    Files.createDirectories(outputDir);
    String sweepName = config.sweep().name();
    Map<Integer, TrialRecord> previous = resume
        ? PreviousRuns.find(tracker, config, List.of(fingerprint, legacyFingerprint))
        : Map.of();
    if (!previous.isEmpty()) {
      LOG.info("resuming sweep {}: {} trial(s) finished earlier are skipped", sweepName,
          previous.size());
    }
    Optional<String> wandbSweep = registerOnWandb();
    Provenance provenance = RunRecordCodec.withSweepConfig(Provenance.capture(),
        LocalStore.redact(config.text()));
    TrialRunner trialRunner = TrialRunner.builder().tracker(tracker).executor(executor)
        .provenance(provenance)
        .build();
    // runner.spark: the trials run as Spark tasks (mnist-spark); else on threads of this JVM
    TrialScheduler trials = config.runner().spark().isPresent()
        ? TrialSchedulers.openSpark(new SchedulerRequest(config.runner().spark().get(),
            sweepName, data, tracker, provenance))
        : TrialScheduler.local(trialRunner, data, config.runner().parallelTrials());
    scheduler = trials;
    SearchStrategy search = SearchStrategy.forSweep(config.sweep(), config.runner().seed());
    List<TrialOutcome> outcomes = new CopyOnWriteArrayList<>();
    int parallel = trials.slots();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "mnistlab-trial");
      t.setDaemon(true);
      return t;
    });
    ExecutorCompletionService<TrialRecord> completion = new ExecutorCompletionService<>(pool);
    int running = 0;
    int index = 0;
    boolean exhausted = false;
    try {
      while (true) {
        while (!exhausted && !stopRequested && !targetReached() && running < parallel) {
          TrialRecord done = previous.get(index);
          if (done != null) {
            TrialParameters parameters = TrialParametersCodec.fromConfig(index, done.parameters(),
                config.sweep().parameters());
            records.put(index, done);
            metricHistories.put(index, metricValues(done.history()));
            outcomes.add(new TrialOutcome(parameters, done.metric()));
            listener.trialStarted(parameters, done.runId(), true);
            listener.trialFinished(done);
            index++;
            continue;
          }
          Optional<TrialParameters> next = search.suggest(index, List.copyOf(outcomes));
          if (next.isEmpty()) {
            exhausted = true;
            break;
          }
          TrialParameters parameters = next.get();
          if (!claim(index)) {
            LOG.info("trial {} of sweep {} is run by another process; skipped", index + 1,
                sweepName);
            index++;
            continue;
          }
          completion.submit(() -> runTrial(trials, parameters, wandbSweep));
          running++;
          index++;
        }
        if (running == 0) {
          break;
        }
        TrialRecord record = take(completion);
        running--;
        records.put(record.index(), record);
        outcomes.add(new TrialOutcome(
            TrialParametersCodec.fromConfig(record.index(), record.parameters(),
                config.sweep().parameters()),
            record.status().isComplete() ? record.metric() : OptionalDouble.empty()));
        writeResults(false);
      }
    } finally {
      pool.shutdownNow();
      trials.close();
    }
    if (resume) {
      // trials another process ran for this sweep meanwhile are part of its results too
      PreviousRuns.find(tracker, config, List.of(fingerprint, legacyFingerprint))
          .forEach(records::putIfAbsent);
    }
    SweepResult result = writeResults(stopRequested);
    wandbSweep.ifPresent(key -> tracker.sweepState(key,
        stopRequested ? SweepState.CANCELED : SweepState.FINISHED));
    deleteWorkDirs();
    listener.sweepFinished(result);
    return result;
  }

  /**
   * Asks the sweep to stop (Ctrl-C): no new trials start, running ones stop at their next epoch,
   * and the results are written now with the running trials marked interrupted.
   */
  public void interrupt() {
    stopRequested = true;
    TrialScheduler trials = scheduler;
    if (trials != null) {
      trials.interrupt();
    }
    try {
      writeResults(true);
    } catch (IOException e) {
      LOG.warn("could not write the results while stopping: {}", e.getMessage());
    }
  }

  /**
   * Claims trial {@code index} in the store so that processes running this sweep at the same time
   * (same project, name and fingerprint) train each trial once: a trial held by another live
   * process is left to it, one whose process is gone is taken over. Without resume every trial
   * runs, as asked.
   */
  private boolean claim(int index) {
    return !resume || tracker.store().claimTrial(claimKey(), index);
  }

  private String claimKey() {
    return config.runner().tracking().project() + "/" + config.sweep().name() + "/" + fingerprint;
  }

  private boolean targetReached() {
    SweepMetric metric = config.sweep().metric();
    return records.values().stream().anyMatch(r -> r.status().isComplete()
        && r.metric().isPresent() && metric.reachesTarget(r.metric().getAsDouble()));
  }

  private static TrialRecord take(ExecutorCompletionService<TrialRecord> completion) {
    try {
      Future<TrialRecord> future = completion.take();
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a trial", e);
    } catch (ExecutionException e) {
      // the trial runner records what a trial throws; what escapes it is about the sweep as a
      // whole, e.g. the tracker refusing to start a run (bad W&B key, unwritable store): stop
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("trial bookkeeping failed", e.getCause());
    }
  }

  /**
   * With W&amp;B on (online or offline), records the sweep as a W&amp;B sweep with mnistlab as its
   * local controller and registers it (a resumed sweep finds its W&amp;B sweep under the same key):
   * its trials' runs are attached to it. Returns its key in the store.
   */
  private Optional<String> registerOnWandb() {
    if (!tracker.recordsForWandb()) {
      return Optional.empty();
    }
    // the same key as the trial claims: the sweep's project, name and fingerprint
    RegisteredSweep sweep = tracker.registerSweep(WandbSweeps.registration(tracker, config,
        claimKey(), SweepController.LOCAL));
    listener.sweepRegistered(sweep.url());
    return Optional.of(sweep.key());
  }

  private TrialRecord runTrial(TrialScheduler trials, TrialParameters parameters,
      Optional<String> wandbSweep) throws IOException {
    int index = parameters.index();
    TrialSpec spec = TrialSpecs.of(config, parameters, data.contentChecksums(), fingerprint)
        .toBuilder().wandbSweep(wandbSweep).build();
    Path workDir = outputDir.resolve(".trials").resolve("trial-" + (index + 1));
    metricHistories.put(index, new CopyOnWriteArrayList<>());
    InFlight control = new InFlight(parameters);
    inFlight.put(index, control);
    TrialResult result;
    try {
      result = trials.run(spec, workDir, control);
    } finally {
      inFlight.remove(index);
    }
    TrialRecord record = new TrialRecord(index, result.runId(), parameters.toConfigMap(),
        result.status(), result.lastValue(config.sweep().metric().name()), result.history(),
        result.testMetrics(), result.seconds(), false, result.error());
    listener.trialFinished(record);
    if (record.status().isComplete()) {
      bestModel.offer(record, result.model());
      if (resume) {
        tracker.store().completeTrial(claimKey(), index);
      }
    }
    return record;
  }

  private synchronized SweepResult writeResults(boolean interrupted) throws IOException {
    Map<Integer, TrialRecord> all = new TreeMap<>(records);
    if (interrupted) {
      for (InFlight c : inFlight.values()) {
        c.runId.ifPresent(runId -> all.putIfAbsent(c.parameters.index(), new TrialRecord(
            c.parameters.index(), runId, c.parameters.toConfigMap(), TrialStatus.INTERRUPTED,
            OptionalDouble.empty(), List.copyOf(c.history), Map.of(), 0, false,
            Optional.of("interrupted"))));
      }
    }
    SweepResult result = new SweepResult(config.sweep().name(), config.sweep().metric(),
        new ArrayList<>(all.values()), outputDir,
        LocalStore.redact(config.runner().tracking().store()), interrupted);
    ResultsFiles.write(result);
    return result;
  }

  /**
   * Deletes the work folders of the trials this process ran, then {@code .trials} if nothing is
   * left in it: another process running the same sweep may still train in its own folder there.
   */
  private void deleteWorkDirs() {
    Path trials = outputDir.resolve(".trials");
    if (!Files.isDirectory(trials)) {
      return;
    }
    for (TrialRecord r : records.values()) {
      if (!r.resumed()) {
        deleteTree(trials.resolve("trial-" + (r.index() + 1)));
      }
    }
    try {
      Files.deleteIfExists(trials);
    } catch (IOException e) {
      LOG.debug("kept {}: {}", trials, e.getMessage());
    }
  }

  /** Deletes a folder and what it holds, as far as it can (what is left is only logged). */
  static void deleteTree(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("could not delete {}: {}", dir, e.getMessage());
    }
  }

  private List<Double> metricValues(List<Map<String, Double>> history) {
    List<Double> values = new ArrayList<>();
    for (Map<String, Double> epoch : history) {
      Double v = epoch.get(config.sweep().metric().name());
      if (v != null) {
        values.add(v);
      }
    }
    return values;
  }

  /**
   * True when {@code value} beats every trial model logged as an artifact so far (it then becomes
   * the one holding the alias {@code best}).
   */
  private synchronized boolean claimBestArtifact(double value) {
    if (Double.isNaN(value) || (bestArtifactValue != null
        && !config.sweep().metric().goal().isBetter(value, bestArtifactValue))) {
      return false;
    }
    bestArtifactValue = value;
    return true;
  }

  /** A running trial as the sweep follows it: progress, hyperband, Ctrl-C. */
  private final class InFlight implements TrialControl {
    private final TrialParameters parameters;
    private final List<Map<String, Double>> history = new CopyOnWriteArrayList<>();
    private volatile Optional<String> runId = Optional.empty();

    InFlight(TrialParameters parameters) {
      this.parameters = parameters;
    }

    @Override
    public void started(TrialSpec spec, String id) {
      runId = Optional.of(id);
      listener.trialStarted(parameters, id, false);
    }

    @Override
    public void attemptLost(TrialSpec spec, String lostRunId) {
      // the retry starts from epoch 1: hyperband and the interrupted record see its epochs only
      history.clear();
      List<Double> mine = metricHistories.get(parameters.index());
      if (mine != null) {
        mine.clear();
      }
    }

    @Override
    public void batchFinished(TrialSpec spec, int epoch, int done, int total) {
      listener.batchFinished(parameters, epoch, done, total);
    }

    @Override
    public boolean stopRequested() {
      return stopRequested;
    }

    @Override
    public boolean bestSoFar(TrialSpec spec, List<Map<String, Double>> trialHistory) {
      for (int i = trialHistory.size() - 1; i >= 0; i--) {
        Double v = trialHistory.get(i).get(config.sweep().metric().name());
        if (v != null) {
          return claimBestArtifact(v);
        }
      }
      return false;
    }

    @Override
    public boolean epochFinished(TrialSpec spec, EpochMetrics metrics) {
      Map<String, Double> epoch = metrics.toNumbers();
      history.add(epoch);
      OptionalDouble value = metrics.get(config.sweep().metric().name());
      List<Double> mine = metricHistories.get(parameters.index());
      if (value.isPresent()) {
        mine.add(value.getAsDouble());
      }
      listener.epochFinished(parameters, metrics);
      if (stopRequested) {
        return true;  // the trial runner stops it as interrupted, not as stopped early
      }
      Optional<Hyperband> hyperband = config.sweep().hyperband();
      boolean lastEpoch = metrics.epoch() >= spec.epochs();
      // stopping after the last planned epoch would change nothing but the trial's status
      if (hyperband.isPresent() && value.isPresent() && !lastEpoch) {
        Collection<List<Double>> all = List.copyOf(metricHistories.values());
        if (hyperband.get().shouldStop(config.sweep().metric().goal(), List.copyOf(mine), all)) {
          LOG.info("hyperband stops trial {} after epoch {}", parameters.index() + 1,
              metrics.epoch());
          return false;
        }
      }
      return true;
    }
  }

  /** Configures a {@link SweepRunner}. */
  public static final class Builder {
    private SweepConfig config;
    private TrialData data;
    private TrialExecutor executor = TrialExecutor.zoo();
    private Tracker tracker;
    private SweepListener listener = SweepListener.NONE;
    private boolean resume = true;

    private Builder() {}

    /** Whether trials finished by an earlier invocation are skipped (default true). */
    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** The sweep to run (with any command-line overrides applied). */
    public Builder config(SweepConfig config) {
      this.config = config;
      return this;
    }

    /** The sweep's data (see {@link TrialData#resolve}). */
    public Builder data(TrialData data) {
      this.data = data;
      return this;
    }

    /** What trains a trial (default {@link TrialExecutor#zoo()}). */
    public Builder executor(TrialExecutor executor) {
      this.executor = executor;
      return this;
    }

    /** Where runs are recorded (the caller closes it). */
    public Builder tracker(Tracker tracker) {
      this.tracker = tracker;
      return this;
    }

    /** Hears progress (default: nothing). */
    public Builder listener(SweepListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /** The runner. */
    public SweepRunner build() {
      return new SweepRunner(this);
    }
  }
}
