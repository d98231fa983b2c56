package dev.mnistlab.experiments.sweep;

import java.io.IOException;
import java.util.List;

/**
 * A sweep config that cannot be used. The message is one line naming the file, the JSON path and
 * what was expected, e.g. {@code experiments/x.json: $.sweep.parameters.batch_size.values[1]:
 * expected integer, got string}; {@link #problems()} lists every problem found.
 */
public final class SweepConfigException extends IOException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param source the config file, as given by the user
   * @param problems each problem as {@code $.path: what was expected}; at least one
   */
  public SweepConfigException(String source, List<String> problems) {
    super(message(source, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, each as {@code $.path: what was expected}. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String source, List<String> problems) {
    String first = source + ": " + problems.get(0);
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
  }
}
