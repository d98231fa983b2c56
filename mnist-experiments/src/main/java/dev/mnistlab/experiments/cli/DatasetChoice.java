package dev.mnistlab.experiments.cli;

import dev.mnistlab.data.KnownDataset;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** Turns a {@code --dataset} value into a {@link KnownDataset}, or a usage error listing the ids. */
final class DatasetChoice {
  private DatasetChoice() {}

  static KnownDataset known(CommandLine commandLine, String id) {
    return KnownDataset.find(id).orElseThrow(() -> new CommandLine.ParameterException(commandLine,
        "Invalid value for option '--dataset': '" + id + "' (expected one of: "
            + Arrays.stream(KnownDataset.values()).map(KnownDataset::id)
                .collect(Collectors.joining(", ")) + ")"));
  }
}
