package dev.mnistlab.experiments.bench;

import dev.mnistlab.experiments.cli.MnistlabCommand;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.tracking.MetricKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The zoo's accuracy table, made the way users train: for each model, {@code mnistlab train
 * --model M --data-dir DATA} in this process — the model's own recipe (epochs, batch size,
 * learning-rate schedule, augmentation), the trial runner, the store — then one RESULT line read
 * back from the run's results. Nothing model-specific lives here (run by {@code
 * mnist-experiments/bench/accuracy.sh}).
 *
 * <p>Arguments: {@code DATA_DIR OUT_DIR [MODEL,MODEL,...] [-- extra train flags]}; the extra flags
 * (e.g. {@code --epochs 1}) go to every {@code train} unchanged.
 */
public final class AccuracyBenchmark {

  private AccuracyBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: AccuracyBenchmark DATA_DIR OUT_DIR [MODELS] [-- train flags]");
      System.exit(2);
    }
    System.exit(run(args, System.out));
  }

  /** Trains every model the arguments name; returns 0 when all trained, else 1. */
  static int run(String[] args, PrintStream stdout) throws IOException {
    Path data = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<String> models = ModelZoo.names();
    int next = 2;
    if (args.length > 2 && !args[2].equals("--")) {
      models = List.of(args[2].split(","));
      next = 3;
    }
    List<String> extra = new ArrayList<>();
    if (args.length > next && args[next].equals("--")) {
      extra.addAll(List.of(args).subList(next + 1, args.length));
    }
    int failures = 0;
    for (String model : models) {
      Path folder = out.resolve(model.trim());
      List<String> train = new ArrayList<>(List.of("train", "--model", model.trim(),
          "--data-dir", data.toString(), "--out", folder.toString(),
          "--store", out.resolve("runs.db").toString()));
      train.addAll(extra);
      long start = System.nanoTime();
      int exit = MnistlabCommand.newCommandLine().execute(train.toArray(String[]::new));
      double seconds = (System.nanoTime() - start) / 1e9;
      if (exit != 0 || !Files.exists(folder.resolve(ResultsFiles.JSON))) {
        stdout.printf(Locale.ROOT, "RESULT model=%s FAILED exit=%d%n", model, exit);
        failures++;
        continue;
      }
      TrialRecord trial = ResultsFiles.read(folder).trials().get(0);
      stdout.println(resultLine(model.trim(), trial, seconds));
    }
    return failures == 0 ? 0 : 1;
  }

  /** The RESULT line of one model's run. */
  static String resultLine(String model, TrialRecord trial, double seconds) {
    Map<String, Double> last = trial.history().get(trial.history().size() - 1);
    return String.format(Locale.ROOT,
        "RESULT model=%s run=%s epochs=%d total_s=%.0f train_s=%.0f val_acc=%.4f test_acc=%.4f"
            + " test_loss=%.4f",
        model, trial.runId(), trial.epochs(), seconds, trial.seconds(),
        last.getOrDefault(MetricKeys.VAL_ACCURACY, Double.NaN),
        trial.testMetrics().getOrDefault(MetricKeys.TEST_ACCURACY, Double.NaN),
        trial.testMetrics().getOrDefault(MetricKeys.TEST_LOSS, Double.NaN));
  }
}
