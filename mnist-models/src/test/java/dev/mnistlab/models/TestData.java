package dev.mnistlab.models;

import dev.mnistlab.data.MnistDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared real-data folders the tests need; fails (never skips) when missing. */
final class TestData {

  private static MnistDataset mnist10k;

  private TestData() {}

  /** The repository root: the nearest ancestor of the working directory holding {@code .ci/run}. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(".ci").resolve("run"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no .ci/run above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** {@code ../shared/data/mnist-10k} beside the repository. */
  static Path mnist10kFolder() {
    Path folder = repositoryRoot().resolve("../shared/data/mnist-10k").normalize();
    if (!Files.isDirectory(folder)) {
      throw new IllegalStateException(
          "the mnist-10k data folder is missing: expected " + folder + " (see the README)");
    }
    return folder;
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
