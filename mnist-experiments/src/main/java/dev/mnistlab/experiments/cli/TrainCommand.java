package dev.mnistlab.experiments.cli;

import dev.mnistlab.experiments.UserInputException;
import dev.mnistlab.experiments.runner.OneTrial;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.SweepMetric;
import dev.mnistlab.experiments.trial.DataSpec;
import dev.mnistlab.experiments.trial.TrackingSettings;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.experiments.trial.TrialConsole;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.models.LearningRateSchedule;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.Optimizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab train}: trains one zoo model, printing a line per epoch (and a progress bar
 * within it), then the test metrics, and saves the model as {@code OUT/model.zip}. The trial is a
 * {@link TrialSpec} run by the trial runner as the only trial of a sweep {@code train-MODEL}, so it
 * is recorded, reported and rerun like any sweep trial (local store, W&amp;B when a key is
 * present).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train one model from the zoo and save it.")
final class TrainCommand implements Callable<Integer> {
  /** The saved model's file name in the output folder. */
  static final String MODEL_FILE = TrialRunner.MODEL_FILE;
  /** What train ranks by (it prints it per epoch; the report shows it). */
  private static final SweepMetric TRAIN_METRIC =
      new SweepMetric("val_accuracy", Goal.MAXIMIZE, java.util.OptionalDouble.empty());

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME",
      description = "Zoo model: mlp, cnn-basic, cnn-dropout, cnn-batchnorm, lenet5, ...")
  String model;

  @Option(names = "--epochs", paramLabel = "N",
      description = "Epochs (default: the model's recipe, e.g. 5 for cnn-basic, 15 for cnn-deep).")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "B",
      description = "Batch size (default: the model's recipe).")
  Integer batchSize;

  @Option(names = "--learning-rate", paramLabel = "RATE",
      description = "Initial learning rate (default: the model's).")
  Double learningRate;

  @Option(names = "--lr-schedule", paramLabel = "SCHEDULE",
      description = "Learning-rate schedule: constant, step:EVERY:FACTOR, exponential:GAMMA,"
          + " cosine (over the epochs) or cosine:EPOCHS:MIN_FRACTION (default: the model's).")
  String lrSchedule;

  @Option(names = "--augment", negatable = true,
      description = "Random shifts and rotations of training images (default: the model's;"
          + " --no-augment switches it off).")
  Boolean augment;

  @Option(names = "--l2", paramLabel = "C", description = "L2 weight decay (default: the model's).")
  Double l2;

  @Option(names = "--optimizer", paramLabel = "NAME",
      description = "adam, sgd-nesterov or rmsprop (default: the model's).")
  String optimizer;

  @Option(names = "--dropout", paramLabel = "P", description = "Dropout (default: the model's).")
  Double dropout;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "SEED",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @ArgGroup(exclusive = true)
  DataChoice data = new DataChoice();

  static final class DataChoice {
    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Folder with the four IDX files.")
    Path dataDir;

    @Option(names = "--dataset", paramLabel = "NAME",
        description = "mnist, fashion or kmnist (from the cache or downloaded; default mnist).")
    String dataset;
  }

  @Option(names = "--validation-size", paramLabel = "N",
      description = "Validation images held out of training (default: 6000, or a tenth).")
  Integer validationSize;

  @Option(names = "--train-subset", paramLabel = "N",
      description = "Train on a stratified sample of N images only.")
  Integer trainSubset;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output folder for the model, results and report.")
  Path out;

  @Option(names = "--store", paramLabel = "PATH|JDBC_URL",
      description = "Local run store (default: runs/mnistlab.db).")
  String store;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Train data-parallel on Spark (DL4J parameter averaging): local[N],"
          + " spark://host:port, yarn or k8s://URL; needs mnist-spark, see its README.")
  String sparkMaster;

  @Option(names = "--workers", paramLabel = "N",
      description = "Data-parallel workers with --spark (default 2): the training data is split"
          + " in N partitions, one model replica each, averaged.")
  Integer workers;

  @Override
  public Integer call() throws Exception {
    TrialSpec trial = OneTrial.ownSweep(trialSpec(), "train-" + model);
    PrintWriter stdout = spec.commandLine().getOut();
    dev.mnistlab.experiments.trial.TrialExecutor executor =
        dev.mnistlab.experiments.trial.TrialExecutor.zoo();
    if (workers != null && sparkMaster == null) {
      throw invalid("--workers", workers, "only with --spark MASTER");
    }
    if (sparkMaster != null) {
      if (!dev.mnistlab.experiments.sweep.RunnerSettings.SPARK_MASTER.matcher(sparkMaster)
          .matches()) {
        throw invalid("--spark", sparkMaster,
            "a Spark master: local, local[N], spark://host:port, yarn or k8s://URL");
      }
      int n = workers == null ? 2 : workers;
      if (n < 1 || n > 1024) {
        throw invalid("--workers", n, "1..1024");
      }
      executor = dev.mnistlab.experiments.runner.TrialSchedulers.sparkDataParallel(sparkMaster, n);
    }
    SweepExecution.Outcome outcome = SweepExecution.run(trial, out,
        new SweepProgress(stdout, TRAIN_METRIC, 0, System.console() != null), executor);
    SweepResult result = outcome.result();
    TrialRecord record = result.trials().get(0);
    if (record.status() == TrialStatus.FAILED) {
      // the trial's own failure decides: diverged training is the user's input (exit 2)
      Throwable cause = outcome.failure().orElse(null);
      if (cause instanceof UserInputException invalid) {
        throw invalid;
      }
      // a file that cannot be written (a full --out disk) or a store that failed is the user's
      // to fix and says which path; anything else is a bug
      if (cause instanceof java.io.IOException io) {
        throw io;
      }
      if (cause instanceof dev.mnistlab.tracking.TrackingException tracking) {
        throw tracking;
      }
      throw new IllegalStateException("training failed: " + record.error().orElse("unknown"),
          outcome.failure().orElse(null));
    }
    stdout.println();
    for (Map.Entry<String, Double> metric : record.testMetrics().entrySet()) {
      stdout.println(TrialConsole.metricLine(metric.getKey(), metric.getValue()));
    }
    if (Files.exists(out.resolve(MODEL_FILE))) {
      stdout.printf("model          %s%n", out.resolve(MODEL_FILE));
    }
    stdout.printf("run            %s%n", record.runId());
    stdout.printf("report         %s%n", outcome.report());
    stdout.flush();
    return result.interrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
  }

  /** The trial the options describe, checked option by option. */
  private TrialSpec trialSpec() {
    if (!ModelZoo.names().contains(model)) {
      throw invalid("--model", model, "one of: " + String.join(", ", ModelZoo.names()));
    }
    if (epochs != null && epochs < 1) {
      throw invalid("--epochs", epochs, "an integer >= 1");
    }
    if (batchSize != null && batchSize < 1) {
      throw invalid("--batch-size", batchSize, "an integer >= 1");
    }
    if (lrSchedule != null) {
      try {
        LearningRateSchedule.parse(lrSchedule);
      } catch (IllegalArgumentException e) {
        throw invalid("--lr-schedule", lrSchedule, LearningRateSchedule.FORMS);
      }
    }
    if (l2 != null && !(Double.isFinite(l2) && l2 >= 0)) {
      throw invalid("--l2", l2, "a finite number >= 0");
    }
    if (learningRate != null && !(Double.isFinite(learningRate) && learningRate > 0)) {
      throw invalid("--learning-rate", learningRate, "a finite number > 0");
    }
    if (dropout != null && !(dropout >= 0 && dropout < 1)) {
      throw invalid("--dropout", dropout, "a number in [0, 1)");
    }
    if (optimizer != null && Arrays.stream(Optimizer.values()).noneMatch(
        o -> o.id().equals(optimizer))) {
      throw invalid("--optimizer", optimizer, "one of: " + Arrays.stream(Optimizer.values())
          .map(Optimizer::id).collect(Collectors.joining(", ")));
    }
    if (validationSize != null && validationSize < 1) {
      throw invalid("--validation-size", validationSize, "an integer >= 1");
    }
    if (trainSubset != null && trainSubset < 1) {
      throw invalid("--train-subset", trainSubset, "an integer >= 1");
    }
    String dataset = data.dataset != null
        ? DatasetChoice.known(spec.commandLine(), data.dataset).id() : "mnist";
    TrackingSettings tracking = TrackingSettings.defaults();
    if (store != null) {
      tracking = tracking.withStore(store);
    }
    TrialSpec.Builder trial = TrialSpec.builder(model);
    if (epochs != null) {
      trial.epochs(epochs);
    }
    if (batchSize != null) {
      trial.batchSize(batchSize);
    }
    return trial
        .seed(seed)
        .learningRate(learningRate == null ? OptionalDouble.empty() : OptionalDouble.of(learningRate))
        .optimizer(Optional.ofNullable(optimizer))
        .dropout(dropout == null ? OptionalDouble.empty() : OptionalDouble.of(dropout))
        .l2(l2 == null ? OptionalDouble.empty() : OptionalDouble.of(l2))
        .lrSchedule(Optional.ofNullable(lrSchedule))
        .augment(Optional.ofNullable(augment))
        .data(new DataSpec(dataset,
            Optional.ofNullable(data.dataDir),
            validationSize == null ? OptionalInt.empty() : OptionalInt.of(validationSize),
            trainSubset == null ? OptionalInt.empty() : OptionalInt.of(trainSubset),
            seed, Map.of()))
        .tracking(tracking)
        .build();
  }

  private ParameterException invalid(String option, Object value, String expected) {
    return new ParameterException(spec.commandLine(), "Invalid value for option '" + option
        + "': " + value + " (expected " + expected + ")");
  }
}
