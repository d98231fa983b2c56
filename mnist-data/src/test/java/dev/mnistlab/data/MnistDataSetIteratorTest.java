package dev.mnistlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class MnistDataSetIteratorTest {
  /** 10 images of 2x3 whose pixel (r, c) of image i is 10 * i + 3 * r + c, label i % 3. */
  static LabeledImages small() {
    byte[] pixels = new byte[10 * 6];
    byte[] labels = new byte[10];
    for (int i = 0; i < 10; i++) {
      for (int p = 0; p < 6; p++) {
        pixels[i * 6 + p] = (byte) (25 * i + p);
      }
      labels[i] = (byte) (i % 3);
    }
    return LabeledImages.of(pixels, labels, 2, 3, 3);
  }

  @Test
  void givesNchwFeaturesInUnitRangeAndOneHotLabels() {
    MnistDataSetIterator it = MnistDataSetIterator.builder(small()).batchSize(4).buildSynchronous();
    DataSet first = it.next();
    INDArray f = first.getFeatures();
    assertThat(f.shape()).containsExactly(4, 1, 2, 3);
    assertThat(f.dataType()).isEqualTo(DataType.FLOAT);
    assertThat(f.getFloat(1, 0, 1, 2)).isEqualTo((25 * 1 + 5) / 255f);
    assertThat(f.getFloat(3, 0, 0, 0)).isEqualTo(75 / 255f);
    assertThat(first.getLabels().shape()).containsExactly(4, 3);
    assertThat(first.getLabels().toFloatMatrix()).isEqualTo(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
  }

  @Test
  void givesFlatRowsForDenseNetworks() {
    DataSet batch = MnistDataSetIterator.builder(small()).batchSize(10).layout(ImageLayout.FLAT).buildSynchronous().next();
    assertThat(batch.getFeatures().shape()).containsExactly(10, 6);
    assertThat(batch.getFeatures().getFloat(9, 5)).isEqualTo((225 + 5) / 255f);
    assertThat(batch.getFeatures().maxNumber().floatValue()).isLessThanOrEqualTo(1f);
    assertThat(batch.getFeatures().minNumber().floatValue()).isGreaterThanOrEqualTo(0f);
  }

  @Test
  void givesChannelsLastFeaturesForNhwcNetworks() {
    DataSet batch = MnistDataSetIterator.builder(small()).batchSize(3).layout(ImageLayout.NHWC).buildSynchronous().next();
    assertThat(batch.getFeatures().shape()).containsExactly(3, 2, 3, 1);
    assertThat(batch.getFeatures().getFloat(2, 1, 2, 0)).isEqualTo((50 + 5) / 255f);
  }

  @Test
  void endsAnEpochWithAShortBatchThenStops() {
    MnistDataSetIterator it = MnistDataSetIterator.builder(small()).batchSize(4).buildSynchronous();
    List<Long> sizes = new ArrayList<>();
    while (it.hasNext()) {
      sizes.add(it.next().getFeatures().size(0));
    }
    assertThat(sizes).containsExactly(4L, 4L, 2L);
    assertThat(it.batchesPerEpoch()).isEqualTo(3);
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("reset()");
  }

  @Test
  void reusedBuffersDoNotAlterEarlierBatches() {
    MnistDataSetIterator it = MnistDataSetIterator.builder(small()).batchSize(2).buildSynchronous();
    DataSet a = it.next();
    float before = a.getFeatures().getFloat(0, 0, 0, 0);
    it.next();
    assertThat(a.getFeatures().getFloat(0, 0, 0, 0)).isEqualTo(before).isEqualTo(0f);
    assertThat(a.getLabels().getFloat(1, 1)).isEqualTo(1f);
  }

  @Test
  void shufflesDeterministicallyAndDifferentlyEachEpoch() {
    List<Integer> e0 = firstPixelOrder(shuffled(5));
    MnistDataSetIterator it = shuffled(5);
    List<Integer> again = firstPixelOrder(it);
    it.reset();
    List<Integer> e1 = firstPixelOrder(it);
    assertThat(again).isEqualTo(e0);
    assertThat(e0).containsExactlyInAnyOrder(0, 25, 50, 75, 100, 125, 150, 175, 200, 225);
    assertThat(e1).containsExactlyInAnyOrderElementsOf(e0).isNotEqualTo(e0);
    assertThat(firstPixelOrder(shuffled(6))).isNotEqualTo(e0);
  }

  @Test
  void keepsLabelsWithTheirImagesWhenShuffling() {
    MnistDataSetIterator it = shuffled(3);
    while (it.hasNext()) {
      DataSet b = it.next();
      for (int i = 0; i < b.numExamples(); i++) {
        int image = Math.round(b.getFeatures().getFloat(i, 0, 0, 0) * 255) / 25;
        assertThat(b.getLabels().getFloat(i, image % 3)).isEqualTo(1f);
      }
    }
  }

  @Test
  void asyncIteratorGivesTheSameBatchesAndResets() {
    DataSetIterator async = MnistDataSetIterator.builder(small()).batchSize(3).shuffle(9).prefetch(2).build();
    MnistDataSetIterator sync = shuffledBy3(9);
    for (int epoch = 0; epoch < 2; epoch++) {
      while (sync.hasNext()) {
        assertThat(async.hasNext()).isTrue();
        assertThat(async.next().getFeatures()).isEqualTo(sync.next().getFeatures());
      }
      assertThat(async.hasNext()).isFalse();
      async.reset();
      sync.reset();
    }
    assertThat(async.inputColumns()).isEqualTo(6);
    assertThat(async.totalOutcomes()).isEqualTo(3);
    assertThat(async.resetSupported()).isTrue();
  }

  @Test
  void reportsClassNamesAsLabels() {
    DataSetIterator it = MnistDataSetIterator.builder(small()).classNames(List.of("a", "b", "c")).prefetch(0).build();
    assertThat(it.getLabels()).containsExactly("a", "b", "c");
    assertThat(it).isInstanceOf(MnistDataSetIterator.class);
  }

  private static MnistDataSetIterator shuffled(long seed) {
    return MnistDataSetIterator.builder(small()).batchSize(4).shuffle(seed).buildSynchronous();
  }

  private static MnistDataSetIterator shuffledBy3(long seed) {
    return MnistDataSetIterator.builder(small()).batchSize(3).shuffle(seed).buildSynchronous();
  }

  private static List<Integer> firstPixelOrder(MnistDataSetIterator it) {
    List<Integer> order = new ArrayList<>();
    while (it.hasNext()) {
      INDArray f = it.next().getFeatures();
      for (int i = 0; i < f.size(0); i++) {
        order.add(Math.round(f.getFloat(i, 0, 0, 0) * 255));
      }
    }
    return order;
  }
}
