package dev.mnistlab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Full Fashion-MNIST from Debian's dataset-fashion-mnist package (installed by .ci/run). */
class FashionMnistDatasetTest {
  static MnistDataset fashion;

  @BeforeAll
  static void load() throws Exception {
    fashion = MnistDataset.load(TestData.fashion(), KnownDataset.FASHION_MNIST);
  }

  @Test
  void has60000TrainAnd10000TestImagesOf28x28() {
    assertThat(fashion.train().count()).isEqualTo(60_000);
    assertThat(fashion.test().count()).isEqualTo(10_000);
    assertThat(fashion.train().rows()).isEqualTo(28);
    assertThat(fashion.train().cols()).isEqualTo(28);
    assertThat(fashion.classNames()).hasSize(10).startsWith("T-shirt/top");
  }

  @Test
  void has6000TrainAnd1000TestImagesPerClass() {
    int[] train = fashion.train().classCounts();
    int[] test = fashion.test().classCounts();
    assertThat(train).containsOnly(6_000).hasSize(10);
    assertThat(test).containsOnly(1_000).hasSize(10);
  }

  @Test
  void recordsTheChecksumsOfDebiansFiles() {
    assertThat(fashion.checksums()).containsExactly(
        Map.entry("train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
        Map.entry("train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
        Map.entry("t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
        Map.entry("t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"));
    assertThat(fashion.matchesOfficialFiles()).as("Debian rewrote the gzip headers").isFalse();
  }

  @Test
  void recognisesDebiansCopyWithoutBeingToldWhatItIs() throws Exception {
    MnistDataset guessed = MnistDataset.load(TestData.fashion());
    assertThat(guessed.name()).isEqualTo("fashion");
    assertThat(guessed.spec()).contains(KnownDataset.FASHION_MNIST.spec());
    assertThat(guessed.classNames()).isEqualTo(KnownDataset.FASHION_MNIST.classNames());
    assertThat(guessed.matchesOfficialFiles()).isFalse();
  }

  @Test
  void debiansFilesAreTheOfficialOnesWithoutTheStoredFileName() throws Exception {
    // the official files store the original name (FNAME flag) in their gzip header; Debian's do
    // not: adding name + terminating zero gives exactly the official size
    for (DatasetFile official : KnownDataset.FASHION_MNIST.files()) {
      Path debian = TestData.fashion().resolve(official.fileName());
      byte[] head = Arrays.copyOf(Files.readAllBytes(debian), 10);
      assertThat(head[3] & 0x08).as("%s has no FNAME", debian).isZero();
      String storedName = official.fileName().replace(".gz", "");
      assertThat(Files.size(debian) + storedName.length() + 1).as(official.fileName()).isEqualTo(official.size());
    }
  }

  @Test
  void inspectsTheTrainImagesFile() throws Exception {
    IdxHeader header = IdxFiles.inspect(TestData.fashion().resolve("train-images-idx3-ubyte.gz"));
    assertThat(header.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
    assertThat(header.dims()).containsExactly(60_000, 28, 28);
    assertThat(header.compression()).isEqualTo(Compression.GZIP);
    assertThat(header.sha256()).isEqualTo("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7");
  }

  @Test
  void splitsIntoTheStudys54000And6000WithExactClassProportions() {
    TrainValidationSplit split = TrainValidationSplit.stratified(fashion.train(), 6_000, 2024);
    assertThat(split.train().classCounts()).containsOnly(5_400);
    assertThat(split.validation().classCounts()).containsOnly(600);
    assertThat(TrainValidationSplit.stratified(fashion.train(), 6_000, 2024).validationIndices())
        .isEqualTo(split.validationIndices());
  }

  @Test
  void iteratesEveryImageOnceAnEpochInUnitRange() {
    MnistDataSetIterator it = MnistDataSetIterator.builder(fashion.test()).batchSize(128).shuffle(1)
        .buildSynchronous();
    int images = 0;
    double[] perClass = new double[10];
    while (it.hasNext()) {
      DataSet batch = it.next();
      images += batch.numExamples();
      double[] sums = batch.getLabels().sum(0).toDoubleVector();
      for (int c = 0; c < 10; c++) {
        perClass[c] += sums[c];
      }
      assertThat(batch.getFeatures().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
      assertThat(batch.getFeatures().minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);
    }
    assertThat(images).isEqualTo(10_000);
    assertThat(perClass).containsOnly(1_000.0);
  }
}
