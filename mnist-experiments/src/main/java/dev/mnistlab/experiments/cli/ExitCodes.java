package dev.mnistlab.experiments.cli;

/** The exit codes of the {@code mnistlab} command, in one place so scripts can rely on them. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** A bug or an unexpected failure inside mnistlab (the message says to run with --debug). */
  public static final int INTERNAL_ERROR = 1;
  /** Bad input from the user: a wrong argument, a missing or malformed file, an invalid config. */
  public static final int USER_ERROR = 2;
  /** The work could only partly be done for now (e.g. W&amp;B unreachable); run it again later. */
  public static final int INCOMPLETE = 3;
  /**
   * The command was interrupted (Ctrl-C, SIGINT); what had finished is kept. The JVM reports a
   * process ended by a signal as 128 + the signal's number, whatever the command returns: 130 for
   * SIGINT, and {@link #TERMINATED} for SIGTERM, after the same clean stop.
   */
  public static final int INTERRUPTED = 130;
  /** The command was stopped by SIGTERM ({@code kill PID}); it stops as after Ctrl-C. */
  public static final int TERMINATED = 143;

  private ExitCodes() {}
}
