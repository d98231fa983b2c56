package dev.mnistlab.models.bench;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.testing.SharedData;
import dev.mnistlab.data.TrainValidationSplit;
import dev.mnistlab.models.EpochResult;
import dev.mnistlab.models.LearningRateSchedule;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.Trainer;
import dev.mnistlab.models.TrainingResult;
import dev.mnistlab.models.ZooModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains zoo models on a dataset folder and prints per-epoch and final test accuracy (run by
 * {@code mnist-models/bench/accuracy.sh}).
 *
 * <p>System properties: {@code data} (dataset folder with the four IDX files), {@code models}
 * (comma-separated, default all), {@code epochs} (override; default per model: the study's 5 / 10 /
 * 12 for cnn-basic / cnn-dropout / cnn-batchnorm, 10 for mlp and lenet5, 15 for cnn-deep), {@code
 * batch} (64), {@code seed} (42). cnn-deep trains with an exponential learning-rate decay of 0.85
 * per epoch; the others with a constant rate.
 */
public final class AccuracyBenchmark {

  private static final Map<String, Integer> EPOCHS =
      Map.of("mlp", 10, "cnn-basic", 5, "cnn-dropout", 10, "cnn-batchnorm", 12, "lenet5", 10, "cnn-deep", 15);

  private AccuracyBenchmark() {}

  public static void main(String[] args) throws Exception {
    String given = System.getProperty("data");
    Path folder = given != null ? Path.of(given) : SharedData.mnist10k();
    List<String> models = List.of(System.getProperty("models", String.join(",", ModelZoo.names())).split(","));
    int batch = Integer.getInteger("batch", 64);
    long seed = Long.getLong("seed", 42);
    MnistDataset data = MnistDataset.load(folder);
    TrainValidationSplit split = TrainValidationSplit.stratified(data.train(), seed);
    System.out.printf(
        Locale.ROOT,
        "dataset %s: %d train / %d validation / %d test%n",
        data.name(),
        split.train().count(),
        split.validation().count(),
        data.test().count());
    for (String name : models) {
      ZooModel model = ModelZoo.get(name.trim());
      int epochs = Integer.getInteger("epochs", EPOCHS.getOrDefault(model.name(), 10));
      LearningRateSchedule schedule =
          model.name().equals("cnn-deep") ? LearningRateSchedule.exponential(0.85) : LearningRateSchedule.constant();
      Trainer trainer =
          Trainer.builder()
              .epochs(epochs)
              .batchSize(batch)
              .learningRateSchedule(schedule)
              .classNames(data.classNames())
              .listener(e -> printEpoch(model.name(), e))
              .build();
      long start = System.nanoTime();
      TrainingResult result =
          trainer.fit(model, model.defaults().toBuilder().seed(seed).build(), split.train(), split.validation(), data.test());
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "RESULT model=%s dataset=%s epochs=%d batch=%d total_s=%.0f train_s=%.0f val_acc=%.4f"
              + " best_epoch=%d test_acc=%.4f test_loss=%.4f%n",
          model.name(),
          data.name(),
          result.epochs().size(),
          batch,
          seconds,
          result.trainingSeconds(),
          result.lastEpoch().validationAccuracy(),
          result.bestEpoch(),
          result.testAccuracy(),
          result.testLoss());
    }
  }

  private static void printEpoch(String model, EpochResult e) {
    System.out.printf(
        Locale.ROOT,
        "%s epoch %2d: loss %.4f acc %.4f val_loss %.4f val_acc %.4f lr %.2g %.1f s %.0f img/s%n",
        model,
        e.epoch(),
        e.trainLoss(),
        e.trainAccuracy(),
        e.validationLoss(),
        e.validationAccuracy(),
        e.learningRate(),
        e.seconds(),
        e.imagesPerSecond());
  }
}
