package dev.mnistlab.models;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * The outcome of {@link Trainer#train}: every epoch's result, the best epoch, the final test
 * evaluation and the trained network.
 *
 * @param epochs per-epoch results in order
 * @param bestEpoch 1-based epoch with the lowest validation loss
 * @param stoppedEarly whether early stopping (validation-loss patience) ended training before the
 *     configured epochs
 * @param stopRequested whether a {@link Trainer.Builder#stopWhen stop condition} ended training
 *     before the configured epochs (the test evaluation still ran)
 * @param testEvaluation DL4J evaluation on the test split, empty if no test data was given
 * @param testLoss mean cross-entropy on the test split, {@code NaN} if no test data was given
 * @param network the trained network (with the best epoch's weights if early stopping restored
 *     them)
 */
public record TrainingResult(
    List<EpochResult> epochs,
    int bestEpoch,
    boolean stoppedEarly,
    boolean stopRequested,
    Optional<Evaluation> testEvaluation,
    double testLoss,
    MultiLayerNetwork network) {

  /** Copies the epoch list. */
  public TrainingResult {
    epochs = List.copyOf(epochs);
  }

  /** A result without a stop request (the components before stop conditions existed). */
  public TrainingResult(
      List<EpochResult> epochs,
      int bestEpoch,
      boolean stoppedEarly,
      Optional<Evaluation> testEvaluation,
      double testLoss,
      MultiLayerNetwork network) {
    this(epochs, bestEpoch, stoppedEarly, false, testEvaluation, testLoss, network);
  }

  /** The last epoch's result. */
  public EpochResult lastEpoch() {
    return epochs.get(epochs.size() - 1);
  }

  /** Test accuracy, {@code NaN} if there was no test data. */
  public double testAccuracy() {
    return testEvaluation.map(Evaluation::accuracy).orElse(Double.NaN);
  }

  /** Total training seconds over all epochs (without evaluation). */
  public double trainingSeconds() {
    return epochs.stream().mapToDouble(EpochResult::seconds).sum();
  }
}
