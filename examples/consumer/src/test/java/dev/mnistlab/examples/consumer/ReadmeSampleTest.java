package dev.mnistlab.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The code shown in the repository README is the sample this project compiles and tests. */
class ReadmeSampleTest {
  private static final Pattern README_SAMPLE = Pattern.compile(
      "<!-- sample:TrainAndTrack -->\\s*```java\\n(.*?)```\\s*<!-- /sample -->", Pattern.DOTALL);

  @Test
  void readmeShowsExactlyTheTestedTrainAndTrackSample() throws IOException {
    Path readme = SharedPaths.repositoryRoot().resolve("README.md");
    Matcher m = README_SAMPLE.matcher(Files.readString(readme, StandardCharsets.UTF_8));
    assertThat(m.find())
        .as("%s needs a ```java block between <!-- sample:TrainAndTrack --> and <!-- /sample -->",
            readme)
        .isTrue();
    Path source = Path.of(System.getProperty("basedir", "."))
        .resolve("src/main/java/dev/mnistlab/examples/consumer/TrainAndTrack.java");

    List<String> shown = lines(m.group(1));
    List<String> compiled = sampleRegion(source);

    assertThat(firstDifference(shown, compiled))
        .as("README.md's TrainAndTrack sample must be the lines between // sample:start and "
            + "// sample:end of %s", source)
        .isEmpty();
  }

  /** "line N: README has ..., source has ..." for the first differing line, or empty. */
  private static String firstDifference(List<String> readme, List<String> source) {
    for (int i = 0; i < Math.max(readme.size(), source.size()); i++) {
      String r = i < readme.size() ? readme.get(i) : "<end of block>";
      String s = i < source.size() ? source.get(i) : "<end of region>";
      if (!r.equals(s)) {
        return "sample line " + (i + 1) + ": README has [" + r + "], source has [" + s + "]";
      }
    }
    return "";
  }

  private static List<String> sampleRegion(Path source) throws IOException {
    String text = Files.readString(source, StandardCharsets.UTF_8);
    int start = text.indexOf("// sample:start\n");
    int end = text.indexOf("// sample:end");
    assertThat(start).as("// sample:start in %s", source).isNotNegative();
    assertThat(end).as("// sample:end after // sample:start in %s", source).isGreaterThan(start);
    return lines(text.substring(start + "// sample:start\n".length(), end));
  }

  private static List<String> lines(String block) {
    return block.lines().map(String::stripTrailing).collect(Collectors.toList());
  }
}
