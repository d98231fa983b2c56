package dev.mnistlab.experiments.trial;

import dev.mnistlab.data.DataPictures;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.tracking.ConfusionMatrix;
import dev.mnistlab.tracking.Image;
import dev.mnistlab.tracking.Table;
import dev.mnistlab.tracking.TestPrediction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pictures and tables of a finished trial, made from its test predictions and data in one
 * place for both destinations: the run's history row at the end of the trial (W&amp;B's Media and
 * Tables, PROTOCOL §11.4) and the local HTML report. The confusion matrix as W&amp;B's chart, the
 * misclassified test digits with "true → predicted (p)" captions, the data sample grid, and a
 * predictions table (index, image, true label, predicted label, probability) capped at a row count.
 * Made once per trial, never on the per-batch path.
 */
public final class TrialMedia {
  /** History key of the confusion-matrix chart (its table is {@code confusion_matrix_table}). */
  public static final String CONFUSION_MATRIX = "confusion_matrix";
  /** History key of the misclassified test digits. */
  public static final String MISCLASSIFIED = "misclassified";
  /** History key of the data sample grid. */
  public static final String DATA_SAMPLES = "data_samples";
  /** History key of the predictions table. */
  public static final String PREDICTIONS = "predictions";
  /** Rows of the predictions table unless configured otherwise. */
  public static final int DEFAULT_PREDICTION_ROWS = 1_000;
  /** Misclassified digits shown at most. */
  public static final int MAX_MISCLASSIFIED = 48;
  /** Training images in the data sample grid. */
  public static final int SAMPLE_COUNT = 64;
  /** Screen pixels per image pixel of a digit. */
  static final int DIGIT_SCALE = 2;

  private TrialMedia() {}

  /**
   * The end-of-trial history row: confusion matrix, misclassified digits (if any), the data sample
   * grid and the predictions table of at most {@code predictionRows} rows (none for 0).
   */
  public static Map<String, Object> row(TrialData data, List<TestPrediction> predictions,
      long sampleSeed, int predictionRows) {
    Map<String, Object> row = new LinkedHashMap<>();
    List<String> names = classNames(data.classNames(), predictions);
    if (!predictions.isEmpty()) {
      row.put(CONFUSION_MATRIX, confusionMatrix(names, predictions));
      List<Image> wrong = misclassified(names, predictions, MAX_MISCLASSIFIED);
      if (!wrong.isEmpty()) {
        row.put(MISCLASSIFIED, wrong);
      }
    }
    row.put(DATA_SAMPLES, samples(data, sampleSeed));
    if (!predictions.isEmpty() && predictionRows > 0) {
      row.put(PREDICTIONS, predictionsTable(names, predictions, predictionRows));
    }
    return row;
  }

  /** The class names, extended by numbers when the predictions have more classes. */
  public static List<String> classNames(List<String> classNames, List<TestPrediction> predictions) {
    int classes = classNames.size();
    for (TestPrediction p : predictions) {
      classes = Math.max(classes, Math.max(p.probabilities().length,
          Math.max(p.trueLabel(), p.predictedLabel()) + 1));
    }
    List<String> names = new ArrayList<>(classNames);
    for (int k = names.size(); k < classes; k++) {
      names.add(Integer.toString(k));
    }
    return names;
  }

  /** The confusion matrix of the predictions, titled for W&amp;B's chart. */
  public static ConfusionMatrix confusionMatrix(List<String> names, List<TestPrediction> predictions) {
    return ConfusionMatrix.of(names, predictions).withTitle("Test confusion matrix");
  }

  /** The first {@code max} misclassified test digits, captioned "true → predicted (p)". */
  public static List<Image> misclassified(List<String> names, List<TestPrediction> predictions, int max) {
    List<Image> out = new ArrayList<>();
    for (TestPrediction p : predictions) {
      if (out.size() >= max) {
        break;
      }
      Image digit = p.correct() ? null : digit(p);
      if (digit != null) {
        out.add(digit.withCaption(names.get(p.trueLabel()) + " → " + names.get(p.predictedLabel())
            + probability(p)));
      }
    }
    return out;
  }

  /** Index, image, true label, predicted label and its probability of the first {@code maxRows}. */
  public static Table predictionsTable(List<String> names, List<TestPrediction> predictions, int maxRows) {
    Table.Builder t = Table.builder("index", "image", "true_label", "predicted_label", "probability");
    for (TestPrediction p : predictions.subList(0, Math.min(maxRows, predictions.size()))) {
      float[] probabilities = p.probabilities();
      Object probability = p.predictedLabel() < probabilities.length
          ? (Object) (double) probabilities[p.predictedLabel()] : null;
      t.row(p.imageIndex(), digit(p), names.get(p.trueLabel()),
          names.get(p.predictedLabel()), probability);
    }
    return t.build();
  }

  /** The data sample grid: {@value #SAMPLE_COUNT} random training images with their labels. */
  public static Image samples(TrialData data, long seed) {
    LabeledImages train = data.train();
    return Image.png(DataPictures.sampleGridPng(train, data.classNames(),
        Math.min(SAMPLE_COUNT, train.count()), seed)).withCaption("Random training images with their labels");
  }

  /** The test digit's picture, or null when the prediction holds no square image. */
  private static Image digit(TestPrediction p) {
    byte[] pixels = p.image();
    int side = (int) Math.round(Math.sqrt(pixels.length));
    if (side == 0 || side * side != pixels.length) {
      return null;
    }
    return Image.png(DataPictures.digitPng(pixels, side, side, DIGIT_SCALE));
  }

  private static String probability(TestPrediction p) {
    float[] probabilities = p.probabilities();
    return p.predictedLabel() < probabilities.length
        ? String.format(Locale.ROOT, " (%.2f)", probabilities[p.predictedLabel()]) : "";
  }
}
