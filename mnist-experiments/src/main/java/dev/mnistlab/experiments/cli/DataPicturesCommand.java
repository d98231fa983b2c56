package dev.mnistlab.experiments.cli;

import dev.mnistlab.data.DataPictures;
import dev.mnistlab.data.DatasetResolver;
import dev.mnistlab.data.DownloadProgress;
import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.MnistDataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab data pictures}: a PNG grid of random training samples with their labels and a
 * label-distribution bar chart (train and test) of a dataset.
 */
@Command(name = "pictures", mixinStandardHelpOptions = true,
    description = "Draw sample images and the label distribution of a dataset as PNG files.")
final class DataPicturesCommand implements Callable<Integer> {
  static final String SAMPLES = "samples.png";
  static final String LABELS = "label-distribution.png";

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  Source source = new Source();

  static final class Source {
    @Option(names = "--dataset", paramLabel = "NAME",
        description = "mnist, fashion or kmnist (from the cache or downloaded; default mnist).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the four IDX files.")
    Path dataDir;
  }

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the PNGs.")
  Path out;

  @Option(names = "--count", defaultValue = "64", paramLabel = "N",
      description = "Sample images in the grid (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED",
      description = "Seed of the sample choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    KnownDataset known = DatasetChoice.known(spec.commandLine(),
        source.dataset != null ? source.dataset : "mnist");
    DatasetResolver.Builder resolver = DatasetResolver.builder()
        .progress(DownloadProgress.consoleBarsIfTerminal());
    if (source.dataDir != null) {
      resolver.dataDir(source.dataDir);
    }
    MnistDataset dataset = resolver.build().resolve(known);
    if (count < 1 || count > dataset.train().count()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Invalid value for"
          + " option '--count': " + count + " (expected 1.." + dataset.train().count() + ")");
    }
    Files.createDirectories(out);
    DataPictures.sampleGrid(dataset.train(), dataset.classNames(), count, seed,
        out.resolve(SAMPLES));
    DataPictures.labelDistribution(dataset, out.resolve(LABELS));
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.printf("samples             %s%n", out.resolve(SAMPLES));
    stdout.printf("label distribution  %s%n", out.resolve(LABELS));
    stdout.flush();
    return ExitCodes.OK;
  }
}
