package dev.mnistlab.models;

import dev.mnistlab.data.ImageLayout;
import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataSetIterator;
import dev.mnistlab.models.internal.Evaluations;
import dev.mnistlab.models.internal.ShiftRotateAugmenter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a DL4J network for a number of epochs, evaluating once per epoch on the validation split
 * (DL4J {@link Evaluation} plus loss), with an optional learning-rate schedule, early stopping and
 * augmentation, and a final test evaluation. Immutable and reusable; build with {@link #builder()}.
 *
 * <p>Two entry points:
 *
 * <ul>
 *   <li>{@link #fit(ZooModel, Hyperparameters, LabeledImages, LabeledImages, LabeledImages)} — one
 *       call from images to a trained zoo model (builds the network and the iterators);
 *   <li>{@link #train(MultiLayerNetwork, DataSetIterator, DataSetIterator, DataSetIterator)} — any
 *       DL4J network on any iterators.
 * </ul>
 *
 * <p>Deterministic: for the same network seed, data order and settings, two runs give identical
 * weights and losses (ND4J's global random generator, used by dropout, is seeded from the network's
 * seed at the start).
 *
 * <p>Lean by design: the loop calls {@code fit} per batch and reads the score DL4J computed anyway;
 * it evaluates only once per epoch. DL4J {@link TrainingListener}s passed to the builder are added
 * to the network and get {@code onEpochStart}/{@code onEpochEnd} as with {@code fit(iterator)};
 * listeners that compute extra things every iteration slow training down.
 *
 * <p>Callers stop training cleanly with {@link Builder#stopWhen(Predicate)} (a sweep's hyperband,
 * Ctrl-C): training ends after the epoch the condition answered true for, the test evaluation still
 * runs, and {@link TrainingResult#stopRequested()} says so.
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final int epochs;
  private final int batchSize;
  private final int earlyStoppingPatience;
  private final LearningRateSchedule schedule;
  private final List<EpochListener> epochListeners;
  private final List<ProgressListener> progressListeners;
  private final List<TrainingListener> trainingListeners;
  private final List<Predicate<EpochResult>> stopConditions;
  private final List<BooleanSupplier> stopSignals;
  private final int trainAccuracySample;
  private final List<String> classNames;
  private final Boolean augment;

  private Trainer(Builder b) {
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.earlyStoppingPatience = b.earlyStoppingPatience;
    this.schedule = b.schedule;
    this.epochListeners = List.copyOf(b.epochListeners);
    this.progressListeners = List.copyOf(b.progressListeners);
    this.trainingListeners = List.copyOf(b.trainingListeners);
    this.stopConditions = List.copyOf(b.stopConditions);
    this.stopSignals = List.copyOf(b.stopSignals);
    this.trainAccuracySample = b.trainAccuracySample;
    this.classNames = b.classNames == null ? List.of() : List.copyOf(b.classNames);
    this.augment = b.augment;
  }

  /**
   * A builder with 10 epochs, batch size 64 and no early stopping; the learning-rate schedule is
   * the hyperparameters' in {@link #fit} and constant in {@link #train} unless set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with the recipe's epochs and batch size; {@link #fit} with the recipe's
   * hyperparameters then trains exactly as the recipe says (schedule and augmentation included).
   */
  public static Builder builder(TrainingRecipe recipe) {
    return new Builder().epochs(recipe.epochs()).batchSize(recipe.batchSize());
  }

  /** Configured number of epochs. */
  public int epochs() {
    return epochs;
  }

  /** Configured batch size (used by {@link #fit}). */
  public int batchSize() {
    return batchSize;
  }

  /** The learning-rate schedule set on the builder, if any (else the hyperparameters' applies). */
  public Optional<LearningRateSchedule> schedule() {
    return Optional.ofNullable(schedule);
  }

  /**
   * Builds the zoo model with {@code hyperparameters} and trains it on {@code train}, evaluating on
   * {@code validation} every epoch and on {@code test} (may be null) at the end. Batches are
   * shuffled per epoch with the hyperparameters' seed and prefetched on a background thread;
   * augmentation and the learning-rate schedule follow {@link Hyperparameters#augment()} and
   * {@link Hyperparameters#lrSchedule()} unless the builder overrides them.
   */
  public TrainingResult fit(
      ZooModel model,
      Hyperparameters hyperparameters,
      LabeledImages train,
      LabeledImages validation,
      LabeledImages test) {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    MultiLayerNetwork network = model.build(hyperparameters);
    long seed = hyperparameters.seed();
    MnistDataSetIterator.Builder trainBuilder =
        MnistDataSetIterator.builder(train)
            .batchSize(batchSize)
            .layout(ImageLayout.NCHW)
            .shuffle(seed)
            .prefetch(2);
    int batchesPerEpoch = trainBuilder.buildSynchronous().batchesPerEpoch();
    DataSetIterator trainIterator = trainBuilder.build();
    DataSetIterator validationIterator = evaluationIterator(validation);
    DataSetIterator testIterator = test == null ? null : evaluationIterator(test);
    DataSetIterator sampleIterator = null;
    if (trainAccuracySample > 0) {
      sampleIterator = evaluationIterator(sample(train, trainAccuracySample, seed));
    }
    boolean useAugmentation = augment != null ? augment : hyperparameters.augment();
    return run(
        network,
        trainIterator,
        batchesPerEpoch,
        validationIterator,
        testIterator,
        sampleIterator,
        useAugmentation,
        schedule != null ? schedule : hyperparameters.lrSchedule());
  }

  /**
   * Trains {@code network} (prepared with {@link Dl4jRuntime#prepare}) on {@code train}, evaluating
   * on {@code validation} every epoch and on {@code test} (may be null) at the end. The iterators
   * must give NCHW features and one-hot labels; {@code train} is reset at the start of each epoch.
   * Augmentation applies only if the builder switched it on.
   */
  public TrainingResult train(
      MultiLayerNetwork network,
      DataSetIterator train,
      DataSetIterator validation,
      DataSetIterator test) {
    int batchesPerEpoch =
        train instanceof MnistDataSetIterator ? ((MnistDataSetIterator) train).batchesPerEpoch() : -1;
    return run(network, train, batchesPerEpoch, validation, test, null, Boolean.TRUE.equals(augment),
        schedule != null ? schedule : LearningRateSchedule.constant());
  }

  private DataSetIterator evaluationIterator(LabeledImages images) {
    return MnistDataSetIterator.builder(images)
        .batchSize(Math.max(batchSize, 256))
        .layout(ImageLayout.NCHW)
        .noShuffle()
        .buildSynchronous();
  }

  private static LabeledImages sample(LabeledImages images, int size, long seed) {
    if (images.count() <= size) {
      return images;
    }
    int[] indices = new int[images.count()];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(indices.length - i);
      int t = indices[i];
      indices[i] = indices[j];
      indices[j] = t;
    }
    int[] chosen = new int[size];
    System.arraycopy(indices, 0, chosen, 0, size);
    java.util.Arrays.sort(chosen);
    return images.subset(chosen);
  }

  private TrainingResult run(
      MultiLayerNetwork network,
      DataSetIterator train,
      int batchesPerEpoch,
      DataSetIterator validation,
      DataSetIterator test,
      DataSetIterator trainSample,
      boolean useAugmentation,
      LearningRateSchedule schedule) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Dl4jRuntime.prepare(network);
    long seed = network.getLayerWiseConfigurations().getConf(0).getSeed();
    Nd4j.getRandom().setSeed(seed);
    if (!trainingListeners.isEmpty()) {
      network.addListeners(trainingListeners.toArray(new TrainingListener[0]));
    }
    double initialRate = currentLearningRate(network);
    ShiftRotateAugmenter augmenter = useAugmentation ? new ShiftRotateAugmenter(10, 2) : null;
    List<EpochResult> results = new ArrayList<>();
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    INDArray bestParams = null;
    boolean stoppedEarly = false;
    boolean stopRequested = false;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      double rate = schedule.rate(epoch, epochs, initialRate);
      if (!schedule.isConstant()) {
        network.setLearningRate(rate);
      }
      if (augmenter != null) {
        augmenter.startEpoch(seed, epoch);
      }
      Collection<TrainingListener> listeners = network.getListeners();
      for (TrainingListener l : listeners) {
        l.onEpochStart(network);
      }
      if (train.resetSupported()) {
        train.reset();
      }
      long start = System.nanoTime();
      double lossSum = 0;
      long images = 0;
      int batch = 0;
      boolean signalled = false;
      while (train.hasNext() && !signalled) {
        DataSet data = train.next();
        if (augmenter != null) {
          data = augmenter.apply(data);
        }
        network.fit(data);
        double loss = network.score();
        batch++;
        lossSum += loss;
        images += data.numExamples();
        for (ProgressListener p : progressListeners) {
          p.onBatch(epoch, batch, batchesPerEpoch, loss);
        }
        signalled = stopSignalled();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (TrainingListener l : listeners) {
        l.onEpochEnd(network);
      }
      network.incrementEpochCount();
      if (batch == 0) {
        throw new IllegalArgumentException("the training iterator gave no batches in epoch " + epoch);
      }
      if (!Double.isFinite(lossSum)) {
        // the network's outputs are no longer numbers: evaluating them would only fail obscurely
        throw new TrainingDivergedException(epoch, lossSum / batch);
      }

      long evalStart = System.nanoTime();
      Evaluations.Outcome val = Evaluations.evaluate(network, validation, classNames);
      double trainAccuracy = Double.NaN;
      if (trainSample != null) {
        trainAccuracy = Evaluations.evaluate(network, trainSample, classNames).evaluation().accuracy();
      }
      double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
      Evaluation e = val.evaluation();
      EpochResult result =
          new EpochResult(
              epoch,
              lossSum / batch,
              trainAccuracy,
              val.loss(),
              e.accuracy(),
              e.precision(),
              e.recall(),
              e.f1(),
              rate,
              seconds,
              images / seconds,
              evalSeconds,
              e);
      results.add(result);
      LOG.debug(
          "epoch {}: loss {} val_loss {} val_acc {} ({} s, {} img/s)",
          epoch,
          result.trainLoss(),
          result.validationLoss(),
          result.validationAccuracy(),
          seconds,
          result.imagesPerSecond());
      for (EpochListener l : epochListeners) {
        l.onEpoch(result);
      }
      boolean stop = false;
      for (Predicate<EpochResult> condition : stopConditions) {
        stop |= condition.test(result); // every condition sees every epoch
      }
      boolean patienceExhausted = false;
      if (val.loss() < bestLoss) {
        bestLoss = val.loss();
        bestEpoch = epoch;
        if (earlyStoppingPatience > 0) {
          bestParams = network.params().dup();
        }
      } else if (earlyStoppingPatience > 0 && epoch - bestEpoch >= earlyStoppingPatience) {
        patienceExhausted = true;
      }
      if (signalled && (train.hasNext() || epoch < epochs)) {
        LOG.debug("stop signalled after batch {} of epoch {}", batch, epoch);
        stopRequested = true;
        break;
      }
      if (stop && epoch < epochs) {
        LOG.debug("stop requested after epoch {} of {}", epoch, epochs);
        stopRequested = true;
        break;
      }
      if (patienceExhausted) {
        stoppedEarly = epoch < epochs;
        break;
      }
    }
    if (bestParams != null && bestEpoch != results.size()) {
      LOG.debug("restoring the weights of epoch {} (lowest validation loss)", bestEpoch);
      network.setParams(bestParams);
    }
    if (bestEpoch == 0) {
      bestEpoch = results.size(); // validation loss was NaN throughout
    }
    Optional<Evaluation> testEvaluation = Optional.empty();
    double testLoss = Double.NaN;
    if (test != null) {
      Evaluations.Outcome t = Evaluations.evaluate(network, test, classNames);
      testEvaluation = Optional.of(t.evaluation());
      testLoss = t.loss();
    }
    return new TrainingResult(
        results, bestEpoch, stoppedEarly, stopRequested, testEvaluation, testLoss, network);
  }

  private static double currentLearningRate(MultiLayerNetwork network) {
    for (int i = 0; i < network.getnLayers(); i++) {
      Double rate = network.getLearningRate(i);
      if (rate != null && !rate.isNaN()) {
        return rate;
      }
    }
    return Double.NaN;
  }

  private boolean stopSignalled() {
    for (BooleanSupplier signal : stopSignals) {
      if (signal.getAsBoolean()) {
        return true;
      }
    }
    return false;
  }

  /** Builder of {@link Trainer}. */
  public static final class Builder {
    private int epochs = 10;
    private int batchSize = 64;
    private int earlyStoppingPatience = 0;
    private LearningRateSchedule schedule;
    private final List<EpochListener> epochListeners = new ArrayList<>();
    private final List<ProgressListener> progressListeners = new ArrayList<>();
    private final List<TrainingListener> trainingListeners = new ArrayList<>();
    private final List<Predicate<EpochResult>> stopConditions = new ArrayList<>();
    private final List<BooleanSupplier> stopSignals = new ArrayList<>();
    private int trainAccuracySample = 2000;
    private List<String> classNames;
    private Boolean augment;

    private Builder() {}

    /** Number of epochs, &ge; 1. */
    public Builder epochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** Batch size for {@link Trainer#fit}, &ge; 1. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Stops when the validation loss has not improved for {@code patience} epochs, and restores the
     * weights of the best epoch; 0 (the default) disables it.
     */
    public Builder earlyStopping(int patience) {
      if (patience < 0) {
        throw new IllegalArgumentException("patience must be >= 0, was " + patience);
      }
      this.earlyStoppingPatience = patience;
      return this;
    }

    /**
     * Overrides the learning rate per epoch (default: {@link Hyperparameters#lrSchedule()} in
     * {@link Trainer#fit}, constant in {@link Trainer#train}).
     */
    public Builder learningRateSchedule(LearningRateSchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** Adds a per-epoch callback. */
    public Builder listener(EpochListener listener) {
      epochListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Adds a stop condition: after each epoch's validation evaluation (and after the {@link
     * EpochListener}s), the trainer asks every condition, on the training thread; when any
     * answers true, training ends after that epoch. The test evaluation still runs, early
     * stopping's best weights are still restored, and {@link TrainingResult#stopRequested()} is
     * true (unless it was the last configured epoch anyway). This is the clean way for a caller
     * to stop training (a sweep's hyperband, Ctrl-C), instead of throwing from a listener. The
     * condition may also just read a flag another thread sets; it is then honoured at the next
     * epoch boundary.
     */
    public Builder stopWhen(Predicate<EpochResult> condition) {
      stopConditions.add(Objects.requireNonNull(condition, "condition"));
      return this;
    }

    /**
     * Adds a stop signal, asked after every batch on the training thread: when it answers true,
     * the epoch ends at that batch boundary (its metrics cover the batches trained, and validation
     * still runs), training ends there and the test evaluation runs as for {@link #stopWhen}. For
     * requests that arrive from elsewhere at any time — W&amp;B's Stop button, Ctrl-C — so a long
     * epoch does not have to run to its end. The supplier must be cheap (a volatile read).
     */
    public Builder stopSignal(BooleanSupplier signal) {
      stopSignals.add(Objects.requireNonNull(signal, "signal"));
      return this;
    }

    /** Adds a per-batch progress callback. */
    public Builder progress(ProgressListener listener) {
      progressListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Adds DL4J training listeners (e.g. the tracking module's) to the network being trained. */
    public Builder trainingListener(TrainingListener... listeners) {
      for (TrainingListener l : listeners) {
        trainingListeners.add(Objects.requireNonNull(l, "listener"));
      }
      return this;
    }

    /**
     * How many training images {@link Trainer#fit} evaluates after each epoch for {@link
     * EpochResult#trainAccuracy()} (default 2000; 0 turns it off and reports {@code NaN}).
     */
    public Builder trainAccuracySample(int images) {
      if (images < 0) {
        throw new IllegalArgumentException("sample size must be >= 0, was " + images);
      }
      this.trainAccuracySample = images;
      return this;
    }

    /** Class names for the evaluations' confusion matrix and per-class statistics. */
    public Builder classNames(List<String> classNames) {
      this.classNames = List.copyOf(classNames);
      return this;
    }

    /**
     * Forces random shift/rotation augmentation on or off; by default {@link Trainer#fit} follows
     * {@link Hyperparameters#augment()} and {@link Trainer#train} does not augment.
     */
    public Builder augment(boolean augment) {
      this.augment = augment;
      return this;
    }

    /** The trainer. */
    public Trainer build() {
      return new Trainer(this);
    }
  }
}
