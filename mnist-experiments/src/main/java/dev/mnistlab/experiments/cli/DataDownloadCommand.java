package dev.mnistlab.experiments.cli;

import dev.mnistlab.data.DatasetResolver;
import dev.mnistlab.data.DownloadProgress;
import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.MnistDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab data download}: fetches a known dataset's four published files into the cache
 * (or {@code --dir}), from a verified system installation or its mirrors (or those given), then
 * prints the file and content SHA-256 of the files actually in the folder.
 */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = "Download a dataset's four IDX files (checksums verified) into the cache or"
        + " --dir.")
final class DataDownloadCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "mnist",
      description = "mnist, fashion or kmnist (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--mirror", paramLabel = "URL",
      description = "Base URL to try instead of the dataset's own mirrors; repeat for several,"
          + " tried in order.")
  List<String> mirrors = new ArrayList<>();

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Folder to download into (default: the cache, $MNISTLAB_HOME or"
          + " ~/.cache/mnistlab).")
  Path dir;

  @Override
  public Integer call() throws IOException {
    KnownDataset known = DatasetChoice.known(spec.commandLine(), dataset);
    DatasetResolver.Builder builder = DatasetResolver.builder()
        .progress(DownloadProgress.consoleBarsIfTerminal());
    if (!mirrors.isEmpty()) {
      builder.mirrors(parseMirrors());
    }
    DatasetResolver resolver = builder.build();
    Path folder = dir != null ? dir : resolver.cacheFolder(known);
    Files.createDirectories(folder);
    resolver.download(known, folder);
    // what is on disk now (a system copy may be repackaged), not the published values
    MnistDataset onDisk = MnistDataset.load(folder, known);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s: %s%n", known.displayName(), folder.toAbsolutePath());
    out.printf("official     %s%n", DataInspectCommand.officialStatus(onDisk));
    DataInspectCommand.printChecksums(onDisk, out);
    if (dir != null) {
      out.printf("use it with: --data-dir %s%n", dir);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private List<URI> parseMirrors() {
    List<URI> uris = new ArrayList<>();
    for (String mirror : mirrors) {
      try {
        URI uri = new URI(mirror);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "Invalid value for option '--mirror': '" + mirror + "' is not an http(s) URL");
        }
        uris.add(uri);
      } catch (java.net.URISyntaxException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Invalid value for option '--mirror': '" + mirror + "' is not a URL (" + e.getReason()
                + ")");
      }
    }
    return uris;
  }
}
