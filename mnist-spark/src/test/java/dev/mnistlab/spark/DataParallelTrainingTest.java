package dev.mnistlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.models.ModelFiles;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunState;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DL4J's parameter-averaging training of one network on Spark local[2], tracked like a local run. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DataParallelTrainingTest {
  @TempDir Path dir;

  @Test
  void trainsOneNetworkOnTwoWorkersTrackedPerEpochAndSavedLikeALocalRun() throws Exception {
    String store = dir.resolve("runs.db").toString();
    SweepResult result = SparkSweeps.trainDataParallel("local[2]", 2, 2, store, dir.resolve("out"));

    TrialRecord trial = result.trials().get(0);
    assertThat(trial.status()).isEqualTo(TrialStatus.FINISHED);
    assertThat(trial.history()).hasSize(2).allSatisfy(epoch ->
        assertThat(epoch).containsKeys("loss", "val_loss", "val_accuracy", "val_f1"));
    // it learnt: far above chance (0.1) after two averaged epochs on 1,000 images
    assertThat(trial.testMetrics().get("test_accuracy")).isGreaterThan(0.6);
    try (LocalStore s = LocalStore.open(store)) {
      assertThat(s.run(trial.runId()).orElseThrow().state()).isEqualTo(RunState.FINISHED);
      assertThat(s.run(trial.runId()).orElseThrow().historyLines()).isEqualTo(2);
      assertThat(s.config(trial.runId())).containsEntry("spark_workers", 2L)
          .containsEntry("averaging_frequency", (long) DataParallelTraining.AVERAGING_FREQUENCY);
      assertThat(s.summary(trial.runId())).containsKey("test_accuracy");
      assertThat(s.predictions(trial.runId())).hasSize(2000);
    }
    Path model = dir.resolve("out").resolve(dev.mnistlab.experiments.trial.TrialRunner.MODEL_FILE);
    assertThat(ModelFiles.load(model).metadata().extras()).containsEntry("spark_workers", 2);
  }
}
