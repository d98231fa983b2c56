package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.experiments.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {

  @TempDir Path dir;

  @Test
  void inspectsADatasetFolderWithCountsPerClassAndChecksums() {
    CliRun run = CliRun.of("data", "inspect", TestPaths.mnist10k().toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("train        8000 images 28x28")
        .contains("test         2000 images 28x28")
        // the test split's class counts as the folder's README states them
        .contains("0:200 1:225 2:198 3:206 4:196 5:173 6:203 7:214 8:189 9:196")
        .contains("4d964ec783a7c12e661263c88a80fbcbd4970457a9960873df5034f92b5ef2ba")
        .contains("b25ff6d33adc13a562ca2776f749bc3f08a9e60351a7fafd7d0ccbd673d1c180")
        .contains("official     no (the checksums match no known dataset)");
  }

  // Debian re-gzipped the published files: other file SHA-256, the published content SHA-256
  private static final String DEBIAN_TRAIN_IMAGES_FILE =
      "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7";
  private static final String TRAIN_IMAGES_CONTENT =
      "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888";

  @Test
  void inspectsDebiansFashionMnistAsTheOfficialDataRepackagedWithBothChecksumsPerFile() {
    CliRun run = CliRun.of("data", "inspect", TestPaths.debianFashionMnist().toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("official     yes, same content, repackaged")
        .doesNotContain("byte-identical")
        .contains("train        60000 images 28x28")
        .containsPattern("train-images-idx3-ubyte.gz +file +" + DEBIAN_TRAIN_IMAGES_FILE
            + "\\R +content " + TRAIN_IMAGES_CONTENT);
    assertThat(KnownDataset.FASHION_MNIST.files().get(0).sha256())
        .as("Debian's file is not the published file").isNotEqualTo(DEBIAN_TRAIN_IMAGES_FILE);
    assertThat(KnownDataset.FASHION_MNIST.files().get(0).contentSha256()).contains(TRAIN_IMAGES_CONTENT);
  }

  @Test
  void inspectsAnIdxFileWithItsFileAndContentSha256() {
    Path file = TestPaths.debianFashionMnist().resolve("train-images-idx3-ubyte.gz");
    CliRun run = CliRun.of("data", "inspect", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("sha256       " + DEBIAN_TRAIN_IMAGES_FILE)
        .contains("content      " + TRAIN_IMAGES_CONTENT + " (SHA-256 of the decompressed IDX)");
  }

  @Test
  void uncompressedIdxFileHasTheSameFileAndContentSha256() throws Exception {
    Path plain = dir.resolve("t10k-labels-idx1-ubyte");
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(
        TestPaths.mnist10k().resolve("t10k-labels-idx1-ubyte.gz")))) {
      Files.copy(in, plain);
    }
    CliRun run = CliRun.of("data", "inspect", plain.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    String content = MnistDataset.load(TestPaths.mnist10k()).contentChecksums()
        .get("t10k-labels-idx1-ubyte.gz");
    assertThat(run.out()).contains("sha256       " + content)
        .containsPattern("content +" + content + "\\R");
  }

  @Test
  void downloadPrintsTheChecksumsOfTheFilesOnDiskNotThePublishedOnes() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      Path target = dir.resolve("fashion");
      // a verified system installation (Debian's) is copied; the mirror is never asked
      CliRun run = CliRun.of("data", "download", "--dataset", "fashion",
          "--mirror", server.url("/m/").toString(), "--dir", target.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(server.getRequestCount()).isZero();
      assertThat(run.out())
          .contains("official     yes, same content, repackaged")
          .containsPattern("train-images-idx3-ubyte.gz +file +" + DEBIAN_TRAIN_IMAGES_FILE
              + "\\R +content " + TRAIN_IMAGES_CONTENT)
          .doesNotContain(KnownDataset.FASHION_MNIST.files().get(0).sha256())
          .contains("use it with: --data-dir " + target);
      assertThat(target.resolve("train-images-idx3-ubyte.gz")).exists();
    }
  }

  @Test
  void inspectsAnIdxFileWithTypeDimensionsCountAndSha256() {
    Path file = TestPaths.mnist10k().resolve("t10k-images-idx3-ubyte.gz");
    CliRun run = CliRun.of("data", "inspect", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("type         unsigned byte (0x08)")
        .contains("dimensions   2000 x 28 x 28")
        .contains("items        2000")
        .contains("compression  gzip")
        .contains("0a88eed98b4f4a8d0cc29d317db3c4ada908107e0ea02cd49b527eb89bc1c507");
  }

  @Test
  void picturesDrawsASampleGridAndTheLabelDistribution() throws Exception {
    Path out = dir.resolve("pictures");
    CliRun run = CliRun.of("data", "pictures", "--data-dir", TestPaths.mnist10k().toString(),
        "--out", out.toString(), "--count", "25");
    assertThat(run.exitCode()).as(run.err()).isZero();
    for (String name : new String[] {"samples.png", "label-distribution.png"}) {
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(out.resolve(name).toFile());
      assertThat(image).as(name).isNotNull();
      assertThat(image.getWidth()).isGreaterThan(100);
    }
    assertThat(run.out()).contains(out.resolve("samples.png").toString());
  }

  @Test
  void picturesRejectsACountLargerThanTheDataset() {
    CliRun run = CliRun.of("data", "pictures", "--data-dir", TestPaths.mnist10k().toString(),
        "--out", dir.toString(), "--count", "100000");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--count").contains("1..8000");
  }

  @Test
  void malformedIdxFileIsOneLineUserErrorNamingTheFile() throws Exception {
    Path bad = dir.resolve("bad-idx3-ubyte");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    CliRun run = CliRun.of("data", "inspect", bad.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("mnistlab: " + bad).contains("magic");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void missingPathIsOneLineUserError() {
    CliRun run = CliRun.of("data", "inspect", dir.resolve("nothing").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).containsExactly(
        "mnistlab: no such file or directory: " + dir.resolve("nothing"));
  }

  @Test
  void unknownDatasetListsTheKnownOnes() {
    CliRun run = CliRun.of("data", "download", "--dataset", "cifar", "--dir", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'cifar'").contains("mnist, fashion, kmnist");
  }

  @Test
  void nonHttpMirrorIsAUsageError() {
    CliRun run = CliRun.of("data", "download", "--mirror", "ftp://x/", "--dir", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'ftp://x/' is not an http(s) URL");
  }

  @Test
  void downloadTriesTheGivenMirrorsAndFailsClearlyWhenNoneHasTheFiles() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      for (int i = 0; i < 8; i++) {
        server.enqueue(new MockResponse().setResponseCode(404));
      }
      server.start();
      Path target = dir.resolve("mnist");
      CliRun run = CliRun.of("data", "download", "--dataset", "mnist",
          "--mirror", server.url("/a/").toString(), "--dir", target.toString());
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.err()).contains("MNIST is not available").contains(server.url("/a/").toString())
          .contains("--data-dir");
      assertThat(server.takeRequest().getPath()).isEqualTo("/a/train-images-idx3-ubyte.gz");
      // nothing half-written is left behind
      try (var files = Files.list(target)) {
        assertThat(files).isEmpty();
      }
    }
  }
}
