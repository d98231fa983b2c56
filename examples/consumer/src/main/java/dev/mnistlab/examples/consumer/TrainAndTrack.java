package dev.mnistlab.examples.consumer;

// sample:start
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.data.TrainValidationSplit;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.ModelFiles;
import dev.mnistlab.models.ModelMetadata;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.Trainer;
import dev.mnistlab.models.TrainingResult;
import dev.mnistlab.models.ZooModel;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import dev.mnistlab.tracking.dl4j.TrackingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Trains the zoo's {@code cnn-basic} on a folder of MNIST IDX files, records the run in a local
 * store ({@code OUT/runs.db}; also streamed to W&amp;B when {@code WANDB_API_KEY} is set) and saves
 * the model to {@code OUT/model.zip}: {@code TrainAndTrack DATA_DIR OUT [TRAIN_IMAGES [EPOCHS]]}.
 */
public final class TrainAndTrack {
  private TrainAndTrack() {}

  /** Trains on the first {@code trainImages} of the training split (or all); returns the run id. */
  public static String run(Path dataDir, Path out, int trainImages, int epochs) throws IOException {
    MnistDataset data = MnistDataset.load(dataDir);
    TrainValidationSplit split = TrainValidationSplit.stratified(data.train(), 42);
    int trainCount = Math.min(trainImages, split.train().count());
    LabeledImages train = split.train().subset(IntStream.range(0, trainCount).toArray());
    ZooModel model = ModelZoo.get("cnn-basic");
    Hyperparameters hyperparameters = model.defaults();
    RunSpec spec = RunSpec.builder().project("mnistlab-examples").name(model.name())
        .jobType("train").config(hyperparameters.toMap()).config("train_images", trainCount)
        .config("epochs", epochs).build();
    try (LocalStore store = LocalStore.open(out.resolve("runs.db"));
        Tracker tracker = Tracker.fromEnvironment(store, System.getenv())) {
      // the run ends finished when this returns, failed (with the error) when it throws
      return tracker.run(spec, run -> {
        TrackingListener tracking = TrackingListener.builder(run).epochsRecordedByCaller().build();
        Trainer trainer = Trainer.builder().epochs(epochs).trainingListener(tracking)
            .listener(epoch -> tracking.recordEpoch(EpochMetrics.builder(epoch.epoch())
                .trainLoss(epoch.trainLoss()).trainAccuracy(epoch.trainAccuracy())
                .validationLoss(epoch.validationLoss())
                .validationAccuracy(epoch.validationAccuracy())
                .validationMacro(epoch.macroPrecision(), epoch.macroRecall(), epoch.macroF1())
                .learningRate(epoch.learningRate()).build()))
            .build();
        TrainingResult result =
            trainer.fit(model, hyperparameters, train, split.validation(), data.test());
        tracking.recordTest(result.testLoss(), result.testEvaluation().orElseThrow());
        ModelFiles.save(result.network(), ModelMetadata.builder().modelName(model.name())
            .hyperparameters(hyperparameters).dataset(data.name(), data.checksums())
            .classNames(data.classNames()).metrics(result).extra("run_id", run.id()).build(),
            out.resolve("model.zip"));
        return run.id();
      });
    }
  }

  /** {@link #run} with all training images and 3 epochs unless the arguments say otherwise. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: TrainAndTrack DATA_DIR OUT [TRAIN_IMAGES [EPOCHS]]");
      System.exit(2);
    }
    int trainImages = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
    int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    System.out.println("run " + run(Path.of(args[0]), Path.of(args[1]), trainImages, epochs));
  }
}
// sample:end
