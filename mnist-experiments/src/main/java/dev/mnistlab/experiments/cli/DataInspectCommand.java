package dev.mnistlab.experiments.cli;

import dev.mnistlab.data.IdxFiles;
import dev.mnistlab.data.InputFiles;
import dev.mnistlab.data.IdxHeader;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab data inspect PATH}: for an IDX file its type, dimensions, item count and the
 * SHA-256 of the file and of its decompressed content; for a dataset folder whether it is the
 * official data (byte-identical or repackaged), each split's counts, per-class counts, pixel
 * mean/std and both checksums of every file.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Describe an IDX file or a dataset folder (four IDX files).")
final class DataInspectCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "An IDX file (raw or gzip) or a"
      + " folder with train/t10k images and labels.")
  Path path;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    if (Files.isDirectory(path)) {
      printDataset(MnistDataset.load(path), out);
    } else {
      printFile(IdxFiles.inspect(InputFiles.requireRegularFile(path,
          "an IDX file or a folder of the four MNIST files")), out);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void printFile(IdxHeader header, PrintWriter out) {
    out.printf("file         %s%n", header.file());
    out.printf("type         %s (0x%02X)%n",
        header.type().name().toLowerCase(Locale.ROOT).replace('_', ' '), header.type().code());
    out.printf("dimensions   %s%n", Arrays.stream(header.dims()).mapToObj(Integer::toString)
        .collect(Collectors.joining(" x ")));
    out.printf("items        %d%n", header.count());
    out.printf("compression  %s%n", header.compression().name().toLowerCase(Locale.ROOT));
    out.printf("size         %d bytes%n", header.fileSize());
    out.printf("sha256       %s%n", header.sha256());
    out.printf("content      %s%s%n", header.contentSha256(),
        header.contentSha256().equals(header.sha256()) ? "" : " (SHA-256 of the decompressed IDX)");
  }

  private static void printDataset(MnistDataset dataset, PrintWriter out) {
    out.printf("dataset      %s%s%n", dataset.name(),
        dataset.source().map(s -> " (" + s + ")").orElse(""));
    out.printf("official     %s%n", officialStatus(dataset));
    for (String difference : dataset.spec().isPresent()
        ? dataset.differencesFromOfficialData() : List.<String>of()) {
      out.printf("  differs    %s%n", difference);
    }
    out.printf("classes      %s%n", String.join(", ", dataset.classNames()));
    printSplit("train", dataset.train(), out);
    printSplit("test", dataset.test(), out);
    printChecksums(dataset, out);
  }

  /**
   * Whether {@code dataset} is the official data, and how: the published files byte for byte, or
   * the published content in other packaging (e.g. Debian's re-gzipped Fashion-MNIST).
   */
  static String officialStatus(MnistDataset dataset) {
    if (dataset.spec().isEmpty()) {
      return "no (the checksums match no known dataset)";
    }
    if (!dataset.matchesOfficialData()) {
      return "no (not the published " + dataset.spec().get().displayName() + " data)";
    }
    return dataset.matchesOfficialFiles()
        ? "yes, byte-identical files (SHA-256 of every file matches the published files)"
        : "yes, same content, repackaged (decompressed SHA-256 matches; file SHA-256 differs)";
  }

  /** Per file: the SHA-256 of the file as stored and of its decompressed IDX content. */
  static void printChecksums(MnistDataset dataset, PrintWriter out) {
    Map<String, String> content = dataset.contentChecksums();
    for (Map.Entry<String, String> checksum : dataset.checksums().entrySet()) {
      out.printf("sha256       %-28s file    %s%n", checksum.getKey(), checksum.getValue());
      out.printf("             %-28s content %s%n", "", content.get(checksum.getKey()));
    }
  }

  private static void printSplit(String name, LabeledImages images, PrintWriter out) {
    out.printf(Locale.ROOT, "%-12s %d images %dx%d, pixel mean %.4f, std %.4f%n", name,
        images.count(), images.rows(), images.cols(), images.pixelMean(), images.pixelStd());
    int[] counts = images.classCounts();
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < counts.length; c++) {
      line.append(c == 0 ? "" : " ").append(c).append(':').append(counts[c]);
    }
    out.printf("%-12s %s%n", "  per class", line);
  }
}
