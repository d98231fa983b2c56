package dev.mnistlab.experiments.trial;

import dev.mnistlab.experiments.UserInputException;
import dev.mnistlab.models.EpochResult;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.ModelFiles;
import dev.mnistlab.models.ModelMetadata;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.Trainer;
import dev.mnistlab.models.TrainingDivergedException;
import dev.mnistlab.models.TrainingRecipe;
import dev.mnistlab.models.TrainingResult;
import dev.mnistlab.models.ZooModel;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.TestPrediction;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a trial with mnist-models: the zoo network the parameters name (unset hyperparameters
 * take the model's defaults), trained and evaluated by the {@link Trainer} (which owns per-epoch
 * validation and the test evaluation), each epoch reported to the runner (which may stop it:
 * hyperband, Ctrl-C), test metrics and per-image test predictions recorded in the run, and the
 * network saved with {@link ModelFiles} (weights plus metadata: hyperparameters, dataset checksums,
 * metrics).
 *
 * <p>A stop from the sweep goes through {@link Trainer.Builder#stopWhen}: training ends after that
 * epoch (hyperband) or, for Ctrl-C and W&amp;B's Stop, through {@link Trainer.Builder#stopSignal}
 * at the next batch; the trial is then completed like any other (test evaluation, predictions,
 * saved model), so a stopped trial has test metrics and a model.
 */
final class ZooTrialExecutor implements TrialExecutor {
  /** The run file holding the trained network's layer summary. */
  public static final String MODEL_SUMMARY_FILE = "model-summary.txt";

  /** Training images evaluated after each epoch for the training accuracy. */
  private static final int TRAIN_ACCURACY_SAMPLE = 2000;

  ZooTrialExecutor() {}

  @Override
  public ExecutionResult execute(Trial trial) throws Exception {
    TrialSpec p = trial.spec();
    ZooModel model = ModelZoo.get(p.model());
    TrainingRecipe recipe = TrialModels.recipe(model, p);
    Hyperparameters hyperparameters = recipe.hyperparameters();
    int batchSize = recipe.batchSize();
    trial.run().config(TrialModels.resolvedConfig(model, recipe));
    List<String> classNames = trial.data().classNames();
    Trainer trainer = Trainer.builder(recipe)
        .classNames(classNames)
        .trainAccuracySample(Math.min(TRAIN_ACCURACY_SAMPLE, trial.data().train().count()))
        .progress((epoch, batch, batches, loss) -> trial.batchFinished(epoch, batch, batches))
        // records the epoch in the run; false means the sweep stops the trial (hyperband, Ctrl-C)
        .stopWhen(result -> !trial.epochFinished(metrics(result)))
        // Ctrl-C or W&B's Stop: end the epoch at the next batch, not after the whole epoch
        .stopSignal(trial::stopSignalled)
        .build();
    checkRepresentable(hyperparameters.learningRate());
    TrainingResult result;
    try {
      result = trainer.fit(model, hyperparameters, trial.data().train(),
          trial.data().validation(), trial.data().test());
    } catch (TrainingDivergedException e) {
      throw new TrialDivergedException("training diverged: loss " + e.loss() + " in epoch "
          + e.epoch() + " of " + model.name() + " with learning rate "
          + hyperparameters.learningRate() + "; try a smaller learning rate");
    }
    Map<String, Double> testMetrics = new LinkedHashMap<>();
    Optional<Evaluation> test = result.testEvaluation();
    if (test.isPresent()) {
      trial.trackingListener().recordTest(result.testLoss(), test.get());
      testMetrics.put(MetricKeys.TEST_LOSS, result.testLoss());
      testMetrics.put(MetricKeys.TEST_ACCURACY, test.get().accuracy());
      testMetrics.put(MetricKeys.TEST_F1, test.get().f1());
    }
    MultiLayerNetwork network = result.network();
    List<TestPrediction> predictions = TrialModels.predictions(network, trial.data().test(),
        TrialModels.layout(model), batchSize);
    trial.run().predictions(predictions);
    // the trial's media in one history row after the last epoch (W&B Media/Tables, the report)
    trial.run().log(TrialMedia.row(trial.data(), predictions, p.data().splitSeed(),
        TrialMedia.DEFAULT_PREDICTION_ROWS));
    // the architecture, layer by layer with parameter counts, in the run's files (W&B Files tab)
    trial.run().file(MODEL_SUMMARY_FILE,
        network.summary().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path modelFile = trial.workDir().resolve("model.zip");
    ModelMetadata.Builder metadata = ModelMetadata.builder()
        .modelName(model.name())
        .hyperparameters(hyperparameters)
        .dataset(trial.data().name(), trial.data().checksums())
        .classNames(classNames)
        .metrics(result)
        .extra("run_id", trial.run().id())
        .extra(TrainingRecipe.BATCH_SIZE, batchSize)
        .extra(TrainingRecipe.EPOCHS, recipe.epochs())
        .extra("epochs_trained", result.epochs().size())
        .extra("stopped_by_sweep", result.stopRequested());
    ModelFiles.save(network, metadata.build(), modelFile);
    return new ExecutionResult(result.epochs().size(),
        result.stoppedEarly() || result.stopRequested(), testMetrics,
        Optional.of(modelFile));
  }

  private static EpochMetrics metrics(EpochResult r) {
    EpochMetrics.Builder b = EpochMetrics.builder(r.epoch())
        .trainLoss(r.trainLoss())
        .validationLoss(r.validationLoss())
        .validationAccuracy(r.validationAccuracy())
        .validationMacro(r.macroPrecision(), r.macroRecall(), r.macroF1())
        .learningRate(r.learningRate())
        .seconds(r.seconds())
        .imagesPerSecond(r.imagesPerSecond());
    if (Double.isFinite(r.trainAccuracy())) {
      b.trainAccuracy(r.trainAccuracy());
    }
    return b.build();
  }

  /**
   * A learning rate beyond the network's floating-point range is infinity inside it: nothing is
   * learnt and the trial would "finish" at chance accuracy.
   */
  private static void checkRepresentable(double learningRate) {
    DataType type = Nd4j.defaultFloatingPointType();
    double largest = type == DataType.DOUBLE ? Double.MAX_VALUE
        : type == DataType.FLOAT16 ? 65504 : Float.MAX_VALUE;
    if (learningRate > largest) {
      throw new UserInputException("learning rate " + learningRate + " is infinite in the"
          + " network's " + type.name().toLowerCase(java.util.Locale.ROOT) + " numbers (largest "
          + largest + "); training would learn nothing");
    }
  }
}
