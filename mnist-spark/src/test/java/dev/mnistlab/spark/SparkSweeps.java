package dev.mnistlab.spark;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.experiments.runner.SweepListener;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.Trackers;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.tracking.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Builds and runs the small real sweeps the tests put on Spark. */
final class SparkSweeps {
  private static MnistDataset mnist10k;

  private SparkSweeps() {}

  /** The shared 10k MNIST, loaded once per test JVM. */
  static synchronized MnistDataset mnist10k() {
    if (mnist10k == null) {
      try {
        mnist10k = MnistDataset.load(dev.mnistlab.data.testing.SharedData.mnist10k());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return mnist10k;
  }

  /**
   * A grid sweep of the mlp over {@code learningRates}, {@code epochs} each, on 600 training
   * images, on {@code master}, recording in {@code store}.
   */
  static SweepConfig grid(String name, String master, String store, Path out, int epochs,
      String learningRates, String extra) throws IOException {
    return grid(name, master, store, out, epochs, learningRates, extra, 700);
  }

  /** {@link #grid} on {@code trainSubset} training images. */
  static SweepConfig grid(String name, String master, String store, Path out, int epochs,
      String learningRates, String extra, int trainSubset) throws IOException {
    return grid(name, master, store, out, epochs, learningRates, extra, trainSubset, "disabled");
  }

  /** {@link #grid} with W&B in {@code wandbMode}. */
  static SweepConfig grid(String name, String master, String store, Path out, int epochs,
      String learningRates, String extra, int trainSubset, String wandbMode) throws IOException {
    String json = """
        {"sweep": {"name": "%s", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": %d},
                                  "batch_size": {"value": 50},
                                  "learning_rate": {"values": [%s]}}%s},
         "runner": {"train_subset": %d, "validation_size": 100, "seed": 5, "spark": "%s",
                    "output_dir": "%s",
                    "tracking": {"store": "%s", "wandb": "%s"}}}
        """.formatted(name, epochs, learningRates, extra, trainSubset, master, out, store,
            wandbMode);
    return SweepConfig.parse(json, name + ".json", name);
  }

  /** Runs a sweep with the driver's tracker on the config's store and {@code env}. */
  static SweepResult run(SweepConfig config, Map<String, String> env, SweepListener listener)
      throws IOException {
    try (Tracker tracker = Trackers.open(config.runner().tracking(), env, false)) {
      return runner(config, tracker, listener).run();
    }
  }

  /**
   * Trains the mlp data-parallel on {@code master} with {@code workers} workers for {@code epochs}
   * epochs on 1,000 training images, as {@code mnistlab train --spark} does.
   */
  static SweepResult trainDataParallel(String master, int workers, int epochs, String store,
      Path out) throws IOException {
    dev.mnistlab.experiments.trial.TrialSpec spec = dev.mnistlab.experiments.runner.OneTrial
        .ownSweep(dev.mnistlab.experiments.trial.TrialSpec.builder("mlp").epochs(epochs)
            .batchSize(50).seed(7).learningRate(java.util.OptionalDouble.of(0.003))
            .data(new dev.mnistlab.experiments.trial.DataSpec("mnist", java.util.Optional.empty(),
                java.util.OptionalInt.of(200), java.util.OptionalInt.of(1200), 7, Map.of()))
            .tracking(dev.mnistlab.experiments.trial.TrackingSettings.defaults().withStore(store))
            .build(), "train-mlp");
    TrialData data = TrialData.split(mnist10k(), spec.data());
    try (Tracker tracker = Trackers.open(spec.tracking(), Map.of("WANDB_MODE", "disabled"),
        false)) {
      return dev.mnistlab.experiments.runner.OneTrial.builder().spec(spec).data(data)
          .tracker(tracker).outputDir(out).executor(new DataParallelTraining(master, workers))
          .build().run();
    }
  }

  static SweepRunner runner(SweepConfig config, Tracker tracker, SweepListener listener) {
    return SweepRunner.builder().config(config)
        .data(TrialData.split(mnist10k(), config.runner().data())).tracker(tracker)
        .listener(listener).build();
  }
}
