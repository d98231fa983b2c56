package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.RemoteMedia;
import dev.mnistlab.tracking.testing.WandbStandIn.RemoteRun;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Images, image lists, tables and W&amp;B's confusion-matrix chart logged in history rows are stored
 * as run files under {@code media/}, referenced from the row as W&amp;B's client does (PROTOCOL
 * §11.4), and uploaded from the store: online at once, offline by {@code sync}, each file once.
 */
class WandbMediaTest extends WandbStoreFixture {
  static Image digit(int shade) {
    BufferedImage b = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
    b.getRaster().setSample(1, 1, 0, shade);
    return Image.of(b);
  }

  static void logMedia(Run run) {
    run.log(Map.of("loss", 0.5));
    run.log(Map.of(
        "sample", digit(10).withCaption("a seven"),
        "misclassified", List.of(digit(20).withCaption("7 → 1 (0.91)"), digit(30)),
        "predictions", Table.builder("index", "image", "true", "predicted", "probability")
            .row(0, digit(40), "7", "1", 0.91).row(1, digit(50), "2", "2", 0.99).build(),
        "confusion_matrix", ConfusionMatrix.of(List.of("a", "b"), new long[][] {{5, 1}, {0, 4}})));
  }

  @Test
  void mediaReachTheStandInAsRunFilesReferencedFromTheHistoryRowWithTheConfusionChartInConfig()
      throws Exception {
    String id;
    try (Tracker t = tracker(settings().build())) {
      Run run = t.start(RunSpec.builder().project("media").build());
      logMedia(run);
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
      id = run.id();
    }
    RemoteRun remote = wandb.run("media", id);
    Map<String, Map<String, Object>> media = RemoteMedia.values(remote);
    assertThat(media).containsOnlyKeys("sample", "misclassified", "predictions", "confusion_matrix_table");

    Map<String, Object> sample = media.get("sample");
    assertThat(sample).containsEntry("_type", "image-file").containsEntry("format", "png")
        .containsEntry("width", 4L).containsEntry("height", 3L).containsEntry("caption", "a seven");
    assertThat((String) sample.get("path")).matches("media/images/sample_1_[0-9a-f]{20}\\.png");

    Map<String, Object> list = media.get("misclassified");
    assertThat(list).containsEntry("_type", "images/separated").containsEntry("count", 2L)
        .containsEntry("captions", List.of("7 → 1 (0.91)", ""));

    Map<String, Object> table = media.get("predictions");
    assertThat(table).containsEntry("_type", "table-file").containsEntry("ncols", 5L)
        .containsEntry("nrows", 2L).containsEntry("log_mode", "IMMUTABLE");
    assertThat((String) table.get("path")).matches("media/table/predictions_1_[0-9a-f]{20}\\.table\\.json");
    Map<String, Object> content = RemoteMedia.table(remote, table);
    assertThat(content.get("columns")).isEqualTo(List.of("index", "image", "true", "predicted", "probability"));
    @SuppressWarnings("unchecked")
    List<Object> firstRow = (List<Object>) ((List<?>) content.get("data")).get(0);
    assertThat(firstRow.get(0)).isEqualTo(0L);
    assertThat(((Map<?, ?>) firstRow.get(1)).get("_type")).isEqualTo("image-file");
    assertThat(firstRow.subList(2, 5)).isEqualTo(List.of("7", "1", 0.91));

    Map<String, Object> matrix = RemoteMedia.table(remote, media.get("confusion_matrix_table"));
    assertThat(matrix.get("columns")).isEqualTo(List.of("Actual", "Predicted", "nPredictions"));
    assertThat(matrix.get("data")).isEqualTo(List.of(List.of("a", "a", 5L), List.of("a", "b", 1L),
        List.of("b", "a", 0L), List.of("b", "b", 4L)));
    @SuppressWarnings("unchecked")
    Map<String, Object> internal = (Map<String, Object>) ((Map<String, Object>) remote.config.get("_wandb")).get("value");
    Map<?, ?> chart = (Map<?, ?>) ((Map<?, ?>) internal.get("visualize")).get("confusion_matrix");
    assertThat(chart.get("panel_type")).isEqualTo("Vega2");
    Map<?, ?> panel = (Map<?, ?>) chart.get("panel_config");
    assertThat(panel.get("panelDefId")).isEqualTo("wandb/confusion_matrix/v1");
    assertThat(panel.get("fieldSettings")).isEqualTo(Map.of("Actual", "Actual", "Predicted", "Predicted",
        "nPredictions", "nPredictions"));
    assertThat(panel.get("transform")).isEqualTo(Map.of("name", "tableWithLeafColNames"));
    // wandb/plot/custom_chart.py: the query selects the summary table "<key>_table"
    assertThat(panel.get("userQuery")).isEqualTo(Map.of("queryFields", List.of(Map.of(
        "name", "runSets",
        "args", List.of(Map.of("name", "runSets", "value", "${runSets}")),
        "fields", List.of(
            Map.of("name", "id", "fields", List.of()),
            Map.of("name", "name", "fields", List.of()),
            Map.of("name", "_defaultColorIndex", "fields", List.of()),
            Map.of("name", "summaryTable", "fields", List.of(), "args",
                List.of(Map.of("name", "tableKey", "value", "confusion_matrix_table"))))))));
    assertThat(panel.get("stringSettings")).isEqualTo(Map.of("title", "Confusion Matrix"));
    // the summary holds the table the chart's query selects
    assertThat(Json.readMap(remote.summary)).containsKey("confusion_matrix_table");

    assertThat(RemoteMedia.violations(remote)).isEmpty();
    assertThat(remote.files.keySet().stream().filter(n -> n.startsWith("media/"))).hasSize(1 + 2 + 2 + 1 + 1);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void anOfflineRunsMediaAreUploadedBySyncExactlyOnce() throws Exception {
    String id;
    try (Tracker t = tracker(settings().mode(WandbMode.OFFLINE).build())) {
      Run run = t.start(RunSpec.builder().project("media").build());
      logMedia(run);
      run.close(Duration.ofSeconds(5));
      id = run.id();
    }
    Syncer syncer = Syncer.builder().store(store).wandb(settings().build()).build();
    assertThat(syncer.syncAll(Duration.ofSeconds(10)).allComplete()).isTrue();
    syncer.syncAll(Duration.ofSeconds(10));
    RemoteRun remote = wandb.run("media", id);
    assertThat(RemoteMedia.values(remote)).containsOnlyKeys("sample", "misclassified", "predictions",
        "confusion_matrix_table");
    assertThat(RemoteMedia.violations(remote)).isEmpty();
    assertThat(remote.fileUploads).allSatisfy((name, puts) -> assertThat(puts).as(name).isEqualTo(1));
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void badMediaAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> Image.png(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PNG");
    assertThatThrownBy(() -> Table.builder("a", "b").row(1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0 has 1 cells: expected 2");
    assertThatThrownBy(() -> Table.builder("a").row(new Object()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'a': unsupported cell type");
    assertThatThrownBy(() -> ConfusionMatrix.of(List.of("a", "b"), new long[][] {{1, 2}}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 rows for 2 class names");
    try (Tracker t = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build()) {
      Run run = t.start(RunSpec.builder().project("media").build());
      assertThatThrownBy(() -> run.summary("picture", digit(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log it with Run.log");
      run.close();
    }
  }
}
