package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.ExecutionResult;
import dev.mnistlab.experiments.trial.Trial;
import dev.mnistlab.experiments.trial.TrialExecutor;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToDoubleBiFunction;

/**
 * A {@link TrialExecutor} for runner tests: no network is trained; each epoch reports a validation
 * accuracy given by a formula of the trial's parameters and the epoch, so tests know which trial
 * is best. It writes a small "model" file, can fail chosen trials and can run a hook per epoch.
 */
public final class ScriptedExecutor implements TrialExecutor {
  final List<Integer> executed = new CopyOnWriteArrayList<>();
  final AtomicInteger concurrent = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  private final ToDoubleBiFunction<Trial, Integer> accuracy;
  private final java.util.function.Predicate<Trial> fails;
  private final Consumer<Trial> onEpoch;
  private final long epochMillis;

  ScriptedExecutor(ToDoubleBiFunction<Trial, Integer> accuracy,
      java.util.function.Predicate<Trial> fails, Consumer<Trial> onEpoch, long epochMillis) {
    this.accuracy = accuracy;
    this.fails = fails;
    this.onEpoch = onEpoch;
    this.epochMillis = epochMillis;
  }

  /** Reports {@code accuracy(trial, epoch)} as validation accuracy. */
  public static ScriptedExecutor accuracyBy(ToDoubleBiFunction<Trial, Integer> accuracy) {
    return new ScriptedExecutor(accuracy, t -> false, t -> { }, 0);
  }

  ScriptedExecutor failingWhen(java.util.function.Predicate<Trial> condition) {
    return new ScriptedExecutor(accuracy, condition, onEpoch, epochMillis);
  }

  ScriptedExecutor onEpoch(Consumer<Trial> hook) {
    return new ScriptedExecutor(accuracy, fails, hook, epochMillis);
  }

  ScriptedExecutor epochMillis(long millis) {
    return new ScriptedExecutor(accuracy, fails, onEpoch, millis);
  }

  /** Records 200 test "predictions": every 10th is wrong (label + 1). */
  private static void recordPredictions(Trial trial) {
    var test = trial.data().test();
    List<dev.mnistlab.tracking.TestPrediction> predictions = new java.util.ArrayList<>();
    int classes = test.numClasses();
    for (int i = 0; i < Math.min(200, test.count()); i++) {
      int truth = test.label(i);
      int predicted = i % 10 == 0 ? (truth + 1) % classes : truth;
      float[] probabilities = new float[classes];
      probabilities[predicted] = 0.8f;
      probabilities[truth] += 0.2f;
      predictions.add(dev.mnistlab.tracking.TestPrediction.of(i, test.image(i), truth, predicted,
          probabilities));
    }
    trial.run().predictions(predictions);
  }

  @Override
  public ExecutionResult execute(Trial trial) throws Exception {
    executed.add(trial.spec().membership().orElseThrow().index());
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try {
      if (fails.test(trial)) {
        throw new IllegalStateException("scripted failure of trial " + trial.spec().membership().orElseThrow().index());
      }
      int epochs = trial.spec().epochs();
      int trained = 0;
      for (int epoch = 1; epoch <= epochs; epoch++) {
        Thread.sleep(epochMillis);
        trained = epoch;
        double acc = accuracy.applyAsDouble(trial, epoch);
        onEpoch.accept(trial);
        boolean goOn = trial.epochFinished(EpochMetrics.builder(epoch)
            .trainLoss(1 - acc + 0.05).trainAccuracy(acc + 0.01)
            .validationLoss(1 - acc).validationAccuracy(acc)
            .validationMacro(acc, acc, acc).learningRate(0.001).seconds(0.01)
            .imagesPerSecond(1000).build());
        if (!goOn) {
          break;
        }
      }
      recordPredictions(trial);
      Path model = trial.workDir().resolve("model.zip");
      Files.writeString(model, "model of trial " + trial.spec().membership().orElseThrow().index());
      return new ExecutionResult(trained, trained < epochs,
          Map.of("test_accuracy", accuracy.applyAsDouble(trial, trained) - 0.01),
          Optional.of(model));
    } finally {
      concurrent.decrementAndGet();
    }
  }
}
