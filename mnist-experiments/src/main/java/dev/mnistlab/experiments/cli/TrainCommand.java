package dev.mnistlab.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.sweep.SweepConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab train}: trains one zoo model, printing a line per epoch (and a progress bar
 * within it), then the test metrics, and saves the model as {@code OUT/model.zip}. The run is
 * tracked like a sweep trial (local store, W&amp;B when a key is present).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train one model from the zoo and save it.")
final class TrainCommand implements Callable<Integer> {
  /** The saved model's file name in the output folder. */
  static final String MODEL_FILE = "model.zip";

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "NAME",
      description = "Zoo model: mlp, cnn-basic, cnn-dropout, cnn-batchnorm, lenet5, ...")
  String model;

  @Option(names = "--epochs", defaultValue = "5", paramLabel = "N",
      description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B",
      description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--learning-rate", paramLabel = "RATE",
      description = "Learning rate (default: the model's).")
  Double learningRate;

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

  @Override
  public Integer call() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode sweep = root.putObject("sweep");
    sweep.put("name", "train-" + model);
    sweep.put("method", "grid");
    sweep.putObject("metric").put("name", "val_accuracy").put("goal", "maximize");
    ObjectNode parameters = sweep.putObject("parameters");
    parameters.putObject("model").put("value", model);
    parameters.putObject("epochs").put("value", epochs);
    parameters.putObject("batch_size").put("value", batchSize);
    parameters.putObject("seed").put("value", seed);
    if (learningRate != null) {
      parameters.putObject("learning_rate").put("value", learningRate);
    }
    if (optimizer != null) {
      parameters.putObject("optimizer").put("value", optimizer);
    }
    if (dropout != null) {
      parameters.putObject("dropout").put("value", dropout);
    }
    ObjectNode runner = root.putObject("runner");
    runner.put("dataset", data.dataset != null ? data.dataset : "mnist");
    if (data.dataDir != null) {
      runner.put("data_dir", data.dataDir.toString());
    }
    if (validationSize != null) {
      runner.put("validation_size", validationSize);
    }
    if (trainSubset != null) {
      runner.put("train_subset", trainSubset);
    }
    runner.put("seed", seed);
    runner.put("output_dir", out.toString());
    if (store != null) {
      runner.putObject("tracking").put("store", store);
    }
    SweepConfig config = SweepConfig.parse(mapper.writeValueAsString(root), "train options",
        "train-" + model);
    PrintWriter stdout = spec.commandLine().getOut();
    SweepExecution.Outcome outcome = SweepExecution.run(config, false,
        c -> new SweepProgress(stdout, c.sweep().metric(), 0, System.console() != null));
    SweepResult result = outcome.result();
    TrialRecord trial = result.trials().get(0);
    if (trial.error().isPresent() && !trial.status().isComplete()) {
      // a file that cannot be written (a full --out disk) or a store that failed is the user's
      // to fix and says which path; anything else is a bug
      Optional<Throwable> cause = outcome.failures().apply(trial.index());
      if (cause.isPresent() && cause.get() instanceof java.io.IOException io) {
        throw io;
      }
      if (cause.isPresent() && cause.get() instanceof dev.mnistlab.tracking.TrackingException t) {
        throw t;
      }
      throw new IllegalStateException("training failed: " + trial.error().get());
    }
    stdout.println();
    for (Map.Entry<String, Double> metric : trial.testMetrics().entrySet()) {
      stdout.printf(Locale.ROOT, "%-14s %.4f%n", metric.getKey(), metric.getValue());
    }
    Path best = out.resolve(SweepRunner.BEST_MODEL);
    if (Files.exists(best)) {
      Files.move(best, out.resolve(MODEL_FILE), StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(out.resolve(SweepRunner.BEST_MODEL_INFO));
      stdout.printf("model          %s%n", out.resolve(MODEL_FILE));
    }
    stdout.printf("run            %s%n", trial.runId());
    stdout.printf("report         %s%n", outcome.report());
    stdout.flush();
    return result.interrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
  }
}
