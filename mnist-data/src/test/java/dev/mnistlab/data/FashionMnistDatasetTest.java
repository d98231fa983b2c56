package dev.mnistlab.data;

import dev.mnistlab.data.testing.SharedData;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Full Fashion-MNIST from Debian's dataset-fashion-mnist package (installed by .ci/run). */
class FashionMnistDatasetTest {
  static MnistDataset fashion;

  @BeforeAll
  static void load() throws Exception {
    fashion = MnistDataset.load(SharedData.fashion(), KnownDataset.FASHION_MNIST);
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
  void isTheOfficialDataByItsDecompressedContent() {
    assertThat(fashion.matchesOfficialData()).isTrue();
    assertThat(fashion.differencesFromOfficialData()).isEmpty();
    assertThat(fashion.contentChecksums()).containsExactly(
        Map.entry("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
        Map.entry("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
        Map.entry("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
        Map.entry("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));
    for (DatasetFile f : KnownDataset.FASHION_MNIST.files()) {
      assertThat(f.contentSha256()).contains(fashion.contentChecksums().get(f.fileName()));
    }
  }

  @Test
  void contentSizesAreTheOfficialDecompressedSizes() throws Exception {
    // 16-byte image header + 60,000 or 10,000 28x28 images; 8-byte label header + one byte each
    assertThat(KnownDataset.FASHION_MNIST.files()).extracting(f -> f.contentSize().getAsLong())
        .containsExactly(16L + 60_000 * 784, 8L + 60_000, 16L + 10_000 * 784, 8L + 10_000);
    for (DatasetFile f : KnownDataset.FASHION_MNIST.files()) {
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
          Files.newInputStream(SharedData.fashion().resolve(f.fileName())))) {
        assertThat(in.transferTo(java.io.OutputStream.nullOutputStream())).as(f.fileName())
            .isEqualTo(f.contentSize().getAsLong());
      }
    }
  }

  @Test
  void resolvesOfflineFromDebiansInstallationWithNoDataDirAndAnEmptyCache(@TempDir Path cache) throws Exception {
    SharedData.fashion(); // fails, never skips, when the package is missing
    MnistDataset resolved = DatasetResolver.builder().cacheDir(cache).offline(true)
        .mirrors(List.of(URI.create("http://127.0.0.1:9/"))).build().resolve(KnownDataset.FASHION_MNIST);
    assertThat(resolved.source()).contains(SharedData.FASHION);
    assertThat(resolved.name()).isEqualTo("fashion");
    assertThat(resolved.matchesOfficialData()).isTrue();
    assertThat(resolved.train().count()).isEqualTo(60_000);
    assertThat(resolved.contentChecksums()).isEqualTo(fashion.contentChecksums());
    try (java.util.stream.Stream<Path> files = Files.walk(cache)) {
      assertThat(files.filter(Files::isRegularFile)).as("used in place, nothing copied").isEmpty();
    }
  }

  @Test
  void downloadCopiesDebiansVerifiedFilesIntoTheFolderOffline(@TempDir Path folder) throws Exception {
    SharedData.fashion();
    DatasetResolver resolver = DatasetResolver.builder().cacheDir(folder.resolve("cache")).offline(true).build();
    Path target = folder.resolve("fashion");
    assertThat(resolver.download(KnownDataset.FASHION_MNIST, target)).isEqualTo(target);
    for (DatasetFile f : KnownDataset.FASHION_MNIST.files()) {
      assertThat(Files.readAllBytes(target.resolve(f.fileName())))
          .isEqualTo(Files.readAllBytes(SharedData.FASHION.resolve(f.fileName())));
    }
    assertThat(MnistDataset.load(target).matchesOfficialData()).isTrue();
  }

  @Test
  void recognisesDebiansCopyWithoutBeingToldWhatItIs() throws Exception {
    MnistDataset guessed = MnistDataset.load(SharedData.fashion());
    assertThat(guessed.name()).isEqualTo("fashion");
    assertThat(guessed.spec()).contains(KnownDataset.FASHION_MNIST.spec());
    assertThat(guessed.classNames()).isEqualTo(KnownDataset.FASHION_MNIST.classNames());
    assertThat(guessed.matchesOfficialFiles()).isFalse();
    assertThat(guessed.matchesOfficialData()).isTrue();
  }

  @Test
  void debiansFilesAreTheOfficialFilesWithANormalisedGzipHeader() throws Exception {
    // Debian's build (strip-nondeterminism) dropped the stored file name and set the time stamp to
    // the package date; restoring both (gzip(1) defaults: XFL 0, OS 3 Unix) gives back the published
    // files byte for byte, so the content checksums computed from Debian's files are the official ones
    Map<String, Long> originalTimes = Map.of(
        "train-images-idx3-ubyte.gz", 1_504_176_606L, // 2017-08-31 10:50:06 UTC
        "train-labels-idx1-ubyte.gz", 1_504_176_606L,
        "t10k-images-idx3-ubyte.gz", 1_504_176_627L, // 2017-08-31 10:50:27 UTC
        "t10k-labels-idx1-ubyte.gz", 1_504_176_627L);
    for (DatasetFile official : KnownDataset.FASHION_MNIST.files()) {
      byte[] debian = Files.readAllBytes(SharedData.fashion().resolve(official.fileName()));
      assertThat(debian[3] & 0x08).as("%s has no FNAME", official.fileName()).isZero();
      long mtime = originalTimes.get(official.fileName());
      java.io.ByteArrayOutputStream restored = new java.io.ByteArrayOutputStream();
      restored.write(new byte[] {0x1f, (byte) 0x8b, 8, 0x08, (byte) mtime, (byte) (mtime >> 8), (byte) (mtime >> 16),
          (byte) (mtime >> 24), 0, 3});
      restored.write(official.fileName().replace(".gz", "").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      restored.write(0);
      restored.write(debian, 10, debian.length - 10); // Debian's deflate stream and trailer, unchanged
      byte[] bytes = restored.toByteArray();
      assertThat((long) bytes.length).as(official.fileName()).isEqualTo(official.size());
      assertThat(com.google.common.hash.Hashing.sha256().hashBytes(bytes).toString()).as(official.fileName())
          .isEqualTo(official.sha256());
    }
  }

  @Test
  void inspectsTheTrainImagesFile() throws Exception {
    IdxHeader header = IdxFiles.inspect(SharedData.fashion().resolve("train-images-idx3-ubyte.gz"));
    assertThat(header.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
    assertThat(header.dims()).containsExactly(60_000, 28, 28);
    assertThat(header.compression()).isEqualTo(Compression.GZIP);
    assertThat(header.sha256()).isEqualTo("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7");
    assertThat(header.contentSha256()).isEqualTo("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");
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
