package dev.mnistlab.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the mnistlab checkout and the shared data beside it are, from the build's properties. */
final class SharedPaths {
  private SharedPaths() {}

  /** The mnistlab repository root (the pom passes its {@code mnistlab.root} property). */
  static Path repositoryRoot() {
    String root = System.getProperty("mnistlab.repositoryRoot");
    assertThat(root)
        .as("system property mnistlab.repositoryRoot (set from mnistlab.root in pom.xml)")
        .isNotBlank();
    Path path = Path.of(root).toAbsolutePath().normalize();
    assertThat(path.resolve("README.md"))
        .as("mnistlab.root %s must be the mnistlab repository root", path)
        .isRegularFile();
    return path;
  }

  /** The shared MNIST folder {@code <root>/../shared/data/mnist-10k}; fails the test if absent. */
  static Path mnist10k() {
    Path data = repositoryRoot().resolve("../shared/data/mnist-10k").normalize();
    assertThat(Files.isRegularFile(data.resolve("train-images-idx3-ubyte.gz")))
        .as("shared MNIST data missing: expected the IDX files in %s (../shared beside the "
            + "repository)", data)
        .isTrue();
    return data;
  }
}
