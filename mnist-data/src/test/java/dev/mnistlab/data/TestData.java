package dev.mnistlab.data;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the real datasets the tests need; fails (never skips) with a clear message if absent. */
final class TestData {
  static final Path FASHION = Paths.get("/usr/share/datasets/fashion-mnist");

  private TestData() {}

  /** The repository root: the first ancestor of the working directory holding {@code .ci/run}. */
  static Path repositoryRoot() {
    Path dir = Paths.get("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(".ci/run"))) {
        return p;
      }
    }
    return fail("no .ci/run above " + dir + ": tests must run inside the mnistlab repository");
  }

  /** {@code <repo>/../shared/data/mnist-10k}, the real MNIST subset. */
  static Path mnist10k() {
    Path dir = repositoryRoot().resolveSibling("shared").resolve("data/mnist-10k");
    if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
      fail("the real MNIST subset is missing: expected " + dir + " (../shared/data/mnist-10k beside the repository)");
    }
    return dir;
  }

  /** Debian's full Fashion-MNIST. */
  static Path fashion() {
    if (!Files.isRegularFile(FASHION.resolve("train-images-idx3-ubyte.gz"))) {
      fail("full Fashion-MNIST is missing: expected " + FASHION
          + " (apt-get install -y dataset-fashion-mnist; .ci/run installs it)");
    }
    return FASHION;
  }
}
