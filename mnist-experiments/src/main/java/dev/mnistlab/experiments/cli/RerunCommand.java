package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.runner.OneTrial;
import dev.mnistlab.experiments.runner.RecordedTrial;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.SweepMembership;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialProvenance;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricPoint;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.experiments.trial.RecordedDataNotFoundException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab rerun RUN_ID}: reproduces a trial from its record — the {@link TrialSpec} kept
 * in the run's provenance (or, for runs recorded before specs were kept, the one rebuilt from the
 * recorded sweep config and trial config): the same parameters, seed and split — and compares the
 * outcome with the original run. The data is found from the record alone: the recorded folder if
 * it still holds the same content, else a copy with the same content checksums in the cache or a
 * system location; {@code --data-dir} overrides.
 */
@Command(name = "rerun", mixinStandardHelpOptions = true,
    description = "Reproduce a recorded trial and compare its outcome with the original.")
final class RerunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to reproduce.")
  String runId;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Folder with the four IDX files (if the original data came from elsewhere).")
  Path dataDir;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: results/<sweep>-rerun-<run id>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    TrialSpec original;
    TrialProvenance recorded;
    Double originalMetric;
    try (LocalStore local = store.openForReading()) {
      RunRecord run = local.run(runId).orElseThrow(() -> new FileNotFoundException(
          local.location() + ": no run with id '" + runId + "' (see 'mnistlab runs list')"));
      Provenance provenance = local.provenance(run.id()).orElseThrow(() ->
          new FileNotFoundException("run " + runId + " has no provenance record to rerun from"));
      original = RecordedTrial.spec(runId, provenance, local.config(run.id()));
      recorded = RunRecordCodec.read(provenance);
      List<MetricPoint> points = local.metric(run.id(), metric(original));
      originalMetric = points.isEmpty() ? null : points.get(points.size() - 1).value();
    }
    TrialSpec rerun = rerunSpec(original);
    SweepMembership membership = rerun.membership().orElseThrow();
    Path output = out != null ? out : Path.of("results", membership.sweep() + "-" + runId);
    PrintWriter stdout = spec.commandLine().getOut();
    SweepExecution.Outcome outcome = SweepExecution.run(rerun, output,
        new SweepProgress(stdout, OneTrial.metric(membership), 1, System.console() != null));
    SweepResult result = outcome.result();
    TrialRecord trial = result.trials().get(0);
    String metricName = membership.metric();
    stdout.println();
    stdout.printf("original  run %s  %s %s%n", runId, metricName, Formats.metric(originalMetric));
    stdout.printf("rerun     run %s  %s %s%n", trial.runId(), metricName,
        trial.metric().isPresent() ? Formats.metric(trial.metric().getAsDouble()) : "-");
    if (originalMetric != null && trial.metric().isPresent()) {
      double difference = trial.metric().getAsDouble() - originalMetric;
      stdout.printf(Locale.ROOT, "%s%n", difference == 0 ? "identical"
          : String.format(Locale.ROOT, "differs by %+.6f", difference));
    }
    TrialData data = outcome.data();
    Map<String, String> now = recorded.contentChecksums().isEmpty() ? data.checksums()
        : data.contentChecksums();
    if (!recorded.identifyingChecksums().isEmpty()
        && !recorded.identifyingChecksums().equals(now)) {
      stdout.println("warning: the data differs from the original run's (checksums differ)");
    }
    stdout.printf("report    %s%n", outcome.report());
    stdout.flush();
    return ExitCodes.OK;
  }

  private static String metric(TrialSpec spec) {
    return spec.membership().map(SweepMembership::metric).orElse("val_accuracy");
  }

  /**
   * The original spec as the only trial of sweep {@code ORIGINAL-rerun}, recorded in this
   * command's store, on {@code --data-dir} when given.
   */
  private TrialSpec rerunSpec(TrialSpec original) throws IOException {
    // a new run of its own: not the original's id, not attached to the original's W&B sweep
    TrialSpec.Builder b = original.toBuilder()
        .tracking(original.tracking().withStore(store.location))
        .runId(Optional.empty()).wandbSweep(Optional.empty());
    if (dataDir != null) {
      b.data(original.data().withDataDir(Optional.of(dataDir)));
    } else {
      // from the record alone: the recorded folder, else a copy of the same content
      try {
        b.data(original.data().withDataDir(TrialData.locate(original.data())));
      } catch (RecordedDataNotFoundException e) {
        throw new RecordedDataNotFoundException(e.getMessage() + "; to rerun on a copy elsewhere,"
            + " pass --data-dir DIR with its four IDX files", e);
      }
    }
    TrialSpec spec = b.build();
    Optional<SweepMembership> m = original.membership();
    String name = m.map(SweepMembership::sweep).orElse("sweep") + "-rerun";
    return OneTrial.inSweep(spec, name, metric(original),
        m.map(SweepMembership::maximize).orElse(true),
        m.map(SweepMembership::parameters).orElseGet(() -> RunRecordCodec.ownParameters(spec)),
        m.flatMap(SweepMembership::variant));
  }
}
