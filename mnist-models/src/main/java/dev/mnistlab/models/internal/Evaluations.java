package dev.mnistlab.models.internal;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One inference pass over a data set giving both DL4J's {@link Evaluation} and the mean
 * cross-entropy, so nothing is evaluated twice.
 */
public final class Evaluations {

  /** Probabilities are clipped here before the logarithm, as Keras does. */
  private static final double EPSILON = 1e-7;

  private Evaluations() {}

  /** Result of one pass. */
  public record Outcome(Evaluation evaluation, double loss, long examples) {}

  /** Evaluates the network on every batch of {@code data} (reset first when supported). */
  public static Outcome evaluate(MultiLayerNetwork network, DataSetIterator data, List<String> classNames) {
    if (data.resetSupported()) {
      data.reset();
    }
    Evaluation evaluation =
        classNames == null || classNames.isEmpty() ? new Evaluation() : new Evaluation(classNames);
    LossMCXENT loss = new LossMCXENT();
    ActivationIdentity identity = new ActivationIdentity();
    double lossSum = 0;
    long examples = 0;
    while (data.hasNext()) {
      DataSet batch = data.next();
      INDArray probabilities = network.output(batch.getFeatures(), false);
      evaluation.eval(batch.getLabels(), probabilities);
      INDArray clipped = Transforms.max(probabilities, EPSILON, true);
      lossSum += loss.computeScore(batch.getLabels(), clipped, identity, null, false);
      examples += batch.numExamples();
    }
    return new Outcome(evaluation, examples == 0 ? Double.NaN : lossSum / examples, examples);
  }
}
