package dev.mnistlab.data;

import dev.mnistlab.data.testing.SharedData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledImagesFilesTest {
  @TempDir Path dir;

  @Test
  void findsTheLabelsFileBesideAnImagesFileAcrossCompressions() throws Exception {
    Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
    Files.write(images, new byte[1]);
    assertThat(LabeledImages.labelsFileBeside(images)).isEmpty();
    Path plainLabels = Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[1]);
    assertThat(LabeledImages.labelsFileBeside(images)).contains(plainLabels);
    Path gzLabels = Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[1]);
    assertThat(LabeledImages.labelsFileBeside(images)).contains(gzLabels);
    assertThat(LabeledImages.labelsFileBeside(dir.resolve("t10k-images-idx3-ubyte"))).contains(plainLabels);
    assertThat(LabeledImages.labelsFileBeside(dir.resolve("digits.idx"))).isEmpty();
  }

  @Test
  void readsAnImagesAndLabelsPairFromMnist10k() throws Exception {
    Path images = SharedData.mnist10k().resolve("t10k-images-idx3-ubyte.gz");
    Path labels = LabeledImages.labelsFileBeside(images).orElseThrow();
    LabeledImages test = LabeledImages.read(images, labels, 10);
    assertThat(test.count()).isEqualTo(2000);
    assertThat(test.classCounts()).containsExactly(200, 225, 198, 206, 196, 173, 203, 214, 189, 196);
  }

  @Test
  void rejectsAPairWithDifferentCountsNamingTheLabelsFile() throws Exception {
    Path images = SharedData.mnist10k().resolve("t10k-images-idx3-ubyte.gz");
    Path labels = SharedData.mnist10k().resolve("train-labels-idx1-ubyte.gz");
    assertThatThrownBy(() -> LabeledImages.read(images, labels, 10))
        .isInstanceOf(IdxFormatException.class)
        .hasMessageStartingWith(labels + ": holds 8000 labels but t10k-images-idx3-ubyte.gz holds 2000 images");
  }
}
