package dev.mnistlab.spark.internal;

import dev.mnistlab.experiments.runner.Trackers;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialResult;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.RunExport;
import dev.mnistlab.tracking.Tracker;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One trial as a Spark task: on the executor it asks the driver for the store and the W&amp;B
 * environment (which travel over the control channel, never in Spark's configuration or in the
 * task), takes the sweep's data from the broadcast (rebuilt once per executor), limits ND4J to
 * the task's cores, and runs the spec through a {@link TrialRunner} with a tracker of its own:
 * on the sweep's PostgreSQL store directly, or on a scratch SQLite file whose run goes back with
 * the outcome for the driver to import. The spec carries its store location redacted.
 */
public final class TrialTask implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final TrialSpec spec;
  private final int trial;
  private final Broadcast<SharedData> data;
  private final String host;
  private final int port;
  private final String token;
  private final String provenance;

  TrialTask(TrialSpec spec, int trial, Broadcast<SharedData> data, String host, int port,
      String token, String provenance) {
    this.spec = spec;
    this.trial = trial;
    this.data = data;
    this.host = host;
    this.port = port;
    this.token = token;
    this.provenance = provenance;
  }

  /** Runs the trial on this executor. */
  public TaskOutcome run() throws IOException {
    TaskContext task = TaskContext.get();
    int attempt = task == null ? 0 : task.attemptNumber();
    int cores = task == null ? 1 : Math.max(1, task.cpus());
    // ND4J's threads = the task's cores. ND4J cannot lower its OpenMP pool once loaded (setMaxThreads
    // below the start-up value is ignored), so the pool comes from OMP_NUM_THREADS, which
    // SparkSettings puts in the executors' environment (= spark.task.cpus) and the launcher sets
    // for local[N]; the master threads it does lower.
    Nd4j.getEnvironment().setMaxMasterThreads(cores);
    Nd4j.getEnvironment().setMaxThreads(cores);
    try (ControlClient client = ControlClient.connect(host, port)) {
      Object hello = client.ask(new ChannelMessage.Hello(token, trial, attempt));
      if (!(hello instanceof ChannelMessage.Welcome welcome)) {
        throw new IllegalStateException("the sweep no longer runs trial " + (trial + 1));
      }
      TrialData trialData = data.value().onThisExecutor();
      Path scratch = Files.createTempDirectory("mnistlab-trial-" + (trial + 1) + "-");
      try {
        boolean importing = welcome.store().isEmpty();
        String store = importing ? scratch.resolve("runs.db").toString() : welcome.store();
        TrialResult result;
        try (Tracker tracker = Trackers.open(spec.tracking().withStore(store),
            welcome.environment(), false)) {
          TrialRunner runner = TrialRunner.builder().tracker(tracker)
              .provenance(Provenance.fromJson(provenance)).build();
          RemoteControl control = new RemoteControl(client, token, trial, attempt, task,
              importing ? tracker.store() : null);
          // the spec as given (its store redacted) is what the run records. A scratch store does
          // not hold the driver's registered W&B sweep, which a run naming it must find there:
          // such runs are grouped by the sweep's name but not attached to the W&B sweep object
          TrialSpec run = importing ? spec.toBuilder().wandbSweep(Optional.empty()).build() : spec;
          result = runner.run(run, trialData, scratch.resolve("trial"), control);
        }
        Optional<RunExport> run = Optional.empty();
        if (importing) {
          try (LocalStore written = LocalStore.openReadOnly(store)) {
            run = written.exportRun(result.runId());
          }
        }
        Optional<byte[]> model = result.model().isPresent()
            ? Optional.of(Files.readAllBytes(result.model().get())) : Optional.empty();
        return new TaskOutcome(result.runId(), result.status(), result.history(),
            result.testMetrics(), model, result.seconds(), result.error(), run, executorId());
      } finally {
        deleteTree(scratch);
      }
    }
  }

  private static String executorId() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "?" : env.executorId();
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // a scratch folder left in the executor's temp folder; the OS cleans it
    }
  }
}
