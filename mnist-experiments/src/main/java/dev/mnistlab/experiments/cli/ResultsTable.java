package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Prints a sweep's results as an aligned table, best trial marked with '*'. */
final class ResultsTable {
  private ResultsTable() {}

  static void print(SweepResult result, PrintWriter out) {
    Set<String> parameters = new LinkedHashSet<>();
    result.trials().forEach(t -> parameters.addAll(t.parameters().keySet()));
    String metric = result.metric().name();
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %5s %-13s %10s %6s %8s",
        "trial", "status", metric.length() > 10 ? metric.substring(0, 10) : metric, "ran",
        "seconds"));
    for (String p : parameters) {
      header.append(String.format(Locale.ROOT, " %13s", p.length() > 13 ? p.substring(0, 13) : p));
    }
    header.append(String.format(Locale.ROOT, " %9s %s", "test_acc", "run"));
    out.println(header);
    Optional<TrialRecord> best = result.best();
    for (TrialRecord t : result.trials()) {
      boolean isBest = best.isPresent() && best.get().index() == t.index();
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%s %5d %-13s %10s %6d %8.1f",
          isBest ? "*" : " ", t.index() + 1, t.status().label(),
          t.metric().isPresent() ? Formats.metric(t.metric().getAsDouble()) : "-", t.epochs(),
          t.seconds()));
      for (String p : parameters) {
        Object v = t.parameters().get(p);
        String text = v == null ? "-" : v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d)
            : v.toString();
        row.append(String.format(Locale.ROOT, " %13s", text));
      }
      row.append(String.format(Locale.ROOT, " %9s %s",
          Formats.metric(t.testMetrics().get("test_accuracy")), t.runId()));
      out.println(row);
    }
  }
}
