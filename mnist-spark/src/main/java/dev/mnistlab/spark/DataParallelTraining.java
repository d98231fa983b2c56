package dev.mnistlab.spark;

import dev.mnistlab.data.ImageLayout;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataSetIterator;
import dev.mnistlab.experiments.trial.ExecutionResult;
import dev.mnistlab.experiments.trial.Trial;
import dev.mnistlab.experiments.trial.TrialExecutor;
import dev.mnistlab.experiments.trial.TrialModels;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.models.Dl4jRuntime;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.ModelFiles;
import dev.mnistlab.models.ModelMetadata;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.TrainingRecipe;
import dev.mnistlab.models.ZooModel;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one trial's zoo network data-parallel on Spark with DL4J's {@link SparkDl4jMultiLayer}
 * and parameter averaging: the training split is cut into mini-batches, spread over {@code
 * workers} partitions; each worker trains a replica on its batches and every {@link
 * #AVERAGING_FREQUENCY} mini-batches the replicas' parameters (and updater state) are averaged.
 * After each epoch the averaged network is evaluated on the driver on the validation split, so the
 * run is tracked per epoch exactly as a local run is (same metrics, same stop rules); then the
 * test evaluation, predictions and model file are made as for a local trial.
 *
 * <p>{@link RDDTrainingApproach#Direct}: the batches travel in the RDD itself (the default Export
 * approach writes them to a shared file system, which a cluster without HDFS does not have).
 */
public final class DataParallelTraining implements TrialExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(DataParallelTraining.class);

  /** Mini-batches each worker fits between two parameter averagings. */
  public static final int AVERAGING_FREQUENCY = 5;

  private final String master;
  private final int workers;

  /**
   * @param master the Spark master
   * @param workers the partitions the training data is split in (one model replica each)
   */
  public DataParallelTraining(String master, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.master = master;
    this.workers = workers;
  }

  @Override
  public ExecutionResult execute(Trial trial) throws Exception {
    TrialSpec p = trial.spec();
    ZooModel model = ModelZoo.get(p.model());
    TrainingRecipe recipe = TrialModels.recipe(model, p);
    Hyperparameters hyperparameters = recipe.hyperparameters();
    int batchSize = recipe.batchSize();
    int epochs = recipe.epochs();
    Map<String, Object> config = new LinkedHashMap<>(TrialModels.resolvedConfig(model, recipe));
    config.put("spark_workers", workers);
    config.put("averaging_frequency", AVERAGING_FREQUENCY);
    trial.run().config(config);
    ImageLayout layout = TrialModels.layout(model);
    MultiLayerNetwork network = Dl4jRuntime.prepare(model.build(hyperparameters));

    JavaSparkContext sc = new JavaSparkContext(new SparkContext(SparkSettings.base(master,
        "mnistlab train " + p.model())));
    int epochsTrained = 0;
    boolean stopped = false;
    try {
      ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(batchSize)
          .batchSizePerWorker(batchSize)
          .averagingFrequency(AVERAGING_FREQUENCY)
          .workerPrefetchNumBatches(0)
          .rddTrainingApproach(RDDTrainingApproach.Direct)
          .build();
      SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network, tm);
      LabeledImages train = trial.data().train();
      for (int epoch = 1; epoch <= epochs; epoch++) {
        // reshuffled every epoch (seeded), as the local trainer does
        JavaRDD<DataSet> batches = sc.parallelize(batches(train, batchSize, layout,
            p.seed() + epoch), workers);
        long started = System.nanoTime();
        sparkNet.fit(batches);
        double seconds = (System.nanoTime() - started) / 1e9;
        epochsTrained = epoch;
        MultiLayerNetwork averaged = sparkNet.getNetwork();
        Evaluated validation = evaluate(averaged, trial.data().validation(), batchSize, layout,
            trial.data().classNames());
        EpochMetrics metrics = EpochMetrics.builder(epoch)
            .trainLoss(sparkNet.getScore())
            .validationLoss(validation.loss)
            .validationAccuracy(validation.evaluation.accuracy())
            .validationMacro(validation.evaluation.precision(), validation.evaluation.recall(),
                validation.evaluation.f1())
            .learningRate(hyperparameters.learningRate())
            .seconds(seconds)
            .imagesPerSecond(train.count() / seconds)
            .build();
        if (!trial.epochFinished(metrics)) {
          stopped = true;
          break;
        }
        if (trial.stopSignalled()) {
          stopped = true;
          break;
        }
      }
      network = sparkNet.getNetwork();
    } finally {
      sc.stop();
    }
    Evaluated test = evaluate(network, trial.data().test(), batchSize, layout,
        trial.data().classNames());
    trial.trackingListener().recordTest(test.loss, test.evaluation);
    Map<String, Double> testMetrics = new LinkedHashMap<>();
    testMetrics.put(MetricKeys.TEST_LOSS, test.loss);
    testMetrics.put(MetricKeys.TEST_ACCURACY, test.evaluation.accuracy());
    testMetrics.put(MetricKeys.TEST_F1, test.evaluation.f1());
    trial.run().predictions(TrialModels.predictions(network, trial.data().test(), layout,
        batchSize));
    Path modelFile = trial.workDir().resolve("model.zip");
    ModelFiles.save(network, ModelMetadata.builder()
        .modelName(model.name())
        .hyperparameters(hyperparameters)
        .dataset(trial.data().name(), trial.data().checksums())
        .classNames(trial.data().classNames())
        .metric(MetricKeys.TEST_ACCURACY, test.evaluation.accuracy())
        .extra("run_id", trial.run().id())
        .extra("batch_size", batchSize)
        .extra("epochs", epochs)
        .extra("epochs_trained", epochsTrained)
        .extra("spark_workers", workers)
        .extra("averaging_frequency", AVERAGING_FREQUENCY)
        .build(), modelFile);
    LOG.info("data-parallel training on {} worker(s): test accuracy {}", workers,
        test.evaluation.accuracy());
    return new ExecutionResult(epochsTrained, stopped, testMetrics, Optional.of(modelFile));
  }

  private static List<DataSet> batches(LabeledImages images, int batchSize, ImageLayout layout,
      long seed) {
    MnistDataSetIterator it = MnistDataSetIterator.builder(images).batchSize(batchSize)
        .layout(layout).shuffle(seed).buildSynchronous();
    List<DataSet> out = new ArrayList<>();
    while (it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  /** A network's loss (mean over images) and evaluation on a split, computed on the driver. */
  private static Evaluated evaluate(MultiLayerNetwork network, LabeledImages images,
      int batchSize, ImageLayout layout, List<String> classNames) {
    MnistDataSetIterator it = MnistDataSetIterator.builder(images).batchSize(batchSize)
        .layout(layout).noShuffle().buildSynchronous();
    Evaluation evaluation = new Evaluation(classNames);
    double lossSum = 0;
    int count = 0;
    while (it.hasNext()) {
      DataSet batch = it.next();
      int n = batch.numExamples();
      lossSum += network.score(batch, false) * n;
      count += n;
      evaluation.eval(batch.getLabels(), network.output(batch.getFeatures(), false));
    }
    return new Evaluated(count == 0 ? Double.NaN : lossSum / count, evaluation);
  }

  private record Evaluated(double loss, Evaluation evaluation) {}
}
