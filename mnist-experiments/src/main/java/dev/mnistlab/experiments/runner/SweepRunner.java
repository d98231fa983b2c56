package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.internal.AtomicFiles;
import dev.mnistlab.experiments.sweep.Hyperband;
import dev.mnistlab.experiments.sweep.SearchStrategy;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.sweep.SweepParameter;
import dev.mnistlab.experiments.sweep.TrialOutcome;
import dev.mnistlab.experiments.sweep.TrackingSettings;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.tracking.HistoryRow;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.MetricPoint;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import dev.mnistlab.tracking.dl4j.TrackingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
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
 * Runs a sweep: every trial the search suggests, each as a tracked run grouped by the sweep's
 * name, with hyperband applied per epoch.
 *
 * <ul>
 *   <li><b>Resumable.</b> Each run's config records the trial index and a fingerprint of the sweep
 *       (search config, content checksums of the data, split, seed). Running the same sweep again
 *       skips trials whose run finished and reruns those that failed or were interrupted.
 *   <li><b>Robust.</b> A trial that throws is recorded as failed (with its error) and the sweep goes
 *       on. {@link #interrupt()} (called from a Ctrl-C hook) stops at the next epoch boundary and
 *       writes the results with the running trials marked interrupted.
 *   <li><b>Stopping.</b> Hyperband and Ctrl-C stop a trial through {@link
 *       Trial#epochFinished} returning false; the executor ends training after that epoch and
 *       still evaluates on the test split and saves the model. A hyperband-stopped trial counts
 *       as finished (run state finished, summary {@value #SUMMARY_STOPPED_EARLY} = true, status
 *       stopped-early, competes for the best model); a Ctrl-C'd one keeps its test metrics but its
 *       run is marked interrupted and it is rerun on resume. A trial W&amp;B asks to stop (Stop in the
 *       UI, a W&amp;B sweep's early termination: {@link Run#isStopRequested()}) ends the same way
 *       as a hyperband stop, its run recorded as stopped, and the sweep goes on.
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

  /** Run config key: the trial's index (from 0). */
  public static final String CONFIG_TRIAL = "trial";
  /** Run config key: the sweep's name. */
  public static final String CONFIG_SWEEP = "sweep";
  /** Run config key: the sweep's fingerprint, which identifies resumable runs. */
  public static final String CONFIG_FINGERPRINT = "sweep_fingerprint";
  /** Summary key: whether hyperband stopped the trial. */
  public static final String SUMMARY_STOPPED_EARLY = "stopped_early";

  private final SweepConfig config;
  private final SweepData data;
  private final TrialExecutor executor;
  private final Tracker tracker;
  private final SweepListener listener;
  private final boolean resume;
  private final String fingerprint;
  private final String legacyFingerprint;
  private final Path outputDir;
  private final Map<Integer, TrialRecord> records = new ConcurrentHashMap<>();
  private final Map<Integer, TrialContext> inFlight = new ConcurrentHashMap<>();
  private final Map<Integer, List<Double>> metricHistories = new ConcurrentHashMap<>();
  private final Map<Integer, Throwable> failures = new ConcurrentHashMap<>();
  private volatile boolean stopRequested;
  private Optional<Double> bestModelMetric = Optional.empty();

  private SweepRunner(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.data = Objects.requireNonNull(b.data, "data");
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.tracker = Objects.requireNonNull(b.tracker, "tracker");
    this.listener = b.listener;
    this.resume = b.resume;
    this.outputDir = config.runner().outputDir();
    this.fingerprint = fingerprint(config, data);
    this.legacyFingerprint = legacyFingerprint(config, data);
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
    Map<Integer, TrialRecord> previous = resume ? previousRuns() : Map.of();
    if (!previous.isEmpty()) {
      LOG.info("resuming sweep {}: {} trial(s) finished earlier are skipped", sweepName,
          previous.size());
    }
    Provenance baseProvenance = Provenance.capture();
    SearchStrategy search = SearchStrategy.forSweep(config.sweep(), config.runner().seed());
    List<TrialOutcome> outcomes = new CopyOnWriteArrayList<>();
    int parallel = config.runner().parallelTrials();
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
            LOG.info("trial {} of sweep {} is run by another process; skipped", index + 1, sweepName);
            index++;
            continue;
          }
          completion.submit(() -> runTrial(parameters, baseProvenance));
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
    }
    if (resume) {
      // trials another process ran for this sweep meanwhile are part of its results too
      previousRuns().forEach(records::putIfAbsent);
    }
    SweepResult result = writeResults(stopRequested);
    deleteWorkDirs();
    listener.sweepFinished(result);
    return result;
  }

  /**
   * What made trial {@code index} fail in this invocation, if it did: lets a caller running one
   * trial ({@code mnistlab train}) tell a user's error (a full disk: an {@link IOException}) from
   * a bug.
   */
  public Optional<Throwable> failure(int index) {
    return Optional.ofNullable(failures.get(index));
  }

  /**
   * Asks the sweep to stop (Ctrl-C): no new trials start, running ones stop at their next epoch,
   * and the results are written now with the running trials marked interrupted.
   */
  public void interrupt() {
    stopRequested = true;
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
      // runTrial records what a trial throws; what escapes it is about the sweep as a whole,
      // e.g. the tracker refusing to start a run (bad W&B key, unwritable store): stop the sweep
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("trial bookkeeping failed", e.getCause());
    }
  }

  private TrialRecord runTrial(TrialParameters parameters, Provenance baseProvenance) {
    int index = parameters.index();
    String sweepName = config.sweep().name();
    long seed = parameters.seed().orElse(config.runner().seed());
    // the parameters flattened (a variant's keys are parameters of the trial), and the variant
    // object itself as W&B would record it
    Map<String, Object> runConfig = new LinkedHashMap<>(parameters.toConfigMap());
    parameters.variant().ifPresent(v -> runConfig.put(SweepParameter.VARIANT.configName(), v));
    runConfig.put(CONFIG_SWEEP, sweepName);
    runConfig.put(CONFIG_TRIAL, index);
    runConfig.put(CONFIG_FINGERPRINT, fingerprint);
    runConfig.put("dataset", data.name());
    runConfig.put("train_size", data.train().count());
    runConfig.put("validation_size", data.validation().count());
    runConfig.put("test_size", data.test().count());
    runConfig.putIfAbsent(SweepParameter.SEED.configName(), seed);
    RunSpec spec = projectSpec()
        .name(sweepName + "-t" + (index + 1))
        .group(sweepName)
        .jobType("sweep-trial")
        .tags(config.runner().tracking().tags())
        .notes(config.sweep().description())
        .config(runConfig)
        .build();
    long started = System.nanoTime();
    Run run = tracker.start(spec);
    TrialContext context = new TrialContext(parameters, seed, run,
        outputDir.resolve(".trials").resolve("trial-" + (index + 1)));
    inFlight.put(index, context);
    listener.trialStarted(parameters, run.id(), false);
    try {
      run.provenance(baseProvenance.toBuilder()
          .extra("dataset", data.name())
          .extra("dataset_checksums", data.checksums())
          .extra("dataset_content_checksums", data.contentChecksums())
          .extra("resolved_config", runConfig)
          .extra("seed", seed)
          .extra("sweep_config", LocalStore.redact(config.text()))
          .build());
      Files.createDirectories(context.workDir());
      TrialResult result = executor.execute(context);
      TrialStatus status = stopRequested ? TrialStatus.INTERRUPTED
          : context.stoppedEarly() ? TrialStatus.STOPPED_EARLY : TrialStatus.FINISHED;
      run.summary(SUMMARY_STOPPED_EARLY, context.stoppedEarly());
      TrialRecord record = record(context, status, result.testMetrics(), started, Optional.empty());
      if (status.isComplete()) {
        keepIfBest(record, result.model());
        run.finish(0);
        if (resume) {
          tracker.store().completeTrial(claimKey(), index);
        }
      } else {
        run.finish(RunState.INTERRUPTED, 130);
      }
      return record;
    } catch (Throwable e) {
      String message = e.getClass().getSimpleName() + ": " + Objects.toString(e.getMessage(), "");
      if (stopRequested) {
        run.finish(RunState.INTERRUPTED, 130);
        return record(context, TrialStatus.INTERRUPTED, Map.of(), started, Optional.of(message));
      }
      failures.put(index, e);
      LOG.warn("trial {} ({}) failed: {}", index + 1, parameters.toConfigMap(), message);
      LOG.debug("trial failure", e);
      run.fail(e);
      return record(context, TrialStatus.FAILED, Map.of(), started, Optional.of(message));
    } finally {
      inFlight.remove(index);
      try {
        run.close();
      } catch (RuntimeException e) {
        LOG.warn("closing run {}: {}", run.id(), e.getMessage());
      }
    }
  }

  private TrialRecord record(TrialContext context, TrialStatus status,
      Map<String, Double> testMetrics, long startedNanos, Optional<String> error) {
    List<Double> metricValues = metricHistories.getOrDefault(context.parameters.index(), List.of());
    OptionalDouble metric = metricValues.isEmpty() ? OptionalDouble.empty()
        : OptionalDouble.of(metricValues.get(metricValues.size() - 1));
    TrialRecord record = new TrialRecord(context.parameters.index(), context.run.id(),
        context.parameters.toConfigMap(), status, metric, List.copyOf(context.history),
        testMetrics, (System.nanoTime() - startedNanos) / 1e9, false, error);
    listener.trialFinished(record);
    return record;
  }

  private synchronized void keepIfBest(TrialRecord record, Optional<Path> model)
      throws IOException {
    if (model.isEmpty() || !Files.exists(model.get()) || record.metric().isEmpty()) {
      return;
    }
    double value = record.metric().getAsDouble();
    boolean better = bestModelMetric.isEmpty()
        || config.sweep().metric().goal().isBetter(value, bestModelMetric.get());
    if (better && config.runner().saveBestModel()) {
      Files.move(model.get(), outputDir.resolve(BEST_MODEL), StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.makeReadable(outputDir.resolve(BEST_MODEL));
      bestModelMetric = Optional.of(value);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("trial", record.index() + 1);
      info.put("run_id", record.runId());
      info.put(config.sweep().metric().name(), value);
      info.put("parameters", record.parameters());
      AtomicFiles.writeString(outputDir.resolve(BEST_MODEL_INFO),
          new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
              .writeValueAsString(info));
    } else {
      Files.deleteIfExists(model.get());
    }
  }

  private synchronized SweepResult writeResults(boolean interrupted) throws IOException {
    Map<Integer, TrialRecord> all = new TreeMap<>(records);
    if (interrupted) {
      for (TrialContext c : inFlight.values()) {
        all.putIfAbsent(c.parameters.index(), new TrialRecord(c.parameters.index(), c.run.id(),
            c.parameters.toConfigMap(), TrialStatus.INTERRUPTED, OptionalDouble.empty(),
            List.copyOf(c.history), Map.of(), 0, false, Optional.of("interrupted")));
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

  private static void deleteTree(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
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

  /**
   * A spec builder with the sweep's project: set explicitly (config) it wins over
   * {@code WANDB_PROJECT}; mnistlab's default does not.
   */
  private RunSpec.Builder projectSpec() {
    TrackingSettings tracking = config.runner().tracking();
    RunSpec.Builder b = RunSpec.builder();
    return tracking.projectSet() ? b.project(tracking.project()) : b.defaultProject(tracking.project());
  }

  /** The trials of this sweep that finished in earlier invocations, by index. */
  private Map<Integer, TrialRecord> previousRuns() {
    LocalStore store = tracker.store();
    Map<Integer, TrialRecord> found = new TreeMap<>();
    List<RunRecord> runs = new ArrayList<>();
    for (RunState done : List.of(RunState.FINISHED, RunState.STOPPED)) {
      runs.addAll(store.runs(RunQuery.builder()
          .project(tracker.resolve(projectSpec().build()).project())
          .group(config.sweep().name())
          .state(done)
          .limit(100_000)
          .build()));
    }
    for (RunRecord run : runs) {
      Map<String, Object> runConfig = store.config(run.id());
      String recorded = String.valueOf(runConfig.get(CONFIG_FINGERPRINT));
      // runs recorded before fingerprints used content checksums still resume on the same files
      if (!(fingerprint.equals(recorded) || legacyFingerprint.equals(recorded))
          || !(runConfig.get(CONFIG_TRIAL) instanceof Number trial)) {
        continue;
      }
      int index = trial.intValue();
      if (found.containsKey(index)) {
        continue;
      }
      Map<String, Object> summary = store.summary(run.id());
      List<Map<String, Double>> history = new ArrayList<>();
      for (HistoryRow row : store.history(run.id())) {
        if (row.values().containsKey(MetricKeys.EPOCH)) {
          Map<String, Double> epoch = new LinkedHashMap<>();
          row.values().forEach((k, v) -> {
            if (v instanceof Number n) {
              epoch.put(k, n.doubleValue());
            }
          });
          history.add(epoch);
        }
      }
      List<MetricPoint> points = store.metric(run.id(), config.sweep().metric().name());
      OptionalDouble metric = points.isEmpty() ? OptionalDouble.empty()
          : OptionalDouble.of(points.get(points.size() - 1).value());
      Map<String, Double> test = new LinkedHashMap<>();
      summary.forEach((k, v) -> {
        if (k.startsWith("test_") && v instanceof Number n) {
          test.put(k, n.doubleValue());
        }
      });
      boolean stoppedEarly = Boolean.TRUE.equals(summary.get(SUMMARY_STOPPED_EARLY));
      TrialParameters parameters = TrialParametersCodec.fromConfig(index, runConfig,
          config.sweep().parameters());
      found.put(index, new TrialRecord(index, run.id(), parameters.toConfigMap(),
          stoppedEarly ? TrialStatus.STOPPED_EARLY : TrialStatus.FINISHED, metric, history, test,
          run.duration().toMillis() / 1000.0, true, Optional.empty()));
    }
    return found;
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
   * SHA-256 over what makes trials comparable: the search config, the data (its decompressed
   * content checksums, keyed by file name without {@code .gz}, so a download, Debian's re-gzipped
   * copy and an uncompressed copy of the same data agree) and its split.
   */
  static String fingerprint(SweepConfig config, SweepData data) {
    Map<String, String> content = new TreeMap<>();
    data.contentChecksums().forEach((file, sha) -> content.put(
        file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file, sha));
    return fingerprint(config, data, content);
  }

  /**
   * The fingerprint as recorded before content checksums: over the files' own checksums. Matched
   * too when resuming, so older results keep resuming on the same files.
   */
  static String legacyFingerprint(SweepConfig config, SweepData data) {
    return fingerprint(config, data, new TreeMap<>(data.checksums()));
  }

  private static String fingerprint(SweepConfig config, SweepData data,
      Map<String, String> checksums) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(config.sweep().wandbConfig().toString().getBytes(StandardCharsets.UTF_8));
      sha.update(checksums.toString().getBytes(StandardCharsets.UTF_8));
      String split = data.train().count() + "/" + data.validation().count() + "/"
          + data.test().count() + "/" + config.runner().seed();
      sha.update(split.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }

  /** The {@link Trial} handed to the executor. */
  private final class TrialContext implements Trial {
    private final TrialParameters parameters;
    private final long seed;
    private final Run run;
    private final Path workDir;
    private final TrackingListener trackingListener;
    private final List<Map<String, Double>> history = new CopyOnWriteArrayList<>();
    private volatile boolean stoppedByHyperband;
    private volatile boolean stoppedByWandb;

    /** Hyperband or W&amp;B ended the trial before its last epoch. */
    boolean stoppedEarly() {
      return stoppedByHyperband || stoppedByWandb;
    }

    TrialContext(TrialParameters parameters, long seed, Run run, Path workDir) {
      this.parameters = parameters;
      this.seed = seed;
      this.run = run;
      this.workDir = workDir;
      this.trackingListener = TrackingListener.builder(run).epochsRecordedByCaller().build();
      metricHistories.put(parameters.index(), new CopyOnWriteArrayList<>());
    }

    @Override
    public TrialParameters parameters() {
      return parameters;
    }

    @Override
    public long seed() {
      return seed;
    }

    @Override
    public SweepData data() {
      return data;
    }

    @Override
    public Run run() {
      return run;
    }

    @Override
    public TrackingListener trackingListener() {
      return trackingListener;
    }

    @Override
    public Path workDir() {
      return workDir;
    }

    @Override
    public void batchFinished(int epoch, int batchesDone, int batchesTotal) {
      listener.batchFinished(parameters, epoch, batchesDone, batchesTotal);
    }

    @Override
    public boolean epochFinished(EpochMetrics metrics) {
      trackingListener.recordEpoch(metrics);
      Map<String, Double> epoch = new LinkedHashMap<>();
      metrics.toMap().forEach((k, v) -> {
        if (v instanceof Number n) {
          epoch.put(k, n.doubleValue());
        }
      });
      epoch.put(MetricKeys.EPOCH, (double) metrics.epoch());
      history.add(epoch);
      OptionalDouble value = metrics.get(config.sweep().metric().name());
      List<Double> mine = metricHistories.get(parameters.index());
      if (value.isPresent()) {
        mine.add(value.getAsDouble());
      }
      listener.epochFinished(parameters, metrics);
      if (stopRequested) {
        return false;
      }
      if (run.isStopRequested()) {
        // W&B asked (Stop in the UI, its sweep's early termination): end after this epoch
        LOG.info("W&B stops trial {} after epoch {}", parameters.index() + 1, metrics.epoch());
        stoppedByWandb = true;
        return false;
      }
      Optional<Hyperband> hyperband = config.sweep().hyperband();
      boolean lastEpoch = parameters.epochs().isPresent()
          && metrics.epoch() >= parameters.epochs().getAsInt();
      // stopping after the last planned epoch would change nothing but the trial's status
      if (hyperband.isPresent() && value.isPresent() && !lastEpoch) {
        Collection<List<Double>> all = List.copyOf(metricHistories.values());
        if (hyperband.get().shouldStop(config.sweep().metric().goal(), List.copyOf(mine), all)) {
          LOG.info("hyperband stops trial {} after epoch {}", parameters.index() + 1,
              metrics.epoch());
          stoppedByHyperband = true;
          return false;
        }
      }
      return true;
    }
  }

  /** Configures a {@link SweepRunner}. */
  public static final class Builder {
    private SweepConfig config;
    private SweepData data;
    private TrialExecutor executor;
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

    /** The sweep's data (see {@link SweepData#resolve}). */
    public Builder data(SweepData data) {
      this.data = data;
      return this;
    }

    /** What trains a trial. */
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
