package dev.mnistlab.spark.internal;

import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.experiments.trial.TrialData;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sweep's {@link TrialData} as plain arrays: what the driver broadcasts once (the data it loaded
 * and verified by content checksum, already split), and what each executor turns back into a
 * {@link TrialData} once ({@link #onThisExecutor}), whatever number of trials it then runs.
 */
public final class SharedData implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final String name;
  private final List<String> classNames;
  private final Images train;
  private final Images validation;
  private final Images test;
  private final Map<String, String> checksums;
  private final Map<String, String> contentChecksums;

  private static final Map<Map<String, String>, TrialData> LOADED = new ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger REBUILT =
      new java.util.concurrent.atomic.AtomicInteger();

  private SharedData(TrialData data) {
    this.name = data.name();
    this.classNames = List.copyOf(data.classNames());
    this.train = new Images(data.train());
    this.validation = new Images(data.validation());
    this.test = new Images(data.test());
    this.checksums = Map.copyOf(data.checksums());
    this.contentChecksums = Map.copyOf(data.contentChecksums());
  }

  /** The data as it travels. */
  public static SharedData of(TrialData data) {
    return new SharedData(data);
  }

  /** The content checksums of the source files (what identifies the data). */
  public Map<String, String> contentChecksums() {
    return contentChecksums;
  }

  /**
   * The data on this executor: rebuilt from the arrays the first time, then the same object for
   * every trial of the sweep that runs here (keyed by content checksums and split sizes).
   */
  public TrialData onThisExecutor() {
    Map<String, String> key = new java.util.TreeMap<>(contentChecksums);
    key.put("#split", train.count() + "/" + validation.count() + "/" + test.count());
    return LOADED.computeIfAbsent(key, k -> {
      REBUILT.incrementAndGet();
      return new TrialData(name, classNames, train.images(), validation.images(), test.images(),
          checksums, contentChecksums);
    });
  }

  /** How many times data was rebuilt in this JVM (for tests: once per executor). */
  static int rebuiltInThisJvm() {
    return REBUILT.get();
  }

  /** One split's pixels and labels. */
  private static final class Images implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private final byte[] pixels;
    private final byte[] labels;
    private final int rows;
    private final int cols;
    private final int numClasses;

    Images(LabeledImages images) {
      this.pixels = images.imagesAsIdx().toByteArray();
      this.labels = images.labelsAsIdx().toByteArray();
      this.rows = images.rows();
      this.cols = images.cols();
      this.numClasses = images.numClasses();
    }

    int count() {
      return labels.length;
    }

    LabeledImages images() {
      return LabeledImages.of(pixels, labels, rows, cols, numClasses);
    }
  }
}
