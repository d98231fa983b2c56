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

  private final String source;
  private final List<ConfigViolation> violations;

  /**
   * Creates the exception.
   *
   * @param source the config file, as given by the user
   * @param violations what is wrong; at least one
   */
  public SweepConfigException(String source, List<ConfigViolation> violations) {
    super(message(source, violations.stream().map(ConfigViolation::message).toList()));
    this.source = source;
    this.violations = List.copyOf(violations);
  }

  /** The config, as the user named it. */
  public String source() {
    return source;
  }

  /** Every problem found, as values (path, kind, key, expected, got). */
  public List<ConfigViolation> violations() {
    return violations;
  }

  /** Every problem found, each as one line {@code $.path: what was expected}. */
  public List<String> problems() {
    return violations.stream().map(ConfigViolation::message).toList();
  }

  private static String message(String source, List<String> problems) {
    String first = source + ": " + problems.get(0);
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
  }
}
