package dev.mnistlab.experiments.cli;

/**
 * Thrown by a command that stopped because the user interrupted it (Ctrl-C); maps to exit code
 * {@link ExitCodes#INTERRUPTED}. Its message says what was kept.
 */
final class CommandInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CommandInterruptedException(String message) {
    super(message);
  }
}
