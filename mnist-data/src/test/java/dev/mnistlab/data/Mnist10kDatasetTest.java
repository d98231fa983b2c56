package dev.mnistlab.data;

import dev.mnistlab.data.testing.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real MNIST subset in ../shared/data/mnist-10k, against the figures of its README. */
class Mnist10kDatasetTest {
  static Path folder;
  static MnistDataset dataset;

  @BeforeAll
  static void load() throws Exception {
    folder = SharedData.mnist10k();
    dataset = MnistDataset.load(folder, KnownDataset.MNIST);
  }

  @Test
  void hasTheCountsAndShapeItsReadmeStates() {
    assertThat(dataset.train().count()).isEqualTo(8000);
    assertThat(dataset.test().count()).isEqualTo(2000);
    assertThat(dataset.train().rows()).isEqualTo(28);
    assertThat(dataset.train().cols()).isEqualTo(28);
    assertThat(dataset.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(dataset.name()).isEqualTo("mnist");
    assertThat(dataset.source()).contains(folder);
  }

  @Test
  void recordsTheChecksumsItsReadmeStates() {
    assertThat(dataset.checksums()).containsExactly(
        entry("train-images-idx3-ubyte.gz", "4d964ec783a7c12e661263c88a80fbcbd4970457a9960873df5034f92b5ef2ba"),
        entry("train-labels-idx1-ubyte.gz", "5a969c190ed7ae9322713f62e7a3380fee44cb8baaf66ea1f380c40501990159"),
        entry("t10k-images-idx3-ubyte.gz", "0a88eed98b4f4a8d0cc29d317db3c4ada908107e0ea02cd49b527eb89bc1c507"),
        entry("t10k-labels-idx1-ubyte.gz", "b25ff6d33adc13a562ca2776f749bc3f08a9e60351a7fafd7d0ccbd673d1c180"));
    assertThat(dataset.matchesOfficialFiles()).as("a subset is not the official files").isFalse();
  }

  @Test
  void hasTheTestClassCountsItsReadmeStates() {
    assertThat(dataset.test().classCounts()).containsExactly(200, 225, 198, 206, 196, 173, 203, 214, 189, 196);
    assertThat(java.util.Arrays.stream(dataset.train().classCounts()).sum()).isEqualTo(8000);
  }

  @Test
  void loadsWithoutASpecUnderTheFolderName() throws Exception {
    MnistDataset unnamed = MnistDataset.load(folder);
    assertThat(unnamed.name()).isEqualTo("mnist-10k");
    assertThat(unnamed.spec()).isEmpty();
    assertThat(unnamed.train().count()).isEqualTo(8000);
  }

  @Test
  void pixelsLookLikeMnistDigits() {
    // MNIST's well-known statistics: mean ~0.13, std ~0.31 (pixel / 255)
    assertThat(dataset.train().pixelMean()).isBetween(0.12, 0.14);
    assertThat(dataset.train().pixelStd()).isBetween(0.29, 0.32);
  }

  private static java.util.Map.Entry<String, String> entry(String k, String v) {
    return java.util.Map.entry(k, v);
  }
}
