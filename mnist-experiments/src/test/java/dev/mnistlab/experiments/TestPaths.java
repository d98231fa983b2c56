package dev.mnistlab.experiments;

import dev.mnistlab.data.testing.SharedData;
import java.nio.file.Path;

/** Locations the experiments tests need: the shipped configs, and the shared data (mnist-data's fixture). */
public final class TestPaths {
  private TestPaths() {}

  /** The repository root: the first folder above the working directory holding {@code .ci/run}. */
  public static Path repositoryRoot() {
    return SharedData.repositoryRoot();
  }

  /** The shipped sweep configs. */
  public static Path experiments() {
    return repositoryRoot().resolve("experiments");
  }

  /** The shared 10k MNIST subset ({@code ../shared/data/mnist-10k}); tests fail when missing. */
  public static Path mnist10k() {
    return SharedData.mnist10k();
  }

  /**
   * Debian's full Fashion-MNIST ({@code apt-get install -y dataset-fashion-mnist}, which .ci/run
   * does); tests fail when missing.
   */
  public static Path debianFashionMnist() {
    return SharedData.fashion();
  }
}
