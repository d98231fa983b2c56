package dev.mnistlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KnownDatasetTest {
  @Test
  void findsDatasetsByIdDisplayNameOrConstant() {
    assertThat(KnownDataset.fromId("mnist")).isEqualTo(KnownDataset.MNIST);
    assertThat(KnownDataset.fromId("Fashion")).isEqualTo(KnownDataset.FASHION_MNIST);
    assertThat(KnownDataset.fromId("fashion-mnist")).isEqualTo(KnownDataset.FASHION_MNIST);
    assertThat(KnownDataset.fromId("FASHION_MNIST")).isEqualTo(KnownDataset.FASHION_MNIST);
    assertThat(KnownDataset.fromId("kmnist")).isEqualTo(KnownDataset.KMNIST);
  }

  @Test
  void rejectsAnUnknownIdListingTheValidOnes() {
    assertThatThrownBy(() -> KnownDataset.fromId("cifar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown dataset 'cifar': expected one of mnist, fashion, kmnist");
  }

  @Test
  void publishesTheOfficialFileNamesAndSizes() {
    assertThat(KnownDataset.MNIST.file(FileRole.TRAIN_IMAGES).size()).isEqualTo(9_912_422);
    assertThat(KnownDataset.MNIST.file(FileRole.TEST_LABELS).sha256())
        .isEqualTo("f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");
    assertThat(KnownDataset.FASHION_MNIST.file(FileRole.TRAIN_IMAGES).size()).isEqualTo(26_421_880);
    assertThat(KnownDataset.KMNIST.file(FileRole.TRAIN_IMAGES).size()).isEqualTo(18_165_135);
    for (KnownDataset d : KnownDataset.values()) {
      assertThat(d.files()).extracting(DatasetFile::fileName).containsExactly("train-images-idx3-ubyte.gz",
          "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
      assertThat(d.numClasses()).isEqualTo(10);
      assertThat(d.defaultMirrors()).isNotEmpty();
    }
    assertThat(KnownDataset.FASHION_MNIST.classNames()).startsWith("T-shirt/top", "Trouser").endsWith("Ankle boot");
  }

  @Test
  void recognisesDatasetsByTheirPublishedChecksums() {
    for (KnownDataset d : KnownDataset.values()) {
      assertThat(KnownDataset.recognise(d.files().stream().map(DatasetFile::sha256)
          .collect(java.util.stream.Collectors.toList()))).contains(d);
    }
    assertThat(KnownDataset.recognise(java.util.List.of("a", "b", "c", "d"))).isEmpty();
  }

  @Test
  void recognisesFashionMnistByItsDecompressedContentWhateverItsPackaging() {
    java.util.List<String> content = KnownDataset.FASHION_MNIST.files().stream()
        .map(f -> f.contentSha256().orElseThrow()).collect(java.util.stream.Collectors.toList());
    assertThat(KnownDataset.recognise(content)).contains(KnownDataset.FASHION_MNIST);
    DatasetFile labels = KnownDataset.FASHION_MNIST.file(FileRole.TEST_LABELS);
    assertThat(labels.matches("0".repeat(64), labels.contentSha256().orElseThrow())).isTrue();
    assertThat(labels.matches(labels.sha256(), null)).isTrue();
    assertThat(labels.matches("0".repeat(64), "1".repeat(64))).isFalse();
  }

  @Test
  void recordsContentChecksumsOnlyWhereASourceGivesThem() {
    for (KnownDataset d : java.util.List.of(KnownDataset.MNIST, KnownDataset.FASHION_MNIST)) {
      assertThat(d.files()).extracting(f -> f.contentSize().getAsLong())
          .containsExactly(16L + 60_000 * 784, 8L + 60_000, 16L + 10_000 * 784, 8L + 10_000);
      assertThat(d.files()).allSatisfy(f -> assertThat(f.contentSha256()).isPresent());
    }
    assertThat(KnownDataset.MNIST.file(FileRole.TRAIN_IMAGES).contentSha256())
        .contains("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    assertThat(KnownDataset.KMNIST.files()).allSatisfy(f -> {
      assertThat(f.contentSha256()).isEmpty();
      assertThat(f.contentSize()).isEmpty();
      assertThat(f.matches("0".repeat(64), "0".repeat(64))).isFalse();
    });
  }

  @Test
  void looksForFashionMnistWhereDebianInstallsIt() {
    assertThat(KnownDataset.FASHION_MNIST.spec().systemLocations())
        .containsExactly(java.nio.file.Path.of("/usr/share/datasets/fashion-mnist"));
    assertThat(KnownDataset.MNIST.spec().systemLocations()).isEmpty();
  }

  @Test
  void rejectsMalformedContentChecksums() {
    DatasetFile f = KnownDataset.MNIST.file(FileRole.TRAIN_LABELS);
    assertThatThrownBy(() -> f.withContent(60_008, "ABC"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 lower-case hex digits");
    assertThatThrownBy(() -> f.withContent(0, "0".repeat(64))).isInstanceOf(IllegalArgumentException.class);
  }
}
