package dev.mnistlab.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.models.ModelFiles;
import dev.mnistlab.models.SavedModel;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.MetricPoint;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's training sample for real on 1,000 digits of the shared mnist-10k folder. */
class TrainAndTrackTest {
  @TempDir Path out;

  @Test
  void trainsOneEpochRecordsAFinishedRunAndSavesALoadableModel() throws Exception {
    String runId = TrainAndTrack.run(SharedPaths.mnist10k(), out, 1000, 1);

    try (LocalStore store = LocalStore.open(out.resolve("runs.db"))) {
      RunRecord run = store.run(runId).orElseThrow();
      assertThat(run.state()).isEqualTo(RunState.FINISHED);
      assertThat(run.project()).isEqualTo("mnistlab-examples");
      assertThat(store.config(runId)).containsEntry("train_images", 1000L);
      List<MetricPoint> valAccuracy = store.metric(runId, MetricKeys.VAL_ACCURACY);
      assertThat(valAccuracy).hasSize(1);
      // one epoch on 1,000 digits is far above chance (0.1) for a CNN that really trained
      assertThat(valAccuracy.get(0).value()).isBetween(0.5, 1.0);
      assertThat(store.summary(runId))
          .containsKeys(MetricKeys.TEST_ACCURACY, MetricKeys.BEST_VAL_ACCURACY);
    }

    Path modelFile = out.resolve("model.zip");
    assertThat(modelFile).isRegularFile();
    SavedModel saved = ModelFiles.load(modelFile);
    assertThat(saved.metadata().modelName()).isEqualTo("cnn-basic");
    assertThat(saved.metadata().extras()).containsEntry("run_id", runId);
    assertThat(saved.metadata().metrics()).containsKey("val_accuracy");
    assertThat(saved.network().numParams()).isPositive();
  }

  @Test
  void recordsTheRunAsFailedWhenTheModelCannotBeSaved() throws Exception {
    Files.createDirectories(out.resolve("model.zip").resolve("in-the-way"));

    assertThatThrownBy(() -> TrainAndTrack.run(SharedPaths.mnist10k(), out, 200, 1))
        .hasMessageContaining("model.zip");

    try (LocalStore store = LocalStore.open(out.resolve("runs.db"))) {
      RunRecord run = store.runs(RunQuery.all()).get(0);
      assertThat(run.state()).isEqualTo(RunState.FAILED);
      assertThat(run.error()).hasValueSatisfying(e -> assertThat(e).contains("model.zip"));
      assertThat(store.metric(run.id(), MetricKeys.VAL_ACCURACY)).hasSize(1);
    }
  }

  @Test
  void failsNamingTheFolderWhenTheDataIsMissing() {
    Path missing = out.resolve("no-such-data");
    assertThatThrownBy(() -> TrainAndTrack.run(missing, out, 10, 1))
        .hasMessageContaining("no-such-data");
    assertThat(out.resolve("model.zip")).doesNotExist();
  }
}
