package dev.mnistlab.experiments.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code mnistlab} command: the root of all subcommands.
 *
 * <p>Use {@link #newCommandLine()} to get a fully configured picocli {@link CommandLine}: it maps
 * failures to exit codes (see {@link ExitCodes} and {@link FailureClassifier}), prints user errors
 * as one line on standard error, and applies {@code --debug} to logging and error output.
 */
@Command(
    name = "mnistlab",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Reproducible deep-learning experiments on MNIST-style data.",
    subcommands = {
      DataCommand.class, TrainCommand.class, PredictCommand.class, SweepCommand.class,
      RerunCommand.class, ReportCommand.class, RunsCommand.class, SyncCommand.class,
      AgentCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MnistlabCommand implements Callable<Integer> {

  /** The name of the global debug option. */
  static final String DEBUG_OPTION = "--debug";

  @Spec CommandSpec spec;

  @Option(
      names = DEBUG_OPTION,
      scope = ScopeType.INHERIT,
      description = "Verbose logging, and stack traces for errors.")
  boolean debug;

  /** Creates the command object; prefer {@link #newCommandLine()}. */
  public MnistlabCommand() {}

  /**
   * Creates a configured command line for {@code mnistlab}; call {@code execute(args)} on it.
   * Output and error streams can be redirected with {@code setOut}/{@code setErr} (as tests do).
   */
  public static CommandLine newCommandLine() {
    CommandLine commandLine = new CommandLine(new MnistlabCommand());
    commandLine.setExecutionStrategy(MnistlabCommand::executeWithLogging);
    commandLine.setParameterExceptionHandler(MnistlabCommand::handleParameterException);
    commandLine.setExecutionExceptionHandler(MnistlabCommand::handleExecutionException);
    return commandLine;
  }

  @Override
  public Integer call() {
    // `mnistlab` without a subcommand: show what there is, but signal that nothing was done.
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USER_ERROR;
  }

  private static int executeWithLogging(ParseResult parseResult) {
    LoggingSetup.apply(isDebug(parseResult));
    return new CommandLine.RunLast().execute(parseResult);
  }

  /** True when {@code --debug} appears on the root or on any subcommand of this invocation. */
  static boolean isDebug(ParseResult parseResult) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(DEBUG_OPTION)) {
        return true;
      }
    }
    return false;
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine failed = e.getCommandLine();
    PrintWriter err = failed.getErr();
    String command = failed.getCommandSpec().qualifiedName();
    err.println(command + ": " + (e.getMessage() == null ? "invalid arguments"
        : FailureClassifier.oneLine(e.getMessage()))
        + " (see '" + command + " --help')");
    if (containsDebug(args)) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.USER_ERROR;
  }

  private static int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    boolean debug = isDebug(parseResult);
    int exitCode;
    if (e instanceof CommandInterruptedException) {
      err.println("mnistlab: " + FailureClassifier.describe(e));
      exitCode = ExitCodes.INTERRUPTED;
    } else if (FailureClassifier.isUserError(e)) {
      err.println("mnistlab: " + FailureClassifier.describe(e));
      exitCode = ExitCodes.USER_ERROR;
    } else {
      err.println("mnistlab: " + FailureClassifier.describeBug(e));
      exitCode = ExitCodes.INTERNAL_ERROR;
    }
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode;
  }

  private static boolean containsDebug(String[] args) {
    for (String arg : args) {
      if (DEBUG_OPTION.equals(arg)) {
        return true;
      }
    }
    return false;
  }

}
