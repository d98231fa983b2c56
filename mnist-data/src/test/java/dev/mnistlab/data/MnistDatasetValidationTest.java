package dev.mnistlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset folder whose files do not fit together gets an error naming the offending file. */
class MnistDatasetValidationTest {
  @TempDir Path dir;

  private static LabeledImages images(int n, int rows, int cols) {
    byte[] pixels = new byte[n * rows * cols];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
      pixels[i * rows * cols] = (byte) i;
    }
    return LabeledImages.of(pixels, labels, rows, cols, 10);
  }

  private void writeValid(Compression c) throws Exception {
    MnistDataset.of("tiny", MnistDataset.digitClassNames(10), images(30, 4, 4), images(10, 4, 4)).write(dir, c);
  }

  @Test
  void loadsWhatItWroteRawOrGzip() throws Exception {
    for (Compression c : Compression.values()) {
      Path sub = dir.resolve(c.name());
      MnistDataset.of("tiny", MnistDataset.digitClassNames(10), images(30, 4, 4), images(10, 4, 4)).write(sub, c);
      MnistDataset back = MnistDataset.load(sub);
      assertThat(back.train().count()).isEqualTo(30);
      assertThat(back.test().image(3)).isEqualTo(images(10, 4, 4).image(3));
      assertThat(back.checksums()).hasSize(4).allSatisfy((k, v) -> assertThat(v).hasSize(64));
      assertThat(back.checksums().keySet().iterator().next())
          .isEqualTo(c == Compression.GZIP ? "train-images-idx3-ubyte.gz" : "train-images-idx3-ubyte");
    }
  }

  @Test
  void rejectsImagesAndLabelsOfDifferentCounts() throws Exception {
    writeValid(Compression.GZIP);
    IdxFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), images(29, 4, 4).labelsAsIdx(), Compression.GZIP);
    assertThatThrownBy(() -> MnistDataset.load(dir))
        .isInstanceOf(IdxFormatException.class)
        .hasMessageStartingWith(dir.resolve("train-labels-idx1-ubyte.gz") + ": holds 29 labels")
        .hasMessageContaining("train-images-idx3-ubyte.gz holds 30 images");
  }

  @Test
  void rejectsALabelOutsideTheDatasetsClasses() throws Exception {
    writeValid(Compression.NONE);
    byte[] labels = new byte[10];
    labels[7] = 10;
    IdxFiles.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxArray.ofUnsignedBytes(labels, 10), Compression.NONE);
    assertThatThrownBy(() -> MnistDataset.load(dir, KnownDataset.FASHION_MNIST))
        .isInstanceOf(IdxFormatException.class)
        .hasMessageStartingWith(dir.resolve("t10k-labels-idx1-ubyte") + ": label 10 at index 7")
        .hasMessageContaining("classes 0..9 of fashion");
  }

  @Test
  void rejectsImagesOfTheWrongRankOrType() throws Exception {
    writeValid(Compression.GZIP);
    IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxArray.ofFloats(new float[30 * 16], 30, 16),
        Compression.GZIP);
    assertThatThrownBy(() -> MnistDataset.load(dir))
        .isInstanceOf(IdxFormatException.class)
        .hasMessageContaining("train-images-idx3-ubyte.gz: expected unsigned-byte images of rank 3")
        .hasMessageContaining("found FLOAT 30x16");
  }

  @Test
  void rejectsTestImagesOfAnotherSize() throws Exception {
    MnistDataset.of("a", MnistDataset.digitClassNames(10), images(30, 4, 4), images(10, 4, 4)).write(dir, Compression.GZIP);
    IdxFiles.write(dir.resolve("t10k-images-idx3-ubyte.gz"), images(10, 5, 4).imagesAsIdx(), Compression.GZIP);
    assertThatThrownBy(() -> MnistDataset.load(dir))
        .isInstanceOf(IdxFormatException.class)
        .hasMessageContaining("t10k-images-idx3-ubyte.gz: images are 5x4 but the training images are 4x4");
  }

  @Test
  void namesEveryMissingFile() throws Exception {
    writeValid(Compression.GZIP);
    Files.delete(dir.resolve("train-labels-idx1-ubyte.gz"));
    Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
    assertThatThrownBy(() -> MnistDataset.load(dir))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining(dir + ": missing train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz")
        .satisfies(e -> assertThat(((DatasetUnavailableException) e).missingFiles())
            .containsExactly("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"));
  }

  @Test
  void namesTheFileWhenOneIsDamaged() throws Exception {
    writeValid(Compression.GZIP);
    Path f = dir.resolve("t10k-images-idx3-ubyte.gz");
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length - 12));
    assertThatThrownBy(() -> MnistDataset.load(dir))
        .isInstanceOf(IdxFormatException.class)
        .hasMessageStartingWith(f + ": corrupt gzip");
  }
}
