package dev.mnistlab.experiments.internal;

import dev.mnistlab.data.ImageLayout;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataSetIterator;
import dev.mnistlab.experiments.runner.Trial;
import dev.mnistlab.experiments.runner.TrialExecutor;
import dev.mnistlab.experiments.runner.TrialResult;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.models.Dl4jRuntime;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.Optimizer;
import dev.mnistlab.models.ZooModel;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Prediction;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains a trial with a network from the mnist-models zoo: builds it from the trial's parameters
 * (unset ones take the model's defaults), trains epoch by epoch with per-batch progress, evaluates
 * the validation split after every epoch with DL4J's {@link Evaluation}, evaluates the test split
 * at the end, records test metrics and predictions in the run, and saves the network with DL4J's
 * {@link ModelSerializer}.
 *
 * <p>Interim: mnist-models' {@code Trainer} and {@code ModelFiles} (per the team contract) were not
 * yet published when this was written; once they are, this executor should delegate to them so
 * that training and evaluation live in one place.
 */
public final class ZooTrialExecutor implements TrialExecutor {
  /** Default batch size when a sweep does not set one. */
  public static final int DEFAULT_BATCH_SIZE = 64;
  /** Default number of epochs when a sweep does not set one. */
  public static final int DEFAULT_EPOCHS = 1;
  /** Default model when a sweep does not set one. */
  public static final String DEFAULT_MODEL = "cnn-basic";

  /** Creates the executor. */
  public ZooTrialExecutor() {}

  @Override
  public TrialResult execute(Trial trial) throws Exception {
    TrialParameters p = trial.parameters();
    ZooModel model = ModelZoo.get(p.model().orElse(DEFAULT_MODEL));
    Hyperparameters hyperparameters = hyperparameters(model, p, trial.seed());
    trial.run().config(resolvedConfig(model, hyperparameters, p));
    MultiLayerNetwork network = Dl4jRuntime.prepare(model.build(hyperparameters));
    int batchSize = p.batchSize().orElse(DEFAULT_BATCH_SIZE);
    int epochs = p.epochs().orElse(DEFAULT_EPOCHS);
    ImageLayout layout = layout(model.inputType());
    LabeledImages train = trial.data().train();
    List<String> classNames = trial.data().classNames();

    int trained = 0;
    boolean stopped = false;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      MnistDataSetIterator iterator = MnistDataSetIterator.builder(train).batchSize(batchSize)
          .layout(layout).shuffle(trial.seed() + epoch).buildSynchronous();
      int batches = iterator.batchesPerEpoch();
      long start = System.nanoTime();
      double lossSum = 0;
      int done = 0;
      while (iterator.hasNext()) {
        DataSet batch = iterator.next();
        network.fit(batch);
        lossSum += network.score();
        done++;
        trial.batchFinished(epoch, done, batches);
      }
      network.incrementEpochCount();
      double seconds = (System.nanoTime() - start) / 1e9;
      Scores validation = evaluate(network, trial.data().validation(), layout, batchSize,
          classNames, null);
      trained = epoch;
      EpochMetrics metrics = EpochMetrics.builder(epoch)
          .trainLoss(lossSum / Math.max(1, done))
          .validationLoss(validation.loss)
          .validationAccuracy(validation.evaluation.accuracy())
          .validationMacro(validation.evaluation.precision(), validation.evaluation.recall(),
              validation.evaluation.f1())
          .learningRate(hyperparameters.learningRate())
          .seconds(seconds)
          .imagesPerSecond(train.count() / Math.max(seconds, 1e-9))
          .build();
      if (!trial.epochFinished(metrics)) {
        stopped = epoch < epochs;
        break;
      }
    }
    List<Prediction> predictions = new ArrayList<>();
    Scores test = evaluate(network, trial.data().test(), layout, batchSize, classNames, predictions);
    trial.trackingListener().recordTest(test.loss, test.evaluation);
    trial.run().predictions(predictions);
    Map<String, Double> testMetrics = new LinkedHashMap<>();
    testMetrics.put(MetricKeys.TEST_LOSS, test.loss);
    testMetrics.put(MetricKeys.TEST_ACCURACY, test.evaluation.accuracy());
    testMetrics.put(MetricKeys.TEST_F1, test.evaluation.f1());
    Path modelFile = trial.workDir().resolve("model.zip");
    ModelSerializer.writeModel(network, modelFile.toFile(), true);
    return new TrialResult(trained, stopped, testMetrics, Optional.of(modelFile));
  }

  /** The model's defaults overridden by the trial's parameters. */
  static Hyperparameters hyperparameters(ZooModel model, TrialParameters p, long seed) {
    Hyperparameters.Builder b = model.defaults().toBuilder().seed(seed);
    p.learningRate().ifPresent(b::learningRate);
    p.dropout().ifPresent(b::dropout);
    p.l2().ifPresent(b::l2);
    p.optimizer().ifPresent(o -> b.optimizer(Optimizer.fromId(o)));
    return b.build();
  }

  private static Map<String, Object> resolvedConfig(ZooModel model, Hyperparameters h,
      TrialParameters p) {
    Map<String, Object> config = new LinkedHashMap<>(h.toMap());
    config.put("model", model.name());
    config.put("batch_size", p.batchSize().orElse(DEFAULT_BATCH_SIZE));
    config.put("epochs", p.epochs().orElse(DEFAULT_EPOCHS));
    return config;
  }

  private static ImageLayout layout(InputType inputType) {
    return inputType instanceof InputType.InputTypeConvolutional
        ? ImageLayout.NCHW : ImageLayout.FLAT;
  }

  /** Loss (mean cross-entropy) and DL4J evaluation of {@code images}, in one forward pass. */
  private static Scores evaluate(MultiLayerNetwork network, LabeledImages images,
      ImageLayout layout, int batchSize, List<String> classNames, List<Prediction> predictions) {
    DataSetIterator iterator = MnistDataSetIterator.builder(images).batchSize(batchSize)
        .layout(layout).noShuffle().buildSynchronous();
    Evaluation evaluation = new Evaluation(classNames);
    double lossSum = 0;
    int index = 0;
    while (iterator.hasNext()) {
      DataSet batch = iterator.next();
      INDArray output = network.output(batch.getFeatures(), false);
      evaluation.eval(batch.getLabels(), output);
      INDArray logs = Transforms.log(output.add(1e-12), false);
      lossSum -= batch.getLabels().mul(logs).sumNumber().doubleValue();
      if (predictions != null) {
        float[][] probabilities = output.toFloatMatrix();
        for (float[] row : probabilities) {
          int predicted = 0;
          for (int k = 1; k < row.length; k++) {
            if (row[k] > row[predicted]) {
              predicted = k;
            }
          }
          predictions.add(Prediction.of(index, images.image(index), images.label(index),
              predicted, row));
          index++;
        }
      }
    }
    return new Scores(lossSum / Math.max(1, images.count()), evaluation);
  }

  private record Scores(double loss, Evaluation evaluation) {}
}
