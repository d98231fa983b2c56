package dev.mnistlab.models;

import java.util.Optional;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Predictions for every image of an IDX file, and the evaluation against the labels file beside it
 * when there is one.
 *
 * @param count number of images
 * @param predictedLabels most likely class per image
 * @param confidences probability of the predicted class per image
 * @param evaluation DL4J evaluation against the labels beside the images file, if found
 */
public record IdxPredictions(
    int count, int[] predictedLabels, double[] confidences, Optional<Evaluation> evaluation) {

  /** Copies the arrays. */
  public IdxPredictions {
    predictedLabels = predictedLabels.clone();
    confidences = confidences.clone();
  }

  /** Predicted labels (a copy). */
  @Override
  public int[] predictedLabels() {
    return predictedLabels.clone();
  }

  /** Confidences (a copy). */
  @Override
  public double[] confidences() {
    return confidences.clone();
  }

  /** Accuracy against the labels, if they were found. */
  public Optional<Double> accuracy() {
    return evaluation.map(Evaluation::accuracy);
  }
}
