package dev.mnistlab.models.bench;

import dev.mnistlab.data.ImageLayout;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataSetIterator;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.models.Dl4jRuntime;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.ZooModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Training throughput of a zoo model, one process per measurement (run by
 * {@code mnist-models/bench/train-speed.sh} next to the PyTorch peer).
 *
 * <p>System properties: {@code model} (cnn-dropout), {@code batch} (64), {@code data} (Fashion-MNIST
 * folder), {@code warmup} (batches not timed, 0 for a cold full epoch), {@code batches} (timed
 * batches, 0 = the rest of one epoch), {@code helpers} (on = mnistlab's {@code Dl4jRuntime} set-up,
 * off = DL4J as shipped), {@code loop} (iterator|dataset), {@code blasThreads} (override).
 * Prints one {@code RESULT} line.
 */
public final class TrainSpeedBenchmark {

  private TrainSpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    String modelName = System.getProperty("model", "cnn-dropout");
    int batch = Integer.getInteger("batch", 64);
    Path dataDir = Path.of(System.getProperty("data", "/usr/share/datasets/fashion-mnist"));
    int warmup = Integer.getInteger("warmup", 0);
    int batches = Integer.getInteger("batches", 0);
    boolean helpers = !"off".equals(System.getProperty("helpers", "on"));
    String loop = System.getProperty("loop", "iterator");

    LabeledImages train = MnistDataset.load(dataDir).train();
    var env = org.nd4j.linalg.factory.Nd4j.getEnvironment();
    System.out.println("thresholds: elementwise " + env.elementwiseThreshold() + " tad " + env.tadThreshold());
    if (Integer.getInteger("threshold") != null) {
      env.setElementwiseThreshold(Integer.getInteger("threshold"));
      env.setTadThreshold(Integer.getInteger("threshold"));
    }
    if (helpers) {
      Dl4jRuntime.configure();
    }
    if (Integer.getInteger("blasThreads") != null) { // after configure(), which sets its own
      org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(Integer.getInteger("blasThreads"));
    }
    System.out.println("blas threads: " + org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads());
    ZooModel model = ModelZoo.get(modelName);
    MultiLayerNetwork net;
    String variant = System.getProperty("variant", "zoo");
    if (variant.equals("nhwc")) {
      net = new MultiLayerNetwork(Variants.cnnDropoutNhwc());
      net.init();
      if (helpers) {
        Dl4jRuntime.prepare(net);
      }
    } else if (helpers) {
      net = model.build();
    } else {
      // DL4J as shipped: no Dl4jRuntime at all (two BLAS threads, no oneDNN helpers, oneDNN
      // pooling) and DL4J's default cache mode instead of the zoo's DEVICE.
      MultiLayerConfiguration shipped = model.configuration(model.defaults());
      shipped.setCacheMode(CacheMode.NONE);
      shipped.getConfs().forEach(c -> c.setCacheMode(CacheMode.NONE));
      net = new MultiLayerNetwork(shipped);
      net.init();
    }
    List<String> layerHelpers = Dl4jRuntime.layerHelpers(net);

    int total = train.count() / batch;
    int timed = batches > 0 ? batches : total - warmup;
    boolean nhwc = variant.equals("nhwc") && !"NCHW".equals(System.getProperty("format", "NHWC"));
    DataSetIterator iterator = pipeline(train, batch, 42, warmup + timed, nhwc);

    long[] firstBatchDone = {0};
    net.setListeners(
        new BaseTrainingListener() {
          @Override
          public void iterationDone(Model m, int iteration, int epoch) {
            if (firstBatchDone[0] == 0) {
              firstBatchDone[0] = System.nanoTime();
            }
          }
        });
    long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    long nowMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    long jvmStartNanos = start - (nowMillis - jvmStartMillis) * 1_000_000L;

    long timedStart = start;
    if (loop.equals("dataset")) {
      int i = 0;
      while (iterator.hasNext()) {
        if (i == warmup) {
          timedStart = System.nanoTime();
        }
        net.fit(iterator.next());
        i++;
      }
    } else {
      if (warmup > 0) {
        DataSetIterator warm = pipeline(train, batch, 7, warmup, nhwc);
        net.fit(warm);
        timedStart = System.nanoTime();
        iterator = pipeline(train, batch, 42, timed, nhwc);
      }
      net.fit(iterator);
    }
    long end = System.nanoTime();
    double seconds = (end - timedStart) / 1e9;
    double images = (double) timed * batch;
    System.out.printf(
        Locale.ROOT,
        "RESULT impl=dl4j variant=%s model=%s batch=%d helpers=%s loop=%s timed_batches=%d seconds=%.2f"
            + " img_per_s=%.1f first_batch_from_start_s=%.2f first_batch_from_fit_s=%.3f"
            + " peak_rss_mb=%d score=%.4f classifier=%s layer_helpers=%s%n",
        variant,
        modelName,
        batch,
        helpers,
        loop,
        timed,
        seconds,
        images / seconds,
        (firstBatchDone[0] - jvmStartNanos) / 1e9,
        (firstBatchDone[0] - start) / 1e9,
        peakRssMb(),
        net.score(),
        Dl4jRuntime.describe().get("nd4j.classifier"),
        String.join(",", layerHelpers));
  }

  static long peakRssMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  /**
   * The data pipeline {@code Trainer.fit} uses (mnist-data's shuffled, prefetched iterator), cut
   * after {@code maxBatches} batches, so the benchmark measures what users get.
   */
  private static DataSetIterator pipeline(
      LabeledImages train, int batch, long seed, int maxBatches, boolean nhwc) {
    DataSetIterator iterator =
        MnistDataSetIterator.builder(train)
            .batchSize(batch)
            .layout(nhwc ? ImageLayout.NHWC : ImageLayout.NCHW)
            .shuffle(seed)
            .prefetch(2)
            .build();
    return new EarlyTerminationDataSetIterator(iterator, maxBatches);
  }
}
