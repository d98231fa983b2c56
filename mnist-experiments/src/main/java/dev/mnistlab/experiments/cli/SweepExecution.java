package dev.mnistlab.experiments.cli;

import dev.mnistlab.data.DownloadProgress;
import dev.mnistlab.experiments.report.DataSummary;
import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.runner.AgentRunner;
import dev.mnistlab.experiments.runner.OneTrial;
import dev.mnistlab.experiments.sweep.RunnerSettings;
import dev.mnistlab.tracking.SweepAgent;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import dev.mnistlab.experiments.runner.SweepListener;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.Trackers;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.trial.DataSpec;
import dev.mnistlab.experiments.trial.TrackingSettings;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a validated sweep config end to end for the commands ({@code sweep}, {@code train},
 * {@code rerun}): data, tracker, runner with Ctrl-C handling, data pictures and the report.
 *
 * <p><b>Ctrl-C.</b> While the sweep runs, a shutdown hook asks the runner to stop ({@link
 * SweepRunner#interrupt()}: no new trial starts, the running ones stop after their current epoch,
 * then still evaluate on the test split and save) and then waits, at most {@link #STOP_GRACE}, until
 * the runner has returned, the report is written and the tracker is closed, so the stopped runs are
 * marked interrupted with their test metrics and every file is complete when the JVM exits. A trial
 * whose epoch takes longer than that is cut off: its run is ended as interrupted without test
 * results. Either way an interrupted trial is trained again when the sweep is resumed.
 */
final class SweepExecution {
  /** How long Ctrl-C waits for the running trials to stop cleanly before the JVM exits. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private SweepExecution() {}

  /**
   * Outcome of a run: the results, the report file, the data it ran on, and for a single trial
   * the exception it failed with.
   */
  record Outcome(SweepResult result, Path report, TrialData data, Optional<Throwable> failure) {}

  /** What runs under the Ctrl-C hook: a sweep or a single trial. */
  interface Job {
    /** Runs it and writes its results. */
    SweepResult run() throws IOException;

    /** Asks it to stop after the current epochs (Ctrl-C). */
    void interrupt();

    /** The exception a single trial failed with. */
    default Optional<Throwable> failure() {
      return Optional.empty();
    }
  }

  /** Builds the job once the data is loaded and the tracker open. */
  @FunctionalInterface
  interface JobFactory {
    Job create(TrialData data, Tracker tracker);
  }

  /** Runs a sweep config. */
  static Outcome run(SweepConfig config, boolean resume,
      Function<SweepConfig, SweepListener> listenerFactory) throws IOException {
    SweepListener listener = listenerFactory.apply(config);
    return run(config.runner().data(), config.runner().tracking(), config.runner().outputDir(),
        listener, (data, tracker) -> {
          SweepRunner runner = SweepRunner.builder().config(config).data(data).tracker(tracker)
              .listener(listener).resume(resume).build();
          return new Job() {
            @Override
            public SweepResult run() throws IOException {
              return runner.run();
            }

            @Override
            public void interrupt() {
              runner.interrupt();
            }
          };
        });
  }

  /**
   * Runs this JVM as an agent of a W&amp;B sweep ({@code agent}, {@code sweep --controller wandb})
   * until W&amp;B says exit, {@code count} runs ran, it gives up or Ctrl-C: {@code joinSweep} joins
   * (or first registers) the sweep once the tracker is open.
   */
  static Outcome runAgent(RunnerSettings runner, OptionalInt count, Duration heartbeat,
      SweepListener listener, BiFunction<Tracker, TrialData, SweepAgent> joinSweep)
      throws IOException {
    AgentRunner[] agent = new AgentRunner[1];
    Outcome outcome = run(runner.data(), runner.tracking(), runner.outputDir(), listener,
        (data, tracker) -> {
          AgentRunner a = AgentRunner.builder().agent(joinSweep.apply(tracker, data))
              .tracker(tracker).data(data).runner(runner).count(count)
              .heartbeatInterval(heartbeat).listener(listener).build();
          agent[0] = a;
          return new Job() {
            @Override
            public SweepResult run() throws IOException {
              return a.run();
            }

            @Override
            public void interrupt() {
              a.interrupt();
            }
          };
        });
    return new Outcome(outcome.result(), outcome.report(), outcome.data(),
        agent[0].failure().map(IllegalStateException::new));
  }

  /** Runs one trial on its own ({@code train}, {@code rerun}), its files in {@code out}. */
  static Outcome run(TrialSpec spec, Path out, SweepListener listener) throws IOException {
    return run(spec, out, listener, dev.mnistlab.experiments.trial.TrialExecutor.zoo());
  }

  /** Runs one trial on its own with {@code executor} (e.g. data-parallel on Spark). */
  static Outcome run(TrialSpec spec, Path out, SweepListener listener,
      dev.mnistlab.experiments.trial.TrialExecutor executor) throws IOException {
    return run(spec.data(), spec.tracking(), out, listener, (data, tracker) -> {
      OneTrial trial = OneTrial.builder().spec(spec).data(data).tracker(tracker).outputDir(out)
          .listener(listener).executor(executor).build();
      return new Job() {
        @Override
        public SweepResult run() throws IOException {
          return trial.run();
        }

        @Override
        public void interrupt() {
          trial.interrupt();
        }

        @Override
        public Optional<Throwable> failure() {
          return trial.failure();
        }
      };
    });
  }

  private static Outcome run(DataSpec dataSpec, TrackingSettings tracking, Path out,
      SweepListener listener, JobFactory jobs) throws IOException {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = null;
    try {
      TrialData data = TrialData.resolve(dataSpec, DownloadProgress.consoleBarsIfTerminal());
      DataSummary.write(data, out, dataSpec.splitSeed());
      // no tracker hook: it would end the runs at once, while this one lets them stop cleanly
      try (Tracker tracker = Trackers.open(tracking, CliEnvironment.get(), false)) {
        Job job = jobs.create(data, tracker);
        hook = new Thread(() -> stopCleanly(job, tracker, done, STOP_GRACE),
            "mnistlab-sweep-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        SweepResult result = job.run();
        Path report = SweepReport.write(result, Optional.of(tracker.store()));
        return new Outcome(result, report, data, job.failure());
      }
    } finally {
      if (listener instanceof AutoCloseable closeable) {
        // also when the runner failed: no progress bar left on the terminal above the error
        closeQuietly(closeable);
      }
      done.countDown();
      if (hook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the JVM is already exiting (Ctrl-C): the hook has run, or is running
        }
      }
    }
  }

  /**
   * The Ctrl-C hook: asks the runner to stop, then waits until the sweep has wound down (results,
   * report and store written, tracker closed), at most {@code grace}; after that it closes the
   * tracker, which ends the runs still open as interrupted.
   */
  private static void stopCleanly(Job runner, Tracker tracker, CountDownLatch done,
      Duration grace) {
    System.err.println();
    System.err.println("mnistlab: stopping: the running trials finish their epoch, are evaluated"
        + " and saved (waiting up to " + grace.toSeconds() + " s)");
    System.err.flush();
    runner.interrupt();
    try {
      if (!done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("mnistlab: the running trials did not stop within " + grace.toSeconds()
            + " s; their runs are ended as interrupted (without test results) and are trained"
            + " again on resume");
        try {
          tracker.close();
        } catch (RuntimeException e) {
          System.err.println("mnistlab: could not end the runs: " + e.getMessage());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      System.err.println("mnistlab: could not close the progress display: " + e.getMessage());
    }
  }
}
