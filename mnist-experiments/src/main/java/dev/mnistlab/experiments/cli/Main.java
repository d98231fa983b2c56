package dev.mnistlab.experiments.cli;

/**
 * Entry point of the {@code mnistlab} executable jar: runs {@link MnistlabCommand} and exits with
 * its exit code (0 success, 1 internal error, 2 user error, 3 incomplete, 130
 * interrupted by Ctrl-C, 143 stopped by SIGTERM).
 */
public final class Main {
  private Main() {}

  /**
   * Runs the command line and terminates the JVM with the command's exit code.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    int exitCode = MnistlabCommand.newCommandLine().execute(args);
    System.exit(exitCode);
  }
}
