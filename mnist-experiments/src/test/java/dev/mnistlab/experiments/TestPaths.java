package dev.mnistlab.experiments;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations tests need: the repository root, its experiments folder, the shared data. */
public final class TestPaths {
  private TestPaths() {}

  /** The repository root: the first folder above the working directory holding {@code .ci/run}. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(".ci/run"))) {
        return p;
      }
    }
    throw new IllegalStateException("no .ci/run above " + dir);
  }

  /** The shipped sweep configs. */
  public static Path experiments() {
    return repositoryRoot().resolve("experiments");
  }

  /** The shared 10k MNIST subset ({@code ../shared/data/mnist-10k}); tests fail when missing. */
  public static Path mnist10k() {
    Path dir = repositoryRoot().resolveSibling("shared").resolve("data/mnist-10k");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("shared test data missing: " + dir);
    }
    return dir;
  }

  /**
   * Debian's full Fashion-MNIST ({@code apt-get install -y dataset-fashion-mnist}, which .ci/run
   * does); tests fail when missing.
   */
  public static Path debianFashionMnist() {
    Path dir = Path.of("/usr/share/datasets/fashion-mnist");
    if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
      throw new IllegalStateException("Debian's Fashion-MNIST missing: " + dir
          + " (apt-get install -y dataset-fashion-mnist)");
    }
    return dir;
  }
}
