package dev.mnistlab.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.experiments.internal.AtomicFiles;
import dev.mnistlab.experiments.runner.SweepData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The data pictures of a sweep, written beside its results so the report can be rebuilt without
 * the dataset: {@value #JSON} (split sizes, class counts, checksums) and {@value #SAMPLES} (a grid
 * of random training images per class, as a PNG data URI).
 */
public final class DataSummary {
  /** Split sizes, class names and counts, checksums. */
  public static final String JSON = "data.json";
  /** A PNG data URI of sample images per class. */
  public static final String SAMPLES = "data-samples.txt";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DataSummary() {}

  /** Writes both files into {@code outputDir}. */
  public static void write(SweepData data, Path outputDir, long seed) throws IOException {
    Files.createDirectories(outputDir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", data.name());
    json.put("class_names", data.classNames());
    json.put("train", split(data.train()));
    json.put("validation", split(data.validation()));
    json.put("test", split(data.test()));
    json.put("checksums", data.checksums());
    AtomicFiles.writeString(outputDir.resolve(JSON),
        MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    AtomicFiles.writeString(outputDir.resolve(SAMPLES), samples(data.train(), data.classNames(), seed));
  }

  private static Map<String, Object> split(LabeledImages images) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", images.count());
    m.put("class_counts", images.classCounts());
    return m;
  }

  private static String samples(LabeledImages images, List<String> classNames, long seed) {
    int perClass = 10;
    List<List<byte[]>> rows = new ArrayList<>();
    for (int k = 0; k < images.numClasses(); k++) {
      rows.add(new ArrayList<>());
    }
    Random random = new Random(seed);
    int[] order = new int[images.count()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (int i : order) {
      List<byte[]> row = rows.get(images.label(i));
      if (row.size() < perClass) {
        row.add(images.image(i));
      }
    }
    return DigitPictures.sampleGrid(rows, classNames, images.rows(), images.cols(), 2);
  }

  /** Reads the summary back, if the folder has one. */
  static Optional<JsonNode> read(Path outputDir) throws IOException {
    Path file = outputDir.resolve(JSON);
    return Files.exists(file) ? Optional.of(MAPPER.readTree(file.toFile())) : Optional.empty();
  }

  /** The sample grid's data URI, if the folder has one. */
  static Optional<String> samples(Path outputDir) throws IOException {
    Path file = outputDir.resolve(SAMPLES);
    return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
  }
}
