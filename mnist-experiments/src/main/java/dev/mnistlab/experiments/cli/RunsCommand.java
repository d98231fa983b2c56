package dev.mnistlab.experiments.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mnistlab runs}: the runs recorded in the local store. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List and show the runs recorded in the local store.",
    subcommands = {RunsListCommand.class, RunsShowCommand.class})
final class RunsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing subcommand: list or show");
  }
}
