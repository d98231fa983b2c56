package dev.mnistlab.models;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.TrainValidationSplit;

/**
 * One cnn-basic trained for one epoch on mnist-10k, shared by the tests that need a real trained
 * model (training it once keeps the suite fast).
 */
final class TrainedModel {

  static final int BATCH = 64;
  private static TrainingResult result;

  private TrainedModel() {}

  static synchronized TrainingResult cnnBasic() {
    if (result == null) {
      MnistDataset data = TestData.mnist10k();
      TrainValidationSplit split = TrainValidationSplit.stratified(data.train(), 800, 42);
      result =
          Trainer.builder()
              .epochs(1)
              .batchSize(BATCH)
              .classNames(data.classNames())
              .build()
              .fit(ModelZoo.get("cnn-basic"), ModelZoo.get("cnn-basic").defaults(), split.train(), split.validation(), data.test());
    }
    return result;
  }
}
