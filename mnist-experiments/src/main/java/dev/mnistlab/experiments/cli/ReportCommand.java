package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.StoredTrials;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.tracking.LocalStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab report SWEEP}: (re)builds the HTML report of a sweep from its output folder (and
 * the best run's predictions in the local store).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Build the self-contained HTML report of a sweep.")
final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SWEEP", description = "The sweep's output"
      + " folder (holding results.json), or its name when the folder is results/NAME.")
  String sweep;

  @Option(names = "--sweep-id", paramLabel = "ID",
      description = "Build the report from the runs the store holds for this sweep id (a W&B"
          + " sweep's id: every run its agents recorded here), instead of an output folder.")
  String sweepId;

  @Option(names = "--out", paramLabel = "DIR",
      description = "With --sweep-id: where the report goes (default results/ID).")
  Path out;

  @Option(names = "--store", paramLabel = "PATH|JDBC_URL",
      description = "Local run store (default: the one the sweep recorded in results.json).")
  String store;

  @Override
  public Integer call() throws Exception {
    if ((sweep == null) == (sweepId == null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give either SWEEP (an output folder or name) or --sweep-id ID");
    }
    if (sweepId != null) {
      return fromStore();
    }
    Path folder = Path.of(sweep);
    if (!Files.isDirectory(folder) && Files.isDirectory(Path.of("results", sweep))) {
      folder = Path.of("results", sweep);
    }
    if (!Files.isDirectory(folder)) {
      throw new NoSuchFileException(sweep, null,
          "not a sweep output folder, and no results/" + sweep + " either");
    }
    SweepResult result = ResultsFiles.read(folder);
    String location = store != null ? store : result.store();
    Path report;
    if (location.startsWith("jdbc:") || Files.exists(Path.of(location))) {
      try (LocalStore local = LocalStore.openReadOnly(location)) {
        report = SweepReport.write(result, Optional.of(local));
      }
    } else {
      report = SweepReport.write(result, Optional.empty());
      spec.commandLine().getErr().println("mnistlab: store " + location + " not found; the report"
          + " has no best-run predictions (pass --store)");
    }
    spec.commandLine().getOut().println(report);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** {@code --sweep-id}: the sweep's runs as the store holds them, whoever ran them. */
  private int fromStore() throws java.io.IOException {
    StoreOption option = new StoreOption();
    option.location = store != null ? store : LocalStore.DEFAULT_LOCATION;
    Path folder = out != null ? out : Path.of("results", sweepId);
    Path report;
    try (LocalStore local = option.openForReading()) {
      SweepResult result = StoredTrials.sweep(local, sweepId, folder).orElseThrow(() ->
          new dev.mnistlab.experiments.UserInputException("the store " + local.location()
              + " has no runs of sweep " + sweepId + " (mnistlab runs list shows the sweeps)"));
      Files.createDirectories(folder);
      report = SweepReport.write(result, Optional.of(local));
    }
    spec.commandLine().getOut().println(report);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
