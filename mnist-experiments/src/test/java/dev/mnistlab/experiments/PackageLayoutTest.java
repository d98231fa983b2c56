package dev.mnistlab.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layout has no back edges: {@code trial} knows neither sweeps nor their scheduling,
 * and nothing below the command line knows the command line.
 */
class PackageLayoutTest {
  private static final Pattern REFERENCE =
      Pattern.compile("dev\\.mnistlab\\.experiments\\.(cli|runner|sweep|trial|report|internal)\\b");

  /** The sub-packages the sources of {@code pkg} refer to. */
  private static Set<String> referencedBy(String pkg) throws IOException {
    Path sources = TestPaths.repositoryRoot()
        .resolve("mnist-experiments/src/main/java/dev/mnistlab/experiments").resolve(pkg);
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          found.add(m.group(1));
        }
      }
    }
    found.remove(pkg);
    return found;
  }

  @Test
  void theTrialPackageImportsNeitherSweepNorRunnerNorCli() throws IOException {
    assertThat(referencedBy("trial")).doesNotContain("sweep", "runner", "cli", "report");
  }

  @Test
  void nothingBelowTheCommandLineImportsIt() throws IOException {
    for (String pkg : List.of("trial", "sweep", "runner", "report", "internal")) {
      assertThat(referencedBy(pkg)).as(pkg).doesNotContain("cli");
    }
  }

  @Test
  void sweepsDoNotKnowTheirSchedulingOrReports() throws IOException {
    assertThat(referencedBy("sweep")).doesNotContain("runner", "report");
  }
}
