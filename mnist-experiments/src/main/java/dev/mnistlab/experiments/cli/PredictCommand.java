package dev.mnistlab.experiments.cli;

import dev.mnistlab.models.ClassProbability;
import dev.mnistlab.models.IdxPredictions;
import dev.mnistlab.data.InputFiles;
import dev.mnistlab.models.ModelFiles;
import dev.mnistlab.models.ClassPrediction;
import dev.mnistlab.models.Predictor;
import dev.mnistlab.models.SavedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mnistlab predict MODEL INPUT}: classifies a PNG/JPEG of a digit (any size; converted to
 * 28x28 grey and centred like MNIST) or every image of an IDX file (with accuracy when the labels
 * file is beside it).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Classify an image (PNG/JPEG) or an IDX images file with a saved model.")
final class PredictCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model saved by 'mnistlab"
      + " train' or a sweep (model.zip, best-model.zip).")
  Path model;

  @Parameters(index = "1", paramLabel = "INPUT", description = "A PNG/JPEG image or an IDX"
      + " images file (raw or gzip).")
  Path input;

  @Option(names = "--top", defaultValue = "3", paramLabel = "K",
      description = "Show the K most probable classes of an image (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--show", defaultValue = "10", paramLabel = "N",
      description = "For an IDX file, list the first N predictions (default: ${DEFAULT-VALUE}).")
  int show;

  @Override
  public Integer call() throws Exception {
    InputFiles.requireRegularFile(model, "a model .zip");
    InputFiles.requireRegularFile(input, "a PNG or JPEG picture of a digit, or an IDX images file");
    SavedModel saved = ModelFiles.load(model);
    Predictor predictor = saved.predictor();
    PrintWriter out = spec.commandLine().getOut();
    if (Predictor.looksLikeIdx(input)) {
      IdxPredictions predictions = predictor.predictIdx(input);
      out.printf("%s: %d image(s) classified by %s%n", input, predictions.count(),
          saved.metadata().modelName());
      int[] labels = predictions.predictedLabels();
      double[] confidences = predictions.confidences();
      for (int i = 0; i < Math.min(show, labels.length); i++) {
        out.printf(Locale.ROOT, "  %5d  %-12s %5.1f%%%n", i, predictor.classNames().get(labels[i]),
            100 * confidences[i]);
      }
      if (predictions.accuracy().isPresent()) {
        out.printf(Locale.ROOT, "accuracy %.4f (against the labels file beside it)%n",
            predictions.accuracy().get());
      } else {
        out.println("no labels file beside it: accuracy not computed");
      }
    } else {
      ClassPrediction prediction = predictor.predictImage(input);
      out.printf(Locale.ROOT, "%s: %s (%.1f%%)%n", input, prediction.name(),
          100 * prediction.probability());
      for (ClassProbability p : prediction.top(Math.max(1, top))) {
        out.printf(Locale.ROOT, "  %-12s %5.1f%%%n", p.name(), 100 * p.probability());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
