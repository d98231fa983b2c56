package dev.mnistlab.data.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real datasets the tests of every module read are: the repository root, the shared
 * 10k MNIST subset beside the repository and Debian's full Fashion-MNIST. Shipped in mnist-data's
 * test jar, so data, models, tracking and experiments tests find them one way. A missing dataset
 * fails the test with what to install or where to put it: real-data tests are never skipped.
 */
public final class SharedData {
  /** Debian's Fashion-MNIST ({@code apt-get install -y dataset-fashion-mnist}). */
  public static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  private SharedData() {}

  /** The repository root: the nearest ancestor of the working directory holding {@code .ci/run}. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(".ci/run"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no .ci/run above " + dir + ": tests must run inside the mnistlab repository");
  }

  /** {@code ../shared/data/mnist-10k} beside the repository: the real 10k MNIST subset. */
  public static Path mnist10k() {
    Path dir = repositoryRoot().resolveSibling("shared").resolve("data/mnist-10k");
    if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
      throw new IllegalStateException("the real MNIST subset is missing: expected " + dir
          + " (../shared/data/mnist-10k beside the repository)");
    }
    return dir;
  }

  /** Debian's full Fashion-MNIST. */
  public static Path fashion() {
    if (!Files.isRegularFile(FASHION.resolve("train-images-idx3-ubyte.gz"))) {
      throw new IllegalStateException("full Fashion-MNIST is missing: expected " + FASHION
          + " (apt-get install -y dataset-fashion-mnist; .ci/run installs it)");
    }
    return FASHION;
  }
}
