package dev.mnistlab.data;

import dev.mnistlab.data.testing.SharedData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainValidationSplitTest {
  /** 1,000 tiny images with unbalanced classes: class c has 10 * (c + 1) + c images ... */
  static LabeledImages unbalanced() {
    int[] sizes = {50, 150, 100, 80, 120, 90, 110, 70, 130, 100};
    int n = IntStream.of(sizes).sum();
    byte[] labels = new byte[n];
    byte[] pixels = new byte[n * 4];
    int k = 0;
    for (int c = 0; c < sizes.length; c++) {
      for (int i = 0; i < sizes[c]; i++) {
        labels[k] = (byte) c;
        pixels[4 * k] = (byte) k; // identifies the image
        pixels[4 * k + 1] = (byte) (k >> 8);
        k++;
      }
    }
    // interleave so classes are not contiguous
    int[] perm = IntStream.range(0, n).map(i -> (i * 7919) % n).toArray();
    return LabeledImages.of(pixels, labels, 2, 2, 10).subset(perm);
  }

  @Test
  void keepsEachClassProportionExactly() {
    LabeledImages images = unbalanced();
    TrainValidationSplit split = TrainValidationSplit.stratified(images, 100, 7);
    int[] all = images.classCounts();
    int[] valid = split.validation().classCounts();
    for (int c = 0; c < 10; c++) {
      assertThat(valid[c]).as("class %s", c).isEqualTo(all[c] / 10);
    }
    assertThat(split.validation().count()).isEqualTo(100);
    assertThat(split.train().count()).isEqualTo(900);
  }

  @Test
  void roundsProportionsToTheRequestedTotal() {
    LabeledImages images = unbalanced();
    TrainValidationSplit split = TrainValidationSplit.stratified(images, 333, 1);
    int[] all = images.classCounts();
    int[] valid = split.validation().classCounts();
    assertThat(IntStream.of(valid).sum()).isEqualTo(333);
    for (int c = 0; c < 10; c++) {
      double exact = all[c] * 333.0 / 1000;
      assertThat((double) valid[c]).as("class %s", c).isBetween(Math.floor(exact), Math.ceil(exact));
    }
  }

  @Test
  void partsAreDisjointAndCoverEveryImage() {
    LabeledImages images = unbalanced();
    TrainValidationSplit split = TrainValidationSplit.stratified(images, 250, 3);
    Set<Integer> seen = new HashSet<>();
    for (int i : split.trainIndices()) {
      assertThat(seen.add(i)).isTrue();
    }
    for (int i : split.validationIndices()) {
      assertThat(seen.add(i)).as("index %s in both parts", i).isTrue();
    }
    assertThat(seen).hasSize(images.count());
    int v0 = split.validationIndices()[0];
    assertThat(split.validation().image(0)).isEqualTo(images.image(v0));
    assertThat(split.validation().label(0)).isEqualTo(images.label(v0));
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    LabeledImages images = unbalanced();
    int[] a = TrainValidationSplit.stratified(images, 100, 11).validationIndices();
    int[] b = TrainValidationSplit.stratified(images, 100, 11).validationIndices();
    int[] c = TrainValidationSplit.stratified(images, 100, 12).validationIndices();
    assertThat(a).isEqualTo(b);
    assertThat(Arrays.equals(a, c)).isFalse();
  }

  @Test
  void defaultsToATenth() {
    assertThat(TrainValidationSplit.defaultValidationSize(60_000)).isEqualTo(6_000);
    assertThat(TrainValidationSplit.stratified(unbalanced(), 5).validation().count()).isEqualTo(100);
  }

  @Test
  void rejectsAValidationSizeLargerThanTheSet() {
    assertThatThrownBy(() -> TrainValidationSplit.stratified(unbalanced(), 1001, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..1000");
  }

  @Test
  void splitsMnist10kInto7200And800WithItsClassProportions() throws Exception {
    LabeledImages train = MnistDataset.load(SharedData.mnist10k(), KnownDataset.MNIST).train();
    TrainValidationSplit split = TrainValidationSplit.stratified(train, 42);
    assertThat(split.train().count()).isEqualTo(7200);
    assertThat(split.validation().count()).isEqualTo(800);
    int[] all = train.classCounts();
    int[] valid = split.validation().classCounts();
    for (int c = 0; c < 10; c++) {
      double exact = all[c] / 10.0;
      assertThat((double) valid[c]).isBetween(Math.floor(exact), Math.ceil(exact));
    }
  }
}
