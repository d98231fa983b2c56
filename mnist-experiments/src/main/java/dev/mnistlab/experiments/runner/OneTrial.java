package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.sweep.SweepParameter;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.SweepMembership;
import dev.mnistlab.experiments.trial.TrialControl;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialExecutor;
import dev.mnistlab.experiments.trial.TrialResult;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link TrialSpec} on its own ({@code mnistlab train}, {@code mnistlab rerun}): the
 * trial through the {@link TrialRunner}, its model saved as {@value TrialRunner#MODEL_FILE} in the
 * output folder, and its results written there as a sweep's are ({@code results.json}, {@code
 * results.csv}), so the report and {@code runs} read it like any sweep.
 */
public final class OneTrial {
  private static final Logger LOG = LoggerFactory.getLogger(OneTrial.class);

  private final TrialSpec spec;
  private final SweepMembership membership;
  private final TrialData data;
  private final Tracker tracker;
  private final TrialExecutor executor;
  private final Path outputDir;
  private final SweepListener listener;
  private final TrialParameters parameters;
  private final List<Map<String, Double>> history = new CopyOnWriteArrayList<>();
  private volatile boolean stopRequested;
  private volatile Optional<String> runId = Optional.empty();
  private volatile boolean done;
  private volatile Optional<Throwable> failure = Optional.empty();

  private OneTrial(Builder b) {
    this.spec = Objects.requireNonNull(b.spec, "spec");
    this.membership = spec.membership().orElseThrow(() -> new IllegalArgumentException(
        "a trial run on its own needs a sweep membership (see OneTrial.ownSweep)"));
    this.data = Objects.requireNonNull(b.data, "data");
    this.tracker = Objects.requireNonNull(b.tracker, "tracker");
    this.executor = b.executor;
    this.outputDir = Objects.requireNonNull(b.outputDir, "outputDir");
    this.listener = b.listener;
    this.parameters = parameters(membership);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code spec} as the only trial of a sweep of its own named {@code name}, ranked by {@code
   * val_accuracy}: what {@code train} records (run {@code NAME-t1} in group {@code NAME}).
   */
  public static TrialSpec ownSweep(TrialSpec spec, String name) {
    return inSweep(spec, name, "val_accuracy", true, RunRecordCodec.ownParameters(spec),
        Optional.empty());
  }

  /**
   * {@code spec} as the only trial of a sweep named {@code name}, with the recorded parameters
   * and metric of another trial (what {@code rerun} records).
   */
  public static TrialSpec inSweep(TrialSpec spec, String name, String metric, boolean maximize,
      Map<String, Object> recordedParameters, Optional<Map<String, Object>> variant) {
    TrialSpec withoutMembership = TrialSpec.builder(spec.model()).epochs(spec.epochs())
        .batchSize(spec.batchSize()).seed(spec.seed()).learningRate(spec.learningRate())
        .dropout(spec.dropout()).l2(spec.l2()).optimizer(spec.optimizer())
        .lrSchedule(spec.lrSchedule()).augment(spec.augment()).data(spec.data())
        .tracking(spec.tracking()).build();
    String fingerprint = SweepFingerprint.ofText(name + withoutMembership.toJson());
    return spec.toBuilder().membership(new SweepMembership(name, 0, fingerprint, "", metric,
        maximize, recordedParameters, variant)).build();
  }

  /**
   * Runs the trial and writes its results.
   *
   * @throws IOException when the results cannot be written
   */
  public SweepResult run() throws IOException {
    Files.createDirectories(outputDir);
    TrialRunner runner = TrialRunner.builder().tracker(tracker).executor(executor).build();
    TrialResult result;
    try {
      result = runner.run(spec, data, outputDir, new Control());
    } finally {
      done = true;
    }
    failure = result.failure();
    TrialRecord record = new TrialRecord(0, result.runId(), membership.parameters(),
        result.status(), result.lastValue(membership.metric()), result.history(),
        result.testMetrics(), result.seconds(), false, result.error());
    listener.trialFinished(record);
    SweepResult sweepResult = write(record, stopRequested);
    listener.sweepFinished(sweepResult);
    return sweepResult;
  }

  /** The exception the trial failed with, once {@link #run()} returned a failed trial. */
  public Optional<Throwable> failure() {
    return failure;
  }

  /**
   * Asks the trial to stop (Ctrl-C) after its current epoch; the results are written now with the
   * trial marked interrupted.
   */
  public void interrupt() {
    stopRequested = true;
    Optional<String> id = runId;
    if (id.isPresent() && !done) {
      try {
        write(new TrialRecord(0, id.get(), membership.parameters(), TrialStatus.INTERRUPTED,
            OptionalDouble.empty(), List.copyOf(history), Map.of(), 0, false,
            Optional.of("interrupted")), true);
      } catch (IOException e) {
        LOG.warn("could not write the results while stopping: {}", e.getMessage());
      }
    }
  }

  /** The metric a sweep membership ranks by. */
  public static SweepMetric metric(SweepMembership m) {
    return new SweepMetric(m.metric(), m.maximize() ? Goal.MAXIMIZE : Goal.MINIMIZE,
        OptionalDouble.empty());
  }

  private synchronized SweepResult write(TrialRecord record, boolean interrupted)
      throws IOException {
    SweepResult result = new SweepResult(membership.sweep(), metric(membership),
        List.of(record), outputDir, LocalStore.redact(spec.tracking().store()), interrupted);
    ResultsFiles.write(result);
    return result;
  }

  /** The recorded parameters as the sweep listener's type (for progress lines). */
  private static TrialParameters parameters(SweepMembership m) {
    Map<SweepParameter, Object> values = new LinkedHashMap<>();
    m.variant().ifPresent(v -> values.put(SweepParameter.VARIANT, v));
    m.parameters().forEach((k, v) -> SweepParameter.fromConfigName(k)
        .filter(p -> m.variant().map(variant -> !variant.containsKey(k)).orElse(true))
        .ifPresent(p -> values.put(p, v)));
    return new TrialParameters(m.index(), values);
  }

  private final class Control implements TrialControl {
    @Override
    public void started(TrialSpec s, String id) {
      runId = Optional.of(id);
      listener.trialStarted(parameters, id, false);
    }

    @Override
    public void batchFinished(TrialSpec s, int epoch, int doneBatches, int total) {
      listener.batchFinished(parameters, epoch, doneBatches, total);
    }

    @Override
    public boolean epochFinished(TrialSpec s, EpochMetrics metrics) {
      Map<String, Double> epoch = metrics.toNumbers();
      history.add(epoch);
      listener.epochFinished(parameters, metrics);
      return true;
    }

    @Override
    public boolean stopRequested() {
      return stopRequested;
    }
  }

  /** Configures a {@link OneTrial}. */
  public static final class Builder {
    private TrialSpec spec;
    private TrialData data;
    private Tracker tracker;
    private TrialExecutor executor = TrialExecutor.zoo();
    private Path outputDir;
    private SweepListener listener = SweepListener.NONE;

    private Builder() {}

    /** The trial (with a sweep membership, e.g. from {@link OneTrial#ownSweep}). */
    public Builder spec(TrialSpec s) {
      this.spec = s;
      return this;
    }

    /** The spec's data, loaded. */
    public Builder data(TrialData d) {
      this.data = d;
      return this;
    }

    /** Where the run is recorded (the caller closes it). */
    public Builder tracker(Tracker t) {
      this.tracker = t;
      return this;
    }

    /** What trains the trial (default {@link TrialExecutor#zoo()}). */
    public Builder executor(TrialExecutor e) {
      this.executor = Objects.requireNonNull(e, "executor");
      return this;
    }

    /** The folder for the model and the results. */
    public Builder outputDir(Path dir) {
      this.outputDir = dir;
      return this;
    }

    /** Hears progress (default: nothing). */
    public Builder listener(SweepListener l) {
      this.listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    /** The runner. */
    public OneTrial build() {
      return new OneTrial(this);
    }
  }
}
