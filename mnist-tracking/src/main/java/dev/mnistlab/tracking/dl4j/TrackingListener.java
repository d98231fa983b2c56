package dev.mnistlab.tracking.dl4j;

import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Run;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A DL4J {@link TrainingListener} that logs one history step per epoch into a {@link Run}, for any
 * {@link MultiLayerNetwork} or {@link ComputationGraph}: {@code epoch}, {@code loss} (mean training
 * score of the epoch's iterations), {@code learning_rate}, {@code epoch_seconds},
 * {@code images_per_second}, and — only when the matching iterator was given — training
 * {@code accuracy} and {@code val_loss}, {@code val_accuracy}, macro {@code val_precision},
 * {@code val_recall}, {@code val_f1} computed with DL4J's {@link Evaluation}. The summary keeps the
 * best values ({@code best_val_accuracy}, {@code best_val_loss}, {@code best_epoch}); the final
 * values are the summary's latest history values; {@link #recordTest} adds test metrics.
 *
 * <p>Per-iteration work is two field reads ({@code model.score()} returns the score DL4J already
 * computed during fit, {@code batchSize()} the current input's size) and three additions.
 *
 * <p>Callers that evaluate each epoch themselves (the mnistlab trainer) build the listener with
 * {@link Builder#epochsRecordedByCaller()} and call {@link #recordEpoch(EpochMetrics)}: nothing is
 * evaluated twice, and values the caller leaves out are filled from the listener's measurements.
 */
public final class TrackingListener implements TrainingListener {
  private final Run run;
  private final DataSetIterator validation;
  private final DataSetIterator trainingEvaluation;
  private final boolean callerRecordsEpochs;

  private int epochsSeen;
  private long epochStartNanos = -1;
  private double scoreSum;
  private long iterations;
  private long examples;
  private Map<String, Object> measured = Map.of();
  private int measuredEpoch;
  private double bestValAccuracy = Double.NEGATIVE_INFINITY;
  private double bestValLoss = Double.POSITIVE_INFINITY;

  private TrackingListener(Builder b) {
    this.run = b.run;
    this.validation = b.validation;
    this.trainingEvaluation = b.trainingEvaluation;
    this.callerRecordsEpochs = b.callerRecordsEpochs;
    run.defineMetric(MetricKeys.EPOCH, null);
    for (String k : MetricKeys.EPOCH_METRICS) {
      run.defineMetric(k, MetricKeys.EPOCH);
    }
  }

  /** A listener that measures and logs every epoch itself, without evaluation iterators. */
  public static TrackingListener of(Run run) {
    return builder(run).build();
  }

  /** A builder for a listener logging into {@code run}. */
  public static Builder builder(Run run) {
    return new Builder(run);
  }

  @Override
  public void onEpochStart(Model model) {
    epochStartNanos = System.nanoTime();
    scoreSum = 0;
    iterations = 0;
    examples = 0;
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    if (epochStartNanos < 0) {
      onEpochStart(model); // fit(DataSet) calls never announce an epoch
    }
    scoreSum += model.score();
    iterations++;
    examples += model.batchSize();
  }

  @Override
  public void onEpochEnd(Model model) {
    epochsSeen++;
    double seconds = epochStartNanos < 0 ? Double.NaN : (System.nanoTime() - epochStartNanos) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MetricKeys.EPOCH, epochsSeen);
    if (iterations > 0) {
      m.put(MetricKeys.LOSS, scoreSum / iterations);
    }
    if (trainingEvaluation != null) {
      m.put(MetricKeys.ACCURACY, evaluate(model, trainingEvaluation, false).accuracy);
    }
    if (validation != null) {
      Scores v = evaluate(model, validation, true);
      m.put(MetricKeys.VAL_LOSS, v.loss);
      m.put(MetricKeys.VAL_ACCURACY, v.accuracy);
      m.put(MetricKeys.VAL_PRECISION, v.precision);
      m.put(MetricKeys.VAL_RECALL, v.recall);
      m.put(MetricKeys.VAL_F1, v.f1);
    }
    Double lr = learningRate(model);
    if (lr != null) {
      m.put(MetricKeys.LEARNING_RATE, lr);
    }
    m.put(MetricKeys.EPOCH_SECONDS, seconds);
    if (seconds > 0 && examples > 0) {
      m.put(MetricKeys.IMAGES_PER_SECOND, examples / seconds);
    }
    epochStartNanos = -1;
    measured = m;
    measuredEpoch = epochsSeen;
    if (!callerRecordsEpochs) {
      logEpoch(m);
    }
  }

  /**
   * True once W&amp;B asked the run to stop (Stop in the UI, a W&amp;B sweep's early termination).
   * DL4J's {@code fit} cannot be stopped from a listener without an exception, so a training loop
   * that calls {@code fit} per epoch (or per batch) checks this at that boundary, e.g. mnistlab's
   * {@code Trainer.Builder.stopWhen(r -> listener.isStopRequested())}; finishing the run with exit
   * code 0 afterwards records it as stopped.
   */
  public boolean isStopRequested() {
    return run.isStopRequested();
  }

  /**
   * Logs an epoch computed by the caller. Values it lacks are taken from this listener's
   * measurements of the same epoch (when attached to the network), e.g. throughput.
   */
  public synchronized void recordEpoch(EpochMetrics metrics) {
    Objects.requireNonNull(metrics, "metrics");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MetricKeys.EPOCH, metrics.epoch());
    for (String k : MetricKeys.EPOCH_METRICS) {
      if (metrics.get(k).isPresent()) {
        m.put(k, metrics.get(k).getAsDouble());
      } else if (measuredEpoch == metrics.epoch() && measured.containsKey(k)) {
        m.put(k, measured.get(k));
      }
    }
    logEpoch(m);
  }

  private synchronized void logEpoch(Map<String, Object> m) {
    run.log(m);
    Map<String, Object> summary = new LinkedHashMap<>();
    if (m.get(MetricKeys.VAL_ACCURACY) instanceof Double acc && acc > bestValAccuracy) {
      bestValAccuracy = acc;
      summary.put(MetricKeys.BEST_VAL_ACCURACY, acc);
      summary.put(MetricKeys.BEST_EPOCH, m.get(MetricKeys.EPOCH));
    }
    if (m.get(MetricKeys.VAL_LOSS) instanceof Double loss && loss < bestValLoss) {
      bestValLoss = loss;
      summary.put(MetricKeys.BEST_VAL_LOSS, loss);
    }
    if (!summary.isEmpty()) {
      run.summary(summary);
    }
  }

  /** Records test-set results in the summary ({@code test_loss}, {@code test_accuracy}, macro P/R/F1). */
  public void recordTest(double loss, Evaluation evaluation) {
    recordTest(loss, evaluation.accuracy(), evaluation.precision(), evaluation.recall(), evaluation.f1());
  }

  /** Records test-set results computed elsewhere (precision, recall and F1 macro-averaged). */
  public void recordTest(double loss, double accuracy, double precision, double recall, double f1) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put(MetricKeys.TEST_LOSS, loss);
    s.put(MetricKeys.TEST_ACCURACY, accuracy);
    s.put(MetricKeys.TEST_PRECISION, precision);
    s.put(MetricKeys.TEST_RECALL, recall);
    s.put(MetricKeys.TEST_F1, f1);
    run.summary(s);
  }

  /** Evaluates {@code model} on {@code data} with {@link Evaluation}; loss only if asked. */
  private static Scores evaluate(Model model, DataSetIterator data, boolean withLoss) {
    if (data.resetSupported()) {
      data.reset();
    }
    Evaluation eval = new Evaluation();
    double lossSum = 0;
    long n = 0;
    while (data.hasNext()) {
      DataSet ds = data.next();
      INDArray out = output(model, ds.getFeatures());
      eval.eval(ds.getLabels(), out);
      if (withLoss) {
        long b = ds.getFeatures().size(0);
        lossSum += score(model, ds) * b;
        n += b;
      }
    }
    if (data.resetSupported()) {
      data.reset();
    }
    return new Scores(n > 0 ? lossSum / n : Double.NaN, eval.accuracy(), eval.precision(),
        eval.recall(), eval.f1());
  }

  private record Scores(double loss, double accuracy, double precision, double recall, double f1) {}

  private static INDArray output(Model model, INDArray features) {
    if (model instanceof MultiLayerNetwork net) {
      return net.output(features, false);
    }
    if (model instanceof ComputationGraph graph) {
      return graph.outputSingle(false, features);
    }
    throw new IllegalArgumentException("unsupported DL4J model " + model.getClass().getName());
  }

  private static double score(Model model, DataSet ds) {
    if (model instanceof MultiLayerNetwork net) {
      return net.score((org.nd4j.linalg.dataset.DataSet) ds, false);
    }
    return ((ComputationGraph) model).score(ds, false);
  }

  /** The learning rate of the first layer that has one (its updater's current value). */
  static Double learningRate(Model model) {
    if (model instanceof MultiLayerNetwork net) {
      for (int i = 0; i < net.getnLayers(); i++) {
        Double lr = net.getLearningRate(i);
        if (lr != null) {
          return lr;
        }
      }
    } else if (model instanceof ComputationGraph graph) {
      for (Layer l : graph.getLayers()) {
        Double lr = graph.getLearningRate(l.conf().getLayer().getLayerName());
        if (lr != null) {
          return lr;
        }
      }
    }
    return null;
  }

  @Override
  public void onForwardPass(Model model, List<INDArray> activations) {
    // not needed: nothing per forward pass
  }

  @Override
  public void onForwardPass(Model model, Map<String, INDArray> activations) {
    // not needed: nothing per forward pass
  }

  @Override
  public void onGradientCalculation(Model model) {
    // not needed
  }

  @Override
  public void onBackwardPass(Model model) {
    // not needed
  }

  @Override
  public String toString() {
    return "TrackingListener{run=" + run.id() + ", epochs=" + epochsSeen + "}";
  }

  /** Builder for {@link TrackingListener}. */
  public static final class Builder {
    private final Run run;
    private DataSetIterator validation;
    private DataSetIterator trainingEvaluation;
    private boolean callerRecordsEpochs;

    private Builder(Run run) {
      this.run = Objects.requireNonNull(run, "run");
    }

    /** Evaluate this validation iterator after every epoch (loss, accuracy, macro P/R/F1). */
    public Builder validation(DataSetIterator validation) {
      this.validation = validation;
      return this;
    }

    /** Evaluate training accuracy on this iterator after every epoch (costs a forward pass). */
    public Builder trainingEvaluation(DataSetIterator data) {
      this.trainingEvaluation = data;
      return this;
    }

    /** Do not log at epoch end: the caller calls {@link #recordEpoch(EpochMetrics)} instead. */
    public Builder epochsRecordedByCaller() {
      this.callerRecordsEpochs = true;
      return this;
    }

    /** Builds the listener (and declares the epoch metrics on the run). */
    public TrackingListener build() {
      return new TrackingListener(this);
    }
  }
}
