package dev.mnistlab.experiments.trial;

import dev.mnistlab.data.ImageLayout;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataSetIterator;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.LearningRateSchedule;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.TrainingRecipe;
import dev.mnistlab.models.Optimizer;
import dev.mnistlab.models.ZooModel;
import dev.mnistlab.tracking.TestPrediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * What every executor of a zoo trial does the same way, whoever trains the network (the local
 * {@link TrialExecutor#zoo()} trainer, or DL4J's data-parallel training on Spark): the trial's
 * training recipe, its run config, the network's image layout and its per-image test predictions.
 */
public final class TrialModels {
  private TrialModels() {}

  /**
   * How the trial trains: the model's recipe overridden by the trial's parameters. Every
   * scheduler's trial (train, sweep, rerun, agent, Spark task) and the accuracy benchmark get their
   * trainer configuration from here.
   */
  public static TrainingRecipe recipe(ZooModel model, TrialSpec p) {
    Hyperparameters.Builder b = model.defaults().toBuilder().seed(p.seed());
    p.learningRate().ifPresent(b::learningRate);
    p.dropout().ifPresent(b::dropout);
    p.l2().ifPresent(b::l2);
    p.optimizer().ifPresent(o -> b.optimizer(Optimizer.fromId(o)));
    p.lrSchedule().ifPresent(s -> b.lrSchedule(LearningRateSchedule.parse(s)));
    p.augment().ifPresent(b::augment);
    return TrainingRecipe.of(b.build(), p.epochs(), p.batchSize());
  }

  /** The run's config as trained: the model and its whole resolved recipe. */
  public static Map<String, Object> resolvedConfig(ZooModel model, TrainingRecipe recipe) {
    Map<String, Object> config = new LinkedHashMap<>(recipe.toMap());
    config.put(ModelZoo.MODEL, model.name());
    return config;
  }

  /** How the model takes its images: NCHW for convolutional inputs, else flat vectors. */
  public static ImageLayout layout(ZooModel model) {
    return model.inputType() instanceof InputType.InputTypeConvolutional
        ? ImageLayout.NCHW : ImageLayout.FLAT;
  }

  /** The network's output for every test image, as tracking predictions (index, image, labels). */
  public static List<TestPrediction> predictions(MultiLayerNetwork network, LabeledImages images,
      ImageLayout layout, int batchSize) {
    DataSetIterator iterator = MnistDataSetIterator.builder(images).batchSize(batchSize)
        .layout(layout).noShuffle().buildSynchronous();
    List<TestPrediction> predictions = new ArrayList<>(images.count());
    int index = 0;
    while (iterator.hasNext()) {
      DataSet batch = iterator.next();
      INDArray output = network.output(batch.getFeatures(), false);
      for (float[] row : output.toFloatMatrix()) {
        int predicted = 0;
        for (int k = 1; k < row.length; k++) {
          if (row[k] > row[predicted]) {
            predicted = k;
          }
        }
        predictions.add(TestPrediction.of(index, images.image(index), images.label(index), predicted,
            row));
        index++;
      }
    }
    return predictions;
  }
}
