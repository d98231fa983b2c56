package dev.mnistlab.experiments.trial;

import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.TrackingException;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import dev.mnistlab.tracking.dl4j.TrackingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs exactly one trial: the spec's data (already loaded, possibly shared) → network → trainer
 * (through a {@link TrialExecutor}, by default {@link TrialExecutor#zoo()}) → tracked run (config,
 * provenance with the spec itself, epochs, test metrics, predictions) → model file → {@link
 * TrialResult}. {@code train}, {@code rerun} and every trial of a sweep go through here, so a run
 * is recorded the same way whoever scheduled it.
 *
 * <p>A trial whose loss becomes NaN or infinite is stopped after that epoch and fails with a
 * {@link TrialDivergedException} (not "finished" at chance accuracy). A trial that throws is
 * recorded as failed (its run marked failed with the error) and returned
 * as such: the caller decides whether to go on. A trial that ends while {@link
 * TrialControl#stopRequested()} is recorded as interrupted (exit code 130 in the run); one that
 * ends because of {@link TrialControl#stopAsStoppedRequested()} is complete, its run recorded as
 * {@link RunState#STOPPED}. Only a
 * completed trial keeps its model file. Safe to call from several threads at once.
 */
public final class TrialRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TrialRunner.class);

  /** The file name of the model in the trial's folder. */
  public static final String MODEL_FILE = "model.zip";

  private final Tracker tracker;
  private final TrialExecutor executor;
  private final Provenance provenance;

  private TrialRunner(Builder b) {
    this.tracker = Objects.requireNonNull(b.tracker, "tracker");
    this.executor = b.executor;
    this.provenance = b.provenance != null ? b.provenance : Provenance.capture();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the trial.
   *
   * @param spec what to train
   * @param data the spec's data, loaded (see {@link TrialData#resolve})
   * @param workDir the folder the model is saved in (created if missing)
   * @param control follows and steers the trial
   * @return the outcome, also for a failed or interrupted trial
   */
  public TrialResult run(TrialSpec spec, TrialData data, Path workDir, TrialControl control) {
    TrialSpec recorded = spec.toBuilder()
        .data(spec.data().withContentChecksums(data.contentChecksums())).build();
    Map<String, Object> runConfig = RunRecordCodec.runConfig(recorded, data);
    RunSpec.Builder runSpec = projectSpec(spec.tracking())
        .tags(spec.tracking().tags())
        .config(runConfig);
    spec.runId().ifPresent(runSpec::runId);
    spec.wandbSweep().ifPresent(runSpec::sweep);
    Optional<SweepMembership> membership = spec.membership();
    if (membership.isPresent()) {
      runSpec.name(membership.get().runName()).group(membership.get().sweep())
          .jobType(RunRecordCodec.JOB_SWEEP_TRIAL).notes(membership.get().description());
    } else {
      runSpec.name(spec.model()).jobType(RunRecordCodec.JOB_TRIAL);
    }
    long started = System.nanoTime();
    AtomicReference<Context> context = new AtomicReference<>();
    try {
      // tracker.run marks the run failed with whatever the body throws, then rethrows it
      return tracker.run(runSpec.build(), run -> {
        Context c = new Context(recorded, data, run, workDir, control);
        context.set(c);
        control.started(recorded, run.id());
        try {
          run.provenance(RunRecordCodec.provenance(provenance, recorded, data, runConfig));
          Files.createDirectories(workDir);
          ExecutionResult result = executor.execute(c);
          if (c.diverged != null) {
            discard(result.model());
            throw c.diverged;
          }
          TrialStatus status = control.stopRequested() ? TrialStatus.INTERRUPTED
              : c.stoppedEarly ? TrialStatus.STOPPED_EARLY : TrialStatus.FINISHED;
          run.summary(RunRecordCodec.SUMMARY_STOPPED_EARLY, c.stoppedEarly);
          TrialConsole.finalMetrics(run, result.testMetrics());
          Optional<Path> model = result.model();
          if (status.isComplete()) {
            if (model.isPresent()) {
              // recorded with the run now, uploaded by the background sender (or by sync)
              run.artifact(ModelArtifact.of(recorded, data, model.get(), runConfig, c.history,
                  result.testMetrics(), control.bestSoFar(recorded, List.copyOf(c.history))));
            }
            if (c.stoppedByScheduler) {
              run.finish(RunState.STOPPED, 0);
            } else {
              run.finish(0);
            }
          } else {
            discard(model);
            model = Optional.empty();
            run.finish(RunState.INTERRUPTED, RunRecordCodec.EXIT_INTERRUPTED);
          }
          return new TrialResult(recorded, run.id(), status, c.history, result.testMetrics(),
              model, seconds(started), Optional.empty(), Optional.empty());
        } catch (Exception | Error e) {
          c.consoleError("trial failed: " + message(e));
          if (!control.stopRequested()) {
            throw e;
          }
          // a trial cut short by Ctrl-C is interrupted, not failed
          run.finish(RunState.INTERRUPTED, RunRecordCodec.EXIT_INTERRUPTED);
          return new TrialResult(recorded, run.id(), TrialStatus.INTERRUPTED, c.history,
              Map.of(), Optional.empty(), seconds(started), Optional.of(message(e)),
              Optional.of(e));
        }
      });
    } catch (TrackingException e) {
      if (context.get() == null) {
        throw e;  // the run could not even start: a problem of the whole sweep, not of the trial
      }
      return failed(recorded, membership, context.get(), started, e);
    } catch (Exception | Error e) {
      if (context.get() == null) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      return failed(recorded, membership, context.get(), started, e);
    }
  }

  private static TrialResult failed(TrialSpec recorded, Optional<SweepMembership> membership,
      Context context, long started, Throwable e) {
    String message = message(e);
    LOG.warn("trial {} ({}) failed: {}", membership.map(m -> m.index() + 1).orElse(1),
        membership.map(m -> (Object) m.parameters()).orElse(recorded.model()), message);
    LOG.debug("trial failure", e);
    return new TrialResult(recorded, context.run.id(), TrialStatus.FAILED, context.history,
        Map.of(), Optional.empty(), seconds(started), Optional.of(message), Optional.of(e));
  }

  private static String message(Throwable e) {
    return e.getClass().getSimpleName() + ": " + Objects.toString(e.getMessage(), "");
  }

  /**
   * A run spec builder with the trial's project: set explicitly (config) it wins over {@code
   * WANDB_PROJECT}; mnistlab's default does not.
   */
  public static RunSpec.Builder projectSpec(TrackingSettings tracking) {
    RunSpec.Builder b = RunSpec.builder();
    return tracking.projectSet() ? b.project(tracking.project())
        : b.defaultProject(tracking.project());
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static void discard(Optional<Path> model) {
    if (model.isPresent()) {
      try {
        Files.deleteIfExists(model.get());
      } catch (IOException e) {
        LOG.debug("could not delete {}: {}", model.get(), e.getMessage());
      }
    }
  }

  /** The {@link Trial} handed to the executor. */
  private static final class Context implements Trial {
    private final TrialSpec spec;
    private final TrialData data;
    private final Run run;
    private final Path workDir;
    private final TrialControl control;
    private final TrackingListener trackingListener;
    private final List<Map<String, Double>> history = new CopyOnWriteArrayList<>();
    private volatile boolean stoppedEarly;
    private volatile boolean stoppedByScheduler;
    private volatile TrialDivergedException diverged;

    Context(TrialSpec spec, TrialData data, Run run, Path workDir, TrialControl control) {
      this.spec = spec;
      this.data = data;
      this.run = run;
      this.workDir = workDir;
      this.control = control;
      this.trackingListener = TrackingListener.builder(run).epochsRecordedByCaller().build();
    }

    @Override
    public TrialSpec spec() {
      return spec;
    }

    @Override
    public TrialData data() {
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
      control.batchFinished(spec, epoch, batchesDone, batchesTotal);
    }

    @Override
    public boolean stopSignalled() {
      return control.stopRequested() || run.isStopRequested() || control.stopAsStoppedRequested();
    }

    @Override
    public boolean epochFinished(EpochMetrics metrics) {
      trackingListener.recordEpoch(metrics);
      run.console(TrialConsole.epochLine(metrics, java.util.OptionalInt.of(spec.epochs())));
      Map<String, Double> epoch = metrics.toNumbers();
      history.add(epoch);
      boolean goOn = control.epochFinished(spec, metrics);
      if (goOn && !control.stopRequested() && control.stopAsStoppedRequested()) {
        // the scheduler asked (a W&B agent's stop command): end after this (partial) epoch as
        // a stopped run, evaluated and saved
        LOG.info("the sweep stops run {} after epoch {}", run.id(), metrics.epoch());
        run.console("the sweep stops the run after epoch " + metrics.epoch());
        stoppedByScheduler = true;
        goOn = false;
      }
      if (goOn && !control.stopRequested() && run.isStopRequested()) {
        // W&B asked (Stop in the UI, its sweep's early termination): end after this epoch, as
        // a hyperband stop does
        LOG.info("W&B stops run {} after epoch {}", run.id(), metrics.epoch());
        run.console("W&B stops the run after epoch " + metrics.epoch());
        goOn = false;
      }
      Optional<String> nonFinite = nonFiniteLoss(epoch);
      if (nonFinite.isPresent()) {
        diverged = new TrialDivergedException("training diverged: " + nonFinite.get()
            + " after epoch " + metrics.epoch() + " of " + spec.model() + spec.learningRate()
                .stream().mapToObj(r -> " with learning rate " + r).findFirst().orElse("")
            + "; try a smaller learning rate");
        consoleError("warning: " + diverged.getMessage());
        return false;
      }
      if (control.stopRequested()) {
        return false;
      }
      if (!goOn) {
        stoppedEarly = true;
      }
      return goOn;
    }

    /** A standard-error console line of the run; never fails the trial (the run may have ended). */
    void consoleError(String line) {
      try {
        run.consoleError(line);
      } catch (RuntimeException e) {
        LOG.debug("console line not recorded: {}", e.toString());
      }
    }
  }

  /** The first loss of an epoch that is NaN or infinite, e.g. {@code "loss NaN"}. */
  private static Optional<String> nonFiniteLoss(Map<String, Double> epoch) {
    for (String key : List.of(MetricKeys.LOSS, MetricKeys.VAL_LOSS)) {
      Double v = epoch.get(key);
      if (v != null && !Double.isFinite(v)) {
        return Optional.of(key + " " + v);
      }
    }
    return Optional.empty();
  }

  /** Configures a {@link TrialRunner}. */
  public static final class Builder {
    private Tracker tracker;
    private TrialExecutor executor = TrialExecutor.zoo();
    private Provenance provenance;

    private Builder() {}

    /** Where runs are recorded (the caller closes it). */
    public Builder tracker(Tracker t) {
      this.tracker = Objects.requireNonNull(t, "tracker");
      return this;
    }

    /** What trains a trial (default {@link TrialExecutor#zoo()}). */
    public Builder executor(TrialExecutor e) {
      this.executor = Objects.requireNonNull(e, "executor");
      return this;
    }

    /**
     * The provenance every run records, before the trial's own extras (default: captured once when
     * the runner is built). A sweep adds its resolved config here.
     */
    public Builder provenance(Provenance p) {
      this.provenance = Objects.requireNonNull(p, "provenance");
      return this;
    }

    /** The runner. */
    public TrialRunner build() {
      return new TrialRunner(this);
    }
  }
}
