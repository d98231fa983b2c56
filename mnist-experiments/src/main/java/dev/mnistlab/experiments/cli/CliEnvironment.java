package dev.mnistlab.experiments.cli;

import java.util.Map;
import java.util.Objects;

/**
 * The environment variables the commands read ({@code WANDB_*}, {@code MNISTLAB_HOME} via the
 * libraries). One place, so that in-process tests can run a command against a W&amp;B stand-in
 * without touching the real process environment.
 */
final class CliEnvironment {
  private static volatile Map<String, String> variables = System.getenv();

  private CliEnvironment() {}

  /** The variables commands see (the process environment unless a test replaced it). */
  static Map<String, String> get() {
    return variables;
  }

  /** Replaces the variables (tests only); returns the previous ones for restoring. */
  static Map<String, String> replace(Map<String, String> replacement) {
    Map<String, String> previous = variables;
    variables = Map.copyOf(Objects.requireNonNull(replacement));
    return previous;
  }
}
