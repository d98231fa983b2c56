package dev.mnistlab.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.tracking.HistoryRow;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the media sample on a DL4J network and 50 real test digits, into a local store. */
class LogMediaTest {
  @TempDir Path out;

  @Test
  void storesTheChartTheMisclassifiedDigitsTheTableAndTheirFilesWithTheRun() throws Exception {
    MnistDataset data = MnistDataset.load(SharedPaths.mnist10k());
    MultiLayerNetwork untrained = ModelZoo.get("mlp").build();
    String runId;
    int wrong;
    try (LocalStore store = LocalStore.open(out.resolve("runs.db"))) {
      try (Tracker tracker = Tracker.builder().store(store).captureProvenance(false)
          .shutdownHook(false).build()) {
        Run run = tracker.start(RunSpec.builder().project("mnistlab-examples").build());
        wrong = LogMedia.log(run, untrained, data.test(), data.classNames(), 50);
        run.close();
        runId = run.id();
      }
      List<HistoryRow> history = store.history(runId);
      assertThat(history).hasSize(1);
      Map<String, Object> row = history.get(0).values();
      assertThat(row).containsKeys("confusion_matrix_table", "predictions");
      assertThat(((Map<?, ?>) row.get("predictions")).get("nrows")).isEqualTo(50L);
      if (wrong > 0) {
        Map<?, ?> images = (Map<?, ?>) row.get("misclassified");
        assertThat(images.get("_type")).isEqualTo("images/separated");
        for (Object name : (List<?>) images.get("filenames")) {
          assertThat(store.file(runId, (String) name)).as((String) name).isPresent();
        }
      }
      String tablePath = (String) ((Map<?, ?>) row.get("predictions")).get("path");
      assertThat(store.file(runId, tablePath)).isPresent();
      assertThat(store.file(runId, "model-summary.txt")).isPresent();
      assertThat(String.join("\n", store.console(runId))).contains("classified 50 test images");
      assertThat(store.config(runId)).containsKey("_wandb");
    }
  }
}
