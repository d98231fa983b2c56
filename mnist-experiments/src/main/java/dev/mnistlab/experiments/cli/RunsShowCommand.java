package dev.mnistlab.experiments.cli;

import dev.mnistlab.tracking.HistoryRow;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.RunRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab runs show RUN_ID}: everything recorded about one run — state, config, summary,
 * per-epoch history and the reproducibility record.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show one run: config, summary, per-epoch history, provenance.")
final class RunsShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin StoreOption store;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id (see 'runs list').")
  String runId;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (LocalStore local = store.openForReading()) {
      Optional<RunRecord> found = local.run(runId);
      if (found.isEmpty()) {
        throw new java.io.FileNotFoundException(local.location() + ": no run with id '" + runId
            + "' (see 'mnistlab runs list')");
      }
      RunRecord run = found.get();
      out.printf("run          %s%n", run.id());
      out.printf("name         %s%n", run.name().orElse("-"));
      out.printf("project      %s%n", run.project());
      out.printf("group        %s%n", run.group().orElse("-"));
      out.printf("job type     %s%n", run.jobType().orElse("-"));
      out.printf("state        %s%s%n", run.state().label(),
          run.exitCode().isPresent() ? " (exit code " + run.exitCode().getAsInt() + ")" : "");
      run.error().ifPresent(e -> out.printf("error        %s%n", e));
      out.printf("started      %s%n", run.startTime());
      out.printf("duration     %s%n", Formats.duration(run.duration()));
      out.printf("W&B          %s%s%n", run.wandbState().label(),
          run.wandbUrl().map(u -> " " + u).orElse(""));
      List<String> pending = local.pendingUploads(run.id());
      if (!pending.isEmpty()) {
        out.println("W&B uploads pending (`mnistlab sync` retries them)");
        pending.forEach(p -> out.printf("  %s%n", p));
      }
      printMap("config", local.config(run.id()), out);
      printMap("summary", local.summary(run.id()), out);
      printHistory(local.history(run.id()), run.historyLines(), out);
      local.provenance(run.id()).ifPresent(p -> printProvenance(p, out));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void printMap(String title, Map<String, Object> map, PrintWriter out) {
    out.println(title);
    new TreeMap<>(map).forEach((k, v) -> out.printf("  %-26s %s%n", k, v));
  }

  /** Every stored epoch row, and a line where history lines are missing (a gap) instead of stopping there. */
  private static void printHistory(List<HistoryRow> history, long recordedLines, PrintWriter out) {
    if (history.isEmpty() && recordedLines == 0) {
      return;
    }
    out.println("history");
    out.printf("  %5s %9s %9s %9s %9s %8s%n", "epoch", "loss", "accuracy", "val_loss", "val_acc",
        "seconds");
    long expected = 0;
    for (HistoryRow row : history) {
      if (row.line() > expected) {
        printGap(expected, row.line() - 1, out);
      }
      expected = row.line() + 1;
      Map<String, Object> v = row.values();
      if (!v.containsKey(MetricKeys.EPOCH)) {
        continue;
      }
      out.printf(Locale.ROOT, "  %5s %9s %9s %9s %9s %8s%n", v.get(MetricKeys.EPOCH),
          Formats.metric(v.get(MetricKeys.LOSS)), Formats.metric(v.get(MetricKeys.ACCURACY)),
          Formats.metric(v.get(MetricKeys.VAL_LOSS)), Formats.metric(v.get(MetricKeys.VAL_ACCURACY)),
          Formats.metric(v.get(MetricKeys.EPOCH_SECONDS)));
    }
    if (recordedLines > expected) {
      printGap(expected, recordedLines - 1, out);
    }
  }

  private static void printGap(long from, long to, PrintWriter out) {
    out.printf("  (gap: history line%s %s missing from the store; W&B upload stops before it)%n",
        from == to ? "" : "s", from == to ? Long.toString(from) : from + "-" + to);
  }

  private static void printProvenance(Provenance p, PrintWriter out) {
    out.println("provenance");
    out.printf("  %-26s %s%s%n", "git commit", p.gitCommit().orElse("-"),
        p.gitDirty().orElse(false) ? " (dirty)" : "");
    out.printf("  %-26s %s %s%n", "java", p.javaVersion(), p.javaVendor());
    out.printf("  %-26s %s%n", "os", p.os());
    out.printf("  %-26s %s (%d cores)%n", "cpu", p.cpuModel().orElse("-"), p.cpuCores());
    out.printf("  %-26s %s%n", "nd4j backend", p.nd4jBackend().orElse("-"));
    new TreeMap<>(p.libraryVersions()).forEach((k, v) -> out.printf("  %-26s %s%n", k, v));
    new TreeMap<>(p.extras()).forEach((k, v) -> out.printf("  %-26s %s%n", k, v));
  }
}
