package dev.mnistlab.experiments.cli;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mnistlab runs list}: one line per run, newest first, with its key metrics. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List recorded runs.")
final class RunsListCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;
  @Mixin StoreOption store;

  @Option(names = "--project", paramLabel = "NAME", description = "Only runs of this project.")
  String project;

  @Option(names = {"--group", "--sweep"}, paramLabel = "NAME",
      description = "Only runs of this group (a sweep's runs are grouped by the sweep name).")
  String group;

  @Option(names = "--state", paramLabel = "STATE",
      description = "Only runs in this state: running, finished, failed, crashed, interrupted,"
          + " stopped.")
  String state;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
      description = "At most N runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws Exception {
    RunQuery.Builder query = RunQuery.builder().limit(limit);
    if (project != null) {
      query.project(project);
    }
    if (group != null) {
      query.group(group);
    }
    if (state != null) {
      try {
        query.state(RunState.fromLabel(state.toLowerCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option"
            + " '--state': '" + state + "' (expected running, finished, failed, crashed,"
            + " interrupted or stopped)");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (LocalStore local = store.openForReading()) {
      List<RunRecord> runs = local.runs(query.build());
      out.printf("%-22s %-28s %-20s %-11s %-8s %-16s %8s %8s %8s%n", "ID", "NAME", "GROUP", "STATE",
          "W&B", "STARTED (UTC)", "TIME", "VAL_ACC", "TEST_ACC");
      for (RunRecord run : runs) {
        Map<String, Object> summary = local.summary(run.id());
        out.printf(Locale.ROOT, "%-22s %-28s %-20s %-11s %-8s %-16s %8s %8s %8s%n", run.id(),
            clip(run.name().orElse("-"), 28), clip(run.group().orElse("-"), 20),
            run.state().label(), run.wandbState().label(), TIME.format(run.startTime()), Formats.duration(run.duration()),
            Formats.metric(summary.get(MetricKeys.BEST_VAL_ACCURACY)),
            Formats.metric(summary.get(MetricKeys.TEST_ACCURACY)));
      }
      out.printf("%d run(s) in %s%n", runs.size(), local.location());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "~";
  }
}
