package dev.mnistlab.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.data.DataPictures;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.io.AtomicFiles;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The data pictures of a sweep, written beside its results so the report can be rebuilt without
 * the dataset: {@value #JSON} (split sizes, class counts, checksums), and mnist-data's data
 * pictures as PNG data URIs: {@value #SAMPLES} (random training images with their labels) and
 * {@value #LABELS} (images per class in each split).
 */
public final class DataSummary {
  /** Split sizes, class names and counts, checksums. */
  public static final String JSON = "data.json";
  /** A PNG data URI: random training images with their labels (mnist-data's picture). */
  public static final String SAMPLES = "data-samples.txt";
  /** A PNG data URI: the label distribution of each split (mnist-data's bar chart). */
  public static final String LABELS = "data-labels.txt";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DataSummary() {}

  /** Writes both files into {@code outputDir}. */
  public static void write(TrialData data, Path outputDir, long seed) throws IOException {
    Files.createDirectories(outputDir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", data.name());
    json.put("class_names", data.classNames());
    json.put("train", split(data.train()));
    json.put("validation", split(data.validation()));
    json.put("test", split(data.test()));
    json.put("checksums", data.checksums());
    json.put("content_checksums", data.contentChecksums());
    AtomicFiles.writeString(outputDir.resolve(JSON),
        MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    AtomicFiles.writeString(outputDir.resolve(SAMPLES), samples(data, seed));
    AtomicFiles.writeString(outputDir.resolve(LABELS), labels(data));
  }

  private static Map<String, Object> split(LabeledImages images) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", images.count());
    m.put("class_counts", images.classCounts());
    return m;
  }

  /** The same sample grid every trial's run shows (one picture, made by {@link TrialMedia}). */
  private static String samples(TrialData data, long seed) {
    return DigitPictures.dataUri(TrialMedia.samples(data, seed).png());
  }

  private static String labels(TrialData data) throws IOException {
    Path png = Files.createTempFile("mnistlab-labels", ".png");
    try {
      Map<String, LabeledImages> splits = new LinkedHashMap<>();
      splits.put("train", data.train());
      splits.put("validation", data.validation());
      splits.put("test", data.test());
      DataPictures.labelDistribution(splits, data.classNames(), "Images per class: " + data.name(),
          png);
      return pngDataUri(png);
    } finally {
      Files.deleteIfExists(png);
    }
  }

  private static String pngDataUri(Path png) throws IOException {
    return DigitPictures.dataUri(Files.readAllBytes(png));
  }

  /** Reads the summary back, if the folder has one. */
  static Optional<JsonNode> read(Path outputDir) throws IOException {
    Path file = outputDir.resolve(JSON);
    return Files.exists(file) ? Optional.of(MAPPER.readTree(file.toFile())) : Optional.empty();
  }

  /** A picture's data URI ({@value #SAMPLES} or {@value #LABELS}), if the folder has it. */
  static Optional<String> picture(Path outputDir, String name) throws IOException {
    Path file = outputDir.resolve(name);
    return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
  }
}
