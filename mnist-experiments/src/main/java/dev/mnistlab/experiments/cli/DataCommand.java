package dev.mnistlab.experiments.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mnistlab data}: look at, fetch and picture MNIST-style datasets. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Inspect, download and picture MNIST-style datasets.",
    subcommands = {DataInspectCommand.class, DataDownloadCommand.class, DataPicturesCommand.class})
final class DataCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing subcommand: inspect, download or pictures");
  }
}
