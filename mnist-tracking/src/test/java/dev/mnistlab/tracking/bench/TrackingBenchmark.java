package dev.mnistlab.tracking.bench;

import dev.mnistlab.data.ImageLayout;
import dev.mnistlab.data.MnistDataSetIterator;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.testing.SharedData;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.SyncReport;
import dev.mnistlab.tracking.Syncer;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.WandbSettings;
import dev.mnistlab.tracking.dl4j.TrackingListener;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Tracking overhead, for docs/benchmarks.md: {@code log()} latency, store and sink throughput, and
 * training epoch time with the W&amp;B sink streaming to the loopback stand-in (50 ms added
 * latency) against no tracking. Run:
 *
 * <pre>
 * ./mvnw -B -q -pl mnist-tracking test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.mnistlab.tracking.bench.TrackingBenchmark [-Dexec.args="quick"]
 * </pre>
 */
public final class TrackingBenchmark {
  private TrackingBenchmark() {}

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    Path dir = Files.createTempDirectory("mnistlab-bench");
    System.out.printf("machine: %d cpus, %s %s, java %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    try (WandbStandIn wandb = new WandbStandIn()) {
      logLatency(dir, wandb, quick ? 20_000 : 100_000);
      sinkThroughput(dir, wandb, quick ? 10_000 : 50_000);
      trainingOverhead(dir, wandb, quick ? 1 : 3);
    }
  }

  static Map<String, Object> metrics(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", i);
    m.put("loss", 1.0 / (i + 1));
    m.put("accuracy", 0.5 + i * 1e-7);
    m.put("val_loss", 0.9 / (i + 1));
    m.put("val_accuracy", 0.6);
    m.put("val_precision", 0.6);
    m.put("val_recall", 0.6);
    m.put("val_f1", 0.6);
    m.put("learning_rate", 0.001);
    m.put("images_per_second", 1234.5);
    return m;
  }

  static String percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format("p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us",
        s[s.length / 2] / 1e3, s[(int) (s.length * 0.99)] / 1e3, s[(int) (s.length * 0.999)] / 1e3,
        s[s.length - 1] / 1e3);
  }

  /** log() latency (10 metrics per call) and the store's sustained rate, local-only and streaming. */
  static void logLatency(Path dir, WandbStandIn wandb, int n) throws Exception {
    for (boolean streaming : new boolean[] {false, true}) {
      try (LocalStore store = LocalStore.open(dir.resolve("latency-" + streaming + ".db"));
          Tracker tracker = Tracker.builder().store(store).shutdownHook(false).captureProvenance(false)
              .wandb(streaming ? WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl())
                  .transmitInterval(Duration.ofSeconds(1)).build() : null).build()) {
        wandb.latency(Duration.ofMillis(50));
        Run run = tracker.start(RunSpec.builder().project("bench").build());
        for (int i = 0; i < 20_000; i++) {
          run.log(metrics(i)); // warm-up
        }
        store.flush(Duration.ofMinutes(5));
        // paced: one call every 200 us (5,000 steps/s, far above any per-epoch or per-batch rate)
        long[] paced = new long[Math.min(n, 20_000)];
        long next = System.nanoTime();
        for (int i = 0; i < paced.length; i++) {
          while (System.nanoTime() < next) {
            Thread.onSpinWait();
          }
          next += 200_000;
          long t0 = System.nanoTime();
          run.log(metrics(i));
          paced[i] = System.nanoTime() - t0;
        }
        store.flush(Duration.ofMinutes(5));
        // burst: as fast as possible; includes back-pressure once the writer falls 65,536 behind
        long[] burst = new long[n];
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          run.log(metrics(i));
          burst[i] = System.nanoTime() - t0;
        }
        long enqueued = System.nanoTime();
        store.flush(Duration.ofMinutes(10));
        long committed = System.nanoTime();
        String mode = streaming ? "store + W&B sink" : "store only";
        System.out.printf("log() latency, %s, paced 5k/s, %d calls: %s%n", mode, paced.length, percentiles(paced));
        System.out.printf("log() latency, %s, burst, %d calls: %s%n", mode, n, percentiles(burst));
        System.out.printf("store throughput, %s: %d steps (10 metrics each) committed in %.2f s = %.0f steps/s"
                + " (%.0f metric rows/s); enqueue alone %.2f s%n", mode, n, (committed - start) / 1e9,
            n / ((committed - start) / 1e9), 10 * n / ((committed - start) / 1e9), (enqueued - start) / 1e9);
        run.close(Duration.ofMinutes(5));
      }
    }
    wandb.latency(Duration.ZERO);
  }

  /** Lines/s the W&B sink uploads from the store (Syncer, stand-in without and with 50 ms latency). */
  static void sinkThroughput(Path dir, WandbStandIn wandb, int n) throws Exception {
    for (int latencyMs : new int[] {0, 50}) {
      Path db = dir.resolve("sink-" + latencyMs + ".db");
      try (LocalStore store = LocalStore.open(db);
          Tracker tracker = Tracker.builder().store(store).shutdownHook(false).captureProvenance(false).build()) {
        Run run = tracker.start(RunSpec.builder().project("bench-sink").build());
        for (int i = 0; i < n; i++) {
          run.log(metrics(i));
        }
        run.close(Duration.ofMinutes(5));
        wandb.latency(Duration.ofMillis(latencyMs));
        long t0 = System.nanoTime();
        SyncReport r = Syncer.builder().store(store).wandb(WandbSettings.builder().apiKey(WandbStandIn.KEY)
            .baseUrl(wandb.baseUrl()).build()).build()
            // named: a run recorded without W&B is skipped by a plain syncAll
            .sync(java.util.List.of(run.id()), Duration.ofMinutes(10));
        double s = (System.nanoTime() - t0) / 1e9;
        int received = wandb.run("bench-sink", run.id()).history.size();
        System.out.printf("sink throughput (stand-in latency %d ms): %d history lines uploaded in %.2f s = %.0f"
            + " lines/s (stand-in received %d), complete=%s, server violations=%d%n", latencyMs, n, s,
            n / s, received, r.allComplete(), wandb.violations().size());
      }
    }
    wandb.latency(Duration.ZERO);
  }

  static MultiLayerNetwork cnnBasic() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(42)
        .updater(new Adam(1e-3)).list()
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
        .setInputType(InputType.convolutional(28, 28, 1)).build());
    net.init();
    return net;
  }

  /** Logs the loss every iteration too: a far heavier load than per-epoch logging. */
  static final class PerIterationLogger extends BaseTrainingListener {
    private final Run run;

    PerIterationLogger(Run run) {
      this.run = run;
    }

    @Override
    public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
      run.log(Map.of("batch_loss", model.score(), "iteration", iteration));
    }
  }

  /** Epoch time of a cnn-basic-like network on mnist-10k: no tracking vs W&B sink to the stand-in. */
  static void trainingOverhead(Path dir, WandbStandIn wandb, int rounds) throws Exception {
    MnistDataset dataset = MnistDataset.load(SharedData.mnist10k());
    DataSetIterator train = MnistDataSetIterator.builder(dataset.train()).batchSize(64)
        .layout(ImageLayout.NCHW).shuffle(1).build();
    wandb.latency(Duration.ofMillis(50));
    WandbSettings settings = WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl()).build();
    String[] modes = {"no tracking", "TrackingListener + W&B sink (50 ms)", "+ log() every iteration"};
    List<List<double[]>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (LocalStore store = LocalStore.open(dir.resolve("train.db"));
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false).wandb(settings).build()) {
      MultiLayerNetwork net = cnnBasic();
      net.fit(train); // warm-up epoch
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < 3; k++) {
          int mode = (k + r) % 3; // rotate the order so drift in machine load cancels out
          Run run = null;
          TimedListener timed = null;
          if (mode == 0) {
            net.setListeners();
          } else {
            run = tracker.start(RunSpec.builder().project("bench-train").build());
            timed = mode == 1 ? new TimedListener(TrackingListener.of(run))
                : new TimedListener(TrackingListener.of(run), new PerIterationLogger(run));
            net.setListeners(timed);
          }
          Map<Long, Long> cpuBefore = trackingThreadCpu();
          long cpu0 = os.getProcessCpuTime();
          long t0 = System.nanoTime();
          net.fit(train);
          double wall = (System.nanoTime() - t0) / 1e9;
          double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
          double trackingCpu = cpuDelta(cpuBefore, trackingThreadCpu()) / 1e9;
          double callbacks = timed == null ? 0 : timed.nanos / 1e9;
          double close = 0;
          if (run != null) {
            long c0 = System.nanoTime();
            run.close(Duration.ofMinutes(2)); // the final upload, after training
            close = (System.nanoTime() - c0) / 1e9;
          }
          results.get(mode).add(new double[] {wall, cpu, callbacks, trackingCpu, close});
        }
      }
    }
    System.out.printf("training (cnn-basic-like, mnist-10k: 8000 images/epoch, batch 64), %d round(s),"
        + " medians per epoch (load average at end: %.1f):%n", rounds, os.getSystemLoadAverage());
    double baseWall = median(results.get(0), 0);
    double baseCpu = median(results.get(0), 1);
    for (int m = 0; m < 3; m++) {
      double w = median(results.get(m), 0);
      double c = median(results.get(m), 1);
      double cb = median(results.get(m), 2);
      double tc = median(results.get(m), 3);
      double cl = median(results.get(m), 4);
      System.out.printf("  %-38s wall %.2f s (%.3fx)  process cpu %.2f s (%.3fx)%n", modes[m], w, w / baseWall, c, c / baseCpu);
      if (m > 0) {
        System.out.printf("  %-38s training-thread time in tracking callbacks %.4f s, tracking threads' CPU %.4f s,"
            + " close() %.3f s; overhead bound (callbacks + tracking CPU) / untracked epoch = %.4fx%n", "",
            cb, tc, cl, 1 + (cb + tc) / baseWall);
      }
    }
    System.out.printf("  stand-in violations: %d%n", wandb.violations().size());
  }

  /** CPU time of tracking threads (store writer, W&B uploader, OkHttp) by thread id. */
  static Map<Long, Long> trackingThreadCpu() {
    java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new java.util.HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String n = t.getName();
      if (n.startsWith("mnistlab-") || n.startsWith("OkHttp")) {
        long cpu = tm.getThreadCpuTime(t.getId());
        if (cpu >= 0) {
          out.put(t.getId(), cpu);
        }
      }
    }
    return out;
  }

  static long cpuDelta(Map<Long, Long> before, Map<Long, Long> after) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) {
      sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return sum;
  }

  /** Delegates to listeners and adds up the training thread's time spent inside them. */
  static final class TimedListener extends BaseTrainingListener {
    private final List<org.deeplearning4j.optimize.api.TrainingListener> delegates;
    long nanos;

    TimedListener(org.deeplearning4j.optimize.api.TrainingListener... delegates) {
      this.delegates = List.of(delegates);
    }

    @Override
    public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
      long t0 = System.nanoTime();
      for (var d : delegates) {
        d.iterationDone(model, iteration, epoch);
      }
      nanos += System.nanoTime() - t0;
    }

    @Override
    public void onEpochStart(org.deeplearning4j.nn.api.Model model) {
      long t0 = System.nanoTime();
      for (var d : delegates) {
        d.onEpochStart(model);
      }
      nanos += System.nanoTime() - t0;
    }

    @Override
    public void onEpochEnd(org.deeplearning4j.nn.api.Model model) {
      long t0 = System.nanoTime();
      for (var d : delegates) {
        d.onEpochEnd(model);
      }
      nanos += System.nanoTime() - t0;
    }
  }

  static double median(List<double[]> xs, int i) {
    double[] v = xs.stream().mapToDouble(x -> x[i]).sorted().toArray();
    return v[v.length / 2];
  }

}
