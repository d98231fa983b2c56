package dev.mnistlab.data.bench;

import dev.mnistlab.data.ImageLayout;
import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataSetIterator;
import dev.mnistlab.data.MnistDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Benchmark (not a test): how fast {@link MnistDataSetIterator} turns Fashion-MNIST's 60,000
 * training images into shuffled NCHW float batches, synchronously and with asynchronous prefetch.
 * Arguments: {@code [folder] [epochs] [batchSize]}.
 */
public final class IteratorBenchmark {
  private IteratorBenchmark() {}

  /** Runs the benchmark and prints one {@code key=value} line per result. */
  public static void main(String[] args) throws IOException {
    Path folder = Paths.get(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    LabeledImages train = MnistDataset.load(folder, KnownDataset.FASHION_MNIST).train();
    for (int prefetch : new int[] {0, 2}) {
      DataSetIterator it = MnistDataSetIterator.builder(train).batchSize(batch).layout(ImageLayout.NCHW)
          .shuffle(1).prefetch(prefetch).build();
      double[] seconds = new double[epochs];
      double sink = 0;
      for (int e = -1; e < epochs; e++) {
        long t0 = System.nanoTime();
        while (it.hasNext()) {
          DataSet d = it.next();
          sink += d.getFeatures().getFloat(0);
        }
        it.reset();
        if (e >= 0) {
          seconds[e] = (System.nanoTime() - t0) / 1e9;
        }
      }
      Arrays.sort(seconds);
      double median = seconds[epochs / 2];
      System.out.printf(Locale.ROOT, "iterator_prefetch%d_batch%d_epoch_median_s=%.4f images_per_s=%.0f (sink %.1f)%n",
          prefetch, batch, median, train.count() / median, sink);
    }
  }
}
