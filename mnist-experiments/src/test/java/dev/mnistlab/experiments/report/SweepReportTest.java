package dev.mnistlab.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.runner.ScriptedExecutor;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.Trackers;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Tracker;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {

  @TempDir static Path dir;
  private static SweepResult result;
  private static Path report;

  @BeforeAll
  static void runASweepAndWriteItsReport() throws Exception {
    SweepConfig config = SweepConfig.parse("""
        {"sweep": {"name": "report-test", "method": "grid",
           "metric": {"name": "val_accuracy", "goal": "maximize"},
           "parameters": {"batch_size": {"values": [32, 64, 128]}, "epochs": {"values": [2, 3]},
                          "model": {"value": "cnn-basic"}}},
         "runner": {"train_subset": 1000, "validation_size": 200, "output_dir": "%s",
                    "tracking": {"store": "%s", "wandb": "disabled"}}}
        """.formatted(dir.resolve("out"), dir.resolve("runs.db")), "r.json", "r");
    TrialData data = TrialData.split(MnistDataset.load(TestPaths.mnist10k()), config.runner().data());
    DataSummary.write(data, config.runner().outputDir(), 1);
    try (Tracker tracker = Trackers.open(config.runner().tracking(), Map.of())) {
      result = SweepRunner.builder().config(config).data(data).tracker(tracker)
          .executor(ScriptedExecutor.accuracyBy((t, epoch) ->
              0.9 + 0.01 * epoch - 0.02 * Math.abs(Math.log(t.spec().batchSize() / 64.0))))
          .build().run();
    }
    try (LocalStore store = LocalStore.open(dir.resolve("runs.db").toString())) {
      report = SweepReport.write(result, Optional.of(store));
    }
  }

  @Test
  void pageIsSelfContained() throws Exception {
    String html = Files.readString(report);
    assertThat(html).startsWith("<!DOCTYPE html>");
    // no external resources: every src is an inline data URI, nothing is fetched
    assertThat(html).doesNotContainPattern("src=\"(?!data:)");
    // the only URL is the SVG namespace name, which is an identifier, never fetched
    assertThat(html.replace("'http://www.w3.org/2000/svg'", ""))
        .doesNotContain("http://", "https://").doesNotContain("<link");
  }

  @Test
  void pageHoldsEveryTrialTheChartsTheBestRunAndTheDataPictures() throws Exception {
    String html = Files.readString(report);
    assertThat(html).contains("id=\"results\"").contains("id=\"chart-loss\"")
        .contains("id=\"chart-accuracy\"").contains("id=\"chart-batch-size\"")
        .contains("id=\"chart-epochs\"").contains("id=\"confusion\"")
        .contains("id=\"misclassified\"").contains("id=\"data-samples\"")
        .contains("id=\"chart-labels\"").contains("id=\"data-labels\"");
    for (var trial : result.trials()) {
      assertThat(html).contains(trial.runId());
    }
    // one accuracy line per trial
    String accuracy = html.substring(html.indexOf("id=\"chart-accuracy\""));
    accuracy = accuracy.substring(0, accuracy.indexOf("</svg>"));
    assertThat(accuracy.split("<path ", -1)).hasSize(result.trials().size() + 1);
    // 20 of the 200 recorded predictions are wrong: all shown as misclassified images
    String misclassified = html.substring(html.indexOf("id=\"misclassified\""));
    assertThat(misclassified.split("<figure>", -1)).hasSize(21);
  }

  @Test
  void pageSaysWhatTheModelsRecipeGaveTheTrialsBeyondTheirParameters() throws Exception {
    String html = java.nio.file.Files.readString(report);
    assertThat(html).contains("id=\"recipes\"")
        .contains("<code>cnn-basic</code>: learning_rate 0.001, lr_schedule constant");
  }

  @Test
  void pageListsTheFileAndContentChecksumOfEveryDataFile() throws Exception {
    String html = Files.readString(report);
    MnistDataset mnist10k = MnistDataset.load(TestPaths.mnist10k());
    for (var file : mnist10k.checksums().entrySet()) {
      assertThat(html).contains("<li><code>" + file.getKey() + "</code> file " + file.getValue()
          + ", content " + mnist10k.contentChecksums().get(file.getKey()) + "</li>");
    }
  }

  @Test
  void chromiumRendersTheChartsAfterTheScriptRan() throws Exception {
    String dom = Chromium.run(report, dir, "--dump-dom");
    assertThat(dom).contains("data-rendered=\"true\"");
    String parallel = dom.substring(dom.indexOf("id=\"parallel\""));
    parallel = parallel.substring(0, parallel.indexOf("</svg>"));
    // one polyline per trial plus an axis per varying parameter and the metric
    assertThat(parallel.split("class=\"trial-line\"", -1)).hasSize(result.trials().size() + 1);
    assertThat(parallel.split("class=\"pc-axis\"", -1)).hasSize(3 + 1);
  }

  @Test
  void chromiumScreenshotIsNotBlank() throws Exception {
    Path png = dir.resolve("report.png");
    Files.deleteIfExists(png);
    Chromium.run(report, dir, "--screenshot=" + png, "--window-size=1280,2400",
        "--hide-scrollbars");
    assertThat(png).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    Set<Integer> colours = new HashSet<>();
    long nonWhite = 0;
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (rgb != 0xFFFFFF) {
          nonWhite++;
        }
      }
    }
    assertThat(colours.size()).isGreaterThan(50);
    assertThat(nonWhite).isGreaterThan(10_000);
  }
}
