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
  /** The command was interrupted (Ctrl-C); what had finished is kept. */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
