package dev.mnistlab.models;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** mnist-10k for the models tests, loaded once per test JVM from the shared fixture's folder. */
final class TestData {

  private static MnistDataset mnist10k;

  private TestData() {}

  /** {@code ../shared/data/mnist-10k} beside the repository (the shared fixture). */
  static Path mnist10kFolder() {
    return SharedData.mnist10k();
  }

  /** mnist-10k, loaded once per test JVM. */
  static synchronized MnistDataset mnist10k() {
    if (mnist10k == null) {
      try {
        mnist10k = MnistDataset.load(mnist10kFolder());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return mnist10k;
  }
}
