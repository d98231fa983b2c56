package dev.mnistlab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.data.LabeledImages;
import dev.mnistlab.data.MnistDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;

class TrainerTest {

  private static LabeledImages first(LabeledImages images, int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    return images.subset(idx);
  }

  @Test
  void oneEpochOfCnnBasicOnMnist10kPassesTheSanityFloor() {
    TrainingResult result = TrainedModel.cnnBasic();

    EpochResult epoch = result.lastEpoch();
    assertThat(result.epochs()).hasSize(1);
    assertThat(epoch.validationAccuracy()).isGreaterThan(0.90);
    assertThat(result.testAccuracy()).isGreaterThan(0.90);
    assertThat(result.testLoss()).isBetween(0.0, 0.4);
    assertThat(epoch.trainLoss()).isBetween(0.0, 1.0);
    assertThat(epoch.trainAccuracy()).isGreaterThan(0.90);
    assertThat(epoch.macroF1()).isGreaterThan(0.88);
    assertThat(epoch.evaluation().getNumRowCounter()).isEqualTo(800);
    assertThat(result.testEvaluation().orElseThrow().getNumRowCounter()).isEqualTo(2000);
    assertThat(epoch.imagesPerSecond()).isPositive();
    assertThat(epoch.learningRate()).isEqualTo(1e-3);
  }

  @Test
  void sameSeedGivesIdenticalWeightsAndLosses() {
    MnistDataset data = TestData.mnist10k();
    LabeledImages train = first(data.train(), 640);
    LabeledImages validation = first(data.test(), 200);
    Trainer trainer = Trainer.builder().epochs(2).batchSize(64).trainAccuracySample(0).build();
    ZooModel model = ModelZoo.get("cnn-dropout"); // dropout exercises ND4J's random generator

    TrainingResult a = trainer.fit(model, model.defaults(), train, validation, null);
    TrainingResult b = trainer.fit(model, model.defaults(), train, validation, null);

    assertThat(b.network().params()).isEqualTo(a.network().params());
    assertThat(b.epochs().get(1).trainLoss()).isEqualTo(a.epochs().get(1).trainLoss());
    assertThat(b.epochs().get(1).validationLoss()).isEqualTo(a.epochs().get(1).validationLoss());
    assertThat(a.testEvaluation()).isEmpty();
    assertThat(a.testLoss()).isNaN();
    assertThat(a.lastEpoch().trainAccuracy()).isNaN();
  }

  @Test
  void callsEpochProgressAndDl4jListenersAndAppliesTheSchedule() {
    MnistDataset data = TestData.mnist10k();
    LabeledImages train = first(data.train(), 320);
    LabeledImages validation = first(data.test(), 100);
    List<EpochResult> epochs = new ArrayList<>();
    List<int[]> batches = new ArrayList<>();
    AtomicInteger iterations = new AtomicInteger();
    AtomicInteger epochEnds = new AtomicInteger();
    Trainer trainer =
        Trainer.builder()
            .epochs(3)
            .batchSize(32)
            .learningRateSchedule(LearningRateSchedule.step(1, 0.5))
            .listener(epochs::add)
            .progress((epoch, batch, total, loss) -> batches.add(new int[] {epoch, batch, total}))
            .trainingListener(
                new BaseTrainingListener() {
                  @Override
                  public void iterationDone(Model model, int iteration, int epoch) {
                    iterations.incrementAndGet();
                  }

                  @Override
                  public void onEpochEnd(Model model) {
                    epochEnds.incrementAndGet();
                  }
                })
            .trainAccuracySample(100)
            .build();

    TrainingResult result = trainer.fit(ModelZoo.get("mlp"), ModelZoo.get("mlp").defaults(), train, validation, null);

    assertThat(epochs).extracting(EpochResult::epoch).containsExactly(1, 2, 3);
    assertThat(epochs).extracting(EpochResult::learningRate).containsExactly(1e-3, 5e-4, 2.5e-4);
    assertThat(result.network().getLearningRate(0)).isEqualTo(2.5e-4);
    assertThat(batches).hasSize(30);
    assertThat(batches.get(9)).containsExactly(1, 10, 10);
    assertThat(batches.get(10)).containsExactly(2, 1, 10);
    assertThat(iterations.get()).isEqualTo(30);
    assertThat(epochEnds.get()).isEqualTo(3);
    assertThat(result.network().getEpochCount()).isEqualTo(3);
    assertThat(epochs.get(2).trainAccuracy()).isBetween(0.0, 1.0);
  }

  @Test
  void aRecipeTrainsWithItsEpochsBatchSizeAndTheHyperparametersSchedule() {
    MnistDataset data = TestData.mnist10k();
    ZooModel mlp = ModelZoo.get("mlp");
    TrainingRecipe recipe = TrainingRecipe.of(mlp.defaults().toBuilder()
        .lrSchedule(LearningRateSchedule.cosine()).build(), 2, 64);
    List<EpochResult> epochs = new ArrayList<>();
    List<Integer> batchTotals = new ArrayList<>();
    Trainer trainer = Trainer.builder(recipe).listener(epochs::add)
        .progress((epoch, batch, total, loss) -> batchTotals.add(total)).build();

    trainer.fit(mlp, recipe.hyperparameters(), first(data.train(), 256), first(data.test(), 64),
        null);

    assertThat(epochs).extracting(EpochResult::learningRate)
        .containsExactly(1e-3, 1e-3 * 0.5 * (1 + Math.cos(Math.PI / 2)));
    assertThat(batchTotals).containsOnly(4); // 256 images at the recipe's 64
  }

  @Test
  void everyZooModelDeclaresItsRecipeAndCnnDeepAnnealsAndAugments() {
    assertThat(ModelZoo.models()).allSatisfy(m -> {
      assertThat(m.recipe().hyperparameters()).isEqualTo(m.defaults());
      assertThat(m.recipe().epochs()).isPositive();
    });
    TrainingRecipe deep = ModelZoo.get("cnn-deep").recipe();
    assertThat(deep.epochs()).isEqualTo(15);
    assertThat(deep.hyperparameters().augment()).isTrue();
    assertThat(deep.hyperparameters().lrSchedule().isConstant()).isFalse();
    // the three-model study's epochs and constant rate
    assertThat(ModelZoo.get("cnn-basic").recipe().epochs()).isEqualTo(5);
    assertThat(ModelZoo.get("cnn-dropout").recipe().epochs()).isEqualTo(10);
    assertThat(ModelZoo.get("cnn-batchnorm").recipe().epochs()).isEqualTo(12);
    assertThat(ModelZoo.get("cnn-batchnorm").defaults().lrSchedule().isConstant()).isTrue();
  }

  @Test
  void earlyStoppingEndsWhenValidationLossStopsImprovingAndRestoresTheBestWeights() {
    MnistDataset data = TestData.mnist10k();
    // 128 training images and a high learning rate: the MLP memorises them and the validation
    // loss starts rising after a few epochs
    Hyperparameters overfit =
        ModelZoo.get("mlp").defaults().toBuilder().learningRate(0.01).dropout(0).build();
    Trainer trainer =
        Trainer.builder().epochs(40).batchSize(64).earlyStopping(2).trainAccuracySample(0).build();

    TrainingResult result =
        trainer.fit(ModelZoo.get("mlp"), overfit, first(data.train(), 128), first(data.test(), 200), first(data.test(), 200));

    assertThat(result.stoppedEarly()).isTrue();
    assertThat(result.epochs().size()).isLessThan(40).isEqualTo(result.bestEpoch() + 2);
    int best = result.bestEpoch();
    double bestLoss = result.epochs().get(best - 1).validationLoss();
    assertThat(result.epochs()).allSatisfy(e -> assertThat(e.validationLoss()).isGreaterThanOrEqualTo(bestLoss));
    // the test split equals the validation split here: restored weights reproduce the best loss
    assertThat(result.testLoss()).isCloseTo(bestLoss, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void aStopRequestAfterTheFirstEpochEndsTrainingThereAndStillEvaluatesTheTestSplit() {
    MnistDataset data = TestData.mnist10k();
    List<Integer> asked = new ArrayList<>();
    Trainer trainer =
        Trainer.builder()
            .epochs(3)
            .batchSize(64)
            .trainAccuracySample(0)
            .stopWhen(
                r -> {
                  asked.add(r.epoch());
                  return r.epoch() == 1;
                })
            .build();

    TrainingResult result =
        trainer.fit(ModelZoo.get("mlp"), ModelZoo.get("mlp").defaults(), first(data.train(), 256), first(data.test(), 200), first(data.test(), 300));

    assertThat(asked).containsExactly(1);
    assertThat(result.epochs()).hasSize(1);
    assertThat(result.stopRequested()).isTrue();
    assertThat(result.stoppedEarly()).isFalse();
    assertThat(result.testEvaluation()).isPresent();
    assertThat(result.testEvaluation().get().getNumRowCounter()).isEqualTo(300);
    assertThat(result.testLoss()).isFinite();
    assertThat(result.network().getEpochCount()).isEqualTo(1);
  }

  @Test
  void aStopSignalEndsTrainingAtTheNextBatchBoundaryAndStillEvaluatesTheTestSplit() {
    MnistDataset data = TestData.mnist10k();
    AtomicInteger batches = new AtomicInteger();
    Trainer trainer =
        Trainer.builder()
            .epochs(3)
            .batchSize(32)
            .trainAccuracySample(0)
            .progress((epoch, batch, total, loss) -> batches.incrementAndGet())
            .stopSignal(() -> batches.get() >= 3) // e.g. W&B's Stop, set by another thread
            .build();

    TrainingResult result =
        trainer.fit(ModelZoo.get("mlp"), ModelZoo.get("mlp").defaults(), first(data.train(), 320), first(data.test(), 100), first(data.test(), 200));

    assertThat(batches.get()).isEqualTo(3); // of the epoch's 10: it did not run to its end
    assertThat(result.epochs()).hasSize(1);
    assertThat(result.epochs().get(0).validationAccuracy()).isBetween(0.0, 1.0);
    assertThat(result.stopRequested()).isTrue();
    assertThat(result.testEvaluation()).isPresent();
    assertThat(result.testEvaluation().get().getNumRowCounter()).isEqualTo(200);
  }

  @Test
  void aStopRequestedAfterTheLastEpochIsNotReportedAsAStop() {
    MnistDataset data = TestData.mnist10k();
    AtomicInteger asked = new AtomicInteger();
    Trainer trainer =
        Trainer.builder()
            .epochs(2)
            .batchSize(64)
            .trainAccuracySample(0)
            .stopWhen(r -> asked.incrementAndGet() == 2) // true only after the last epoch
            .build();

    TrainingResult result =
        trainer.fit(ModelZoo.get("mlp"), ModelZoo.get("mlp").defaults(), first(data.train(), 128), first(data.test(), 100), null);

    assertThat(asked.get()).isEqualTo(2);
    assertThat(result.epochs()).hasSize(2);
    assertThat(result.stopRequested()).isFalse();
    assertThat(result.testEvaluation()).isEmpty();
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(() -> Trainer.builder().epochs(0)).hasMessageContaining("epochs must be >= 1");
    assertThatThrownBy(() -> Trainer.builder().batchSize(0)).hasMessageContaining("batch size");
    assertThatThrownBy(() -> Trainer.builder().earlyStopping(-1)).hasMessageContaining("patience");
  }
}
