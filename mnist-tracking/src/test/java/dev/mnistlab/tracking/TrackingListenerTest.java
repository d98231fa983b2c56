package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.dl4j.EpochMetrics;
import dev.mnistlab.tracking.dl4j.TrackingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class TrackingListenerTest {
  static final double LR = 0.01;
  @TempDir Path dir;
  LocalStore store;
  Tracker tracker;

  @BeforeEach
  void setUp() {
    store = LocalStore.open(dir.resolve("runs.db"));
    tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build();
  }

  @AfterEach
  void tearDown() {
    tracker.close();
    store.close();
  }

  /** Random 8-feature, 3-class data whose label depends on the features, so training learns. */
  static DataSetIterator data(int n, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray x = Nd4j.rand(n, 8);
    INDArray labels = Nd4j.zeros(n, 3);
    for (int i = 0; i < n; i++) {
      int c = x.getDouble(i, 0) > 0.66 ? 2 : x.getDouble(i, 0) > 0.33 ? 1 : 0;
      labels.putScalar(i, c, 1.0);
    }
    return new ListDataSetIterator<>(new DataSet(x, labels).asList(), 32);
  }

  static MultiLayerNetwork mlp() {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
        .updater(new Adam(LR)).list()
        .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    return net;
  }

  @Test
  void logsEveryEpochOfAMultiLayerNetworkWithValidationMetricsAndBestSummary() {
    Run run = tracker.start(RunSpec.builder().project("dl4j").build());
    MultiLayerNetwork net = mlp();
    net.setListeners(TrackingListener.builder(run).validation(data(64, 2)).trainingEvaluation(data(64, 3)).build());
    net.fit(data(256, 1), 3);
    run.close(Duration.ofSeconds(10));

    List<HistoryRow> rows = store.history(run.id());
    assertThat(rows).hasSize(3);
    for (int e = 0; e < 3; e++) {
      HistoryRow r = rows.get(e);
      assertThat(r.number(MetricKeys.EPOCH)).isEqualTo(e + 1);
      assertThat(r.number(MetricKeys.LOSS)).isFinite().isPositive();
      assertThat(r.number(MetricKeys.ACCURACY)).isBetween(0.0, 1.0);
      assertThat(r.number(MetricKeys.VAL_LOSS)).isFinite().isPositive();
      for (String k : List.of(MetricKeys.VAL_ACCURACY, MetricKeys.VAL_PRECISION, MetricKeys.VAL_RECALL, MetricKeys.VAL_F1)) {
        assertThat(r.number(k)).as(k).isBetween(0.0, 1.0);
      }
      assertThat(r.number(MetricKeys.LEARNING_RATE)).isEqualTo(LR);
      assertThat(r.number(MetricKeys.EPOCH_SECONDS)).isPositive();
      assertThat(r.number(MetricKeys.IMAGES_PER_SECOND)).isPositive();
    }
    // training on learnable data lowers the loss
    assertThat(rows.get(2).number(MetricKeys.LOSS)).isLessThan(rows.get(0).number(MetricKeys.LOSS));
    double best = rows.stream().mapToDouble(r -> r.number(MetricKeys.VAL_ACCURACY)).max().orElseThrow();
    assertThat(store.summary(run.id())).containsEntry(MetricKeys.BEST_VAL_ACCURACY, best)
        .containsKey(MetricKeys.BEST_VAL_LOSS).containsKey(MetricKeys.BEST_EPOCH)
        .containsEntry(MetricKeys.EPOCH, 3L);
  }

  @Test
  void worksOnAComputationGraphWithoutEvaluationIterators() {
    Run run = tracker.start(RunSpec.builder().project("dl4j").build());
    ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(LR))
        .graphBuilder().addInputs("in")
        .addLayer("dense", new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build(), "in")
        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
            .activation(Activation.SOFTMAX).build(), "dense")
        .setOutputs("out").build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    graph.setListeners(TrackingListener.of(run));
    graph.fit(data(128, 1), 2);
    run.close(Duration.ofSeconds(10));

    List<HistoryRow> rows = store.history(run.id());
    assertThat(rows).extracting(r -> r.number(MetricKeys.EPOCH)).containsExactly(1.0, 2.0);
    assertThat(rows.get(0).values()).containsKeys(MetricKeys.LOSS, MetricKeys.LEARNING_RATE,
        MetricKeys.IMAGES_PER_SECOND).doesNotContainKeys(MetricKeys.VAL_ACCURACY, MetricKeys.ACCURACY);
  }

  @Test
  void callerRecordedEpochsAreLoggedOnceAndCompletedWithMeasuredThroughput() {
    Run run = tracker.start(RunSpec.builder().project("dl4j").build());
    MultiLayerNetwork net = mlp();
    TrackingListener listener = TrackingListener.builder(run).epochsRecordedByCaller().build();
    net.setListeners(listener);
    DataSetIterator train = data(128, 1);
    for (int epoch = 1; epoch <= 2; epoch++) {
      net.fit(train);
      listener.recordEpoch(EpochMetrics.builder(epoch).trainLoss(0.5 / epoch).validationAccuracy(epoch == 1 ? 0.81 : 0.82)
          .validationLoss(0.4).validationMacro(0.7, 0.6, 0.65).build());
    }
    org.nd4j.evaluation.classification.Evaluation test = net.evaluate(data(64, 4));
    listener.recordTest(0.3, test);
    run.close(Duration.ofSeconds(10));

    List<HistoryRow> rows = store.history(run.id());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1).number(MetricKeys.LOSS)).isEqualTo(0.25);
    assertThat(rows.get(1).number(MetricKeys.VAL_ACCURACY)).isEqualTo(0.82);
    assertThat(rows.get(1).number(MetricKeys.VAL_F1)).isEqualTo(0.65);
    assertThat(rows.get(1).number(MetricKeys.IMAGES_PER_SECOND)).isPositive();
    assertThat(store.summary(run.id())).containsEntry(MetricKeys.BEST_VAL_ACCURACY, 0.82)
        .containsEntry(MetricKeys.BEST_EPOCH, 2L).containsEntry(MetricKeys.TEST_LOSS, 0.3)
        .containsEntry(MetricKeys.TEST_ACCURACY, test.accuracy()).containsEntry(MetricKeys.TEST_F1, test.f1());
  }
}
