package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.ResultsFiles;
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

  @Parameters(index = "0", paramLabel = "SWEEP", description = "The sweep's output folder (holding"
      + " results.json), or its name when the folder is results/NAME.")
  String sweep;

  @Option(names = "--store", paramLabel = "PATH|JDBC_URL",
      description = "Local run store (default: the one the sweep recorded in results.json).")
  String store;

  @Override
  public Integer call() throws Exception {
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
}
