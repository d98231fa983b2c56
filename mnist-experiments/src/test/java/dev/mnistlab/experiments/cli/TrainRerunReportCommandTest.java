package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")  // real trainings or child JVMs: left out by -DexcludedGroups=slow
class TrainRerunReportCommandTest {

  @TempDir static Path dir;
  static CliRun train;
  static Path out;
  static Path store;

  @BeforeAll
  static void trainATinyModel() {
    out = dir.resolve("train-out");
    store = dir.resolve("runs.db");
    train = CliRun.of("train", "--model", "mlp", "--epochs", "2", "--batch-size", "100",
        "--learning-rate", "0.002", "--data-dir", TestPaths.mnist10k().toString(),
        "--train-subset", "800", "--validation-size", "200", "--out", out.toString(),
        "--store", store.toString());
  }

  @Test
  void trainPrintsOneLinePerEpochThenTestMetricsAndSavesTheModel() {
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(train.out())
        .containsPattern("epoch 1/2 +loss \\d\\.\\d{4} +val_loss \\d\\.\\d{4} +val_acc 0\\.\\d{4}")
        .containsPattern("epoch 2/2 ")
        .containsPattern("test_accuracy +0\\.\\d{4}")
        .contains("model          " + out.resolve(TrainCommand.MODEL_FILE));
    assertThat(out.resolve(TrainCommand.MODEL_FILE)).isNotEmptyFile();
  }

  @Test
  void trainRejectsBothDataDirAndDataset() {
    CliRun run = CliRun.of("train", "--model", "mlp", "--data-dir", "x", "--dataset", "mnist",
        "--out", dir.resolve("o").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("mutually exclusive");
  }

  @Test
  void rerunReproducesTheRecordedTrialWithItsParametersAndSeed() throws Exception {
    TrialRecord original = ResultsFiles.read(out).trials().get(0);
    Path rerunOut = dir.resolve("rerun-out");
    CliRun rerun = CliRun.of("rerun", original.runId(), "--store", store.toString(),
        "--out", rerunOut.toString());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.out()).contains("original  run " + original.runId())
        .containsPattern("rerun     run \\w+  val_accuracy 0\\.\\d{4}");
    TrialRecord again = ResultsFiles.read(rerunOut).trials().get(0);
    assertThat(again.parameters()).isEqualTo(original.parameters());
    assertThat(again.metric().getAsDouble()).isCloseTo(original.metric().getAsDouble(), within(0.05));
    try (LocalStore local = LocalStore.open(store.toString())) {
      assertThat(local.config(again.runId())).containsEntry("seed", 42L).containsEntry("model", "mlp");
      // train and rerun both ran the trial runner, which records the spec it ran; the rerun's is
      // the original's but for the sweep it belongs to
      TrialSpec trained = RunRecordCodec.read(local.provenance(original.runId()).orElseThrow())
          .spec().orElseThrow();
      TrialSpec rerunSpec = RunRecordCodec.read(local.provenance(again.runId()).orElseThrow())
          .spec().orElseThrow();
      assertThat(trained.model()).isEqualTo("mlp");
      assertThat(trained.epochs()).isEqualTo(2);
      assertThat(trained.batchSize()).isEqualTo(100);
      assertThat(trained.learningRate()).hasValue(0.002);
      assertThat(trained.data().dataDir()).contains(TestPaths.mnist10k());
      assertThat(trained.data().trainSubset()).hasValue(800);
      assertThat(trained.membership().orElseThrow().sweep()).isEqualTo("train-mlp");
      assertThat(rerunSpec.membership().orElseThrow().sweep()).isEqualTo("train-mlp-rerun");
      assertThat(rerunSpec.toBuilder().membership(trained.membership().orElseThrow()).build())
          .isEqualTo(trained);
    }
  }

  @Test
  void rerunOfAnUnknownRunIsAUserError() {
    CliRun run = CliRun.of("rerun", "nosuchrun", "--store", store.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no run with id 'nosuchrun'");
  }

  @Test
  void reportRebuildsThePageFromTheOutputFolder() throws Exception {
    Path report = out.resolve(SweepReport.FILE_NAME);
    Files.delete(report);
    CliRun run = CliRun.of("report", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip()).isEqualTo(report.toString());
    assertThat(Files.readString(report)).contains("id=\"confusion\"").contains("train-mlp");
  }

  @Test
  void predictClassifiesAnIdxFileAndReportsAccuracyAgainstTheLabelsBesideIt() {
    Path images = TestPaths.mnist10k().resolve("t10k-images-idx3-ubyte.gz");
    CliRun run = CliRun.of("predict", out.resolve(TrainCommand.MODEL_FILE).toString(),
        images.toString(), "--show", "3");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("2000 image(s) classified by mlp")
        .containsPattern("accuracy 0\\.\\d{4} \\(against the labels file beside it\\)");
    String accuracy = run.out().replaceAll("(?s).*accuracy (0\\.\\d{4}).*", "$1");
    assertThat(Double.parseDouble(accuracy)).isGreaterThan(0.6);
  }

  @Test
  void predictClassifiesAPngOfADigit() throws Exception {
    var data = dev.mnistlab.data.MnistDataset.load(TestPaths.mnist10k());
    byte[] pixels = data.test().image(0);
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(56, 56, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 56; y++) {
      for (int x = 0; x < 56; x++) {
        int ink = pixels[(y / 2) * 28 + x / 2] & 0xFF;
        int grey = 255 - ink;  // dark ink on white paper, twice the size
        image.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
      }
    }
    Path png = dir.resolve("digit.png");
    javax.imageio.ImageIO.write(image, "png", png.toFile());
    CliRun run = CliRun.of("predict", out.resolve(TrainCommand.MODEL_FILE).toString(),
        png.toString(), "--top", "2");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern(java.util.regex.Pattern.quote(png.toString())
        + ": \\d \\(\\d+\\.\\d%\\)");
    assertThat(run.out().lines().count()).isEqualTo(3);
  }

  @Test
  void predictRejectsAnInputThatIsNotAnImageInOneLine() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a digit");
    CliRun run = CliRun.of("predict", out.resolve(TrainCommand.MODEL_FILE).toString(),
        text.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("notes.txt");
  }

  @Test
  void predictRejectsADamagedModelFileInOneLine() throws Exception {
    Path damaged = dir.resolve("damaged.zip");
    Files.write(damaged, new byte[] {'P', 'K', 3, 4, 0, 0});
    CliRun run = CliRun.of("predict", damaged.toString(),
        TestPaths.mnist10k().resolve("t10k-images-idx3-ubyte.gz").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("damaged.zip");
  }

  @Test
  void reportOfAFolderWithoutResultsIsAUserError() {
    CliRun run = CliRun.of("report", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("results.json").contains("mnistlab sweep");
  }

  @Test
  void trainingThatDivergesFailsWithThatReasonInOneLine() {
    // finite but far too large: the weights blow up in the first epoch and the loss is NaN
    CliRun run = train("1e30", "diverged");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("training diverged: loss NaN in epoch 1 of mlp with learning"
        + " rate 1.0E30; try a smaller learning rate");
    assertThat(dir.resolve("diverged").resolve(TrainCommand.MODEL_FILE)).doesNotExist();
    try (LocalStore local = LocalStore.open(dir.resolve("diverged.db").toString())) {
      assertThat(local.runs(dev.mnistlab.tracking.RunQuery.all())).singleElement()
          .satisfies(r -> assertThat(r.state()).isEqualTo(dev.mnistlab.tracking.RunState.FAILED));
    }
  }

  @Test
  void aLearningRateBeyondTheNetworksFloatsFailsInsteadOfFinishingAtChance() {
    // 1e308 is a finite double but infinity in the network's floats: nothing would be learnt
    CliRun run = train("1e308", "beyond-float");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("learning rate 1.0E308 is infinite in the network's float"
        + " numbers");
    assertThat(run.out()).doesNotContain("test_accuracy");
  }

  private static CliRun train(String learningRate, String name) {
    return CliRun.of("train", "--model", "mlp", "--epochs", "3", "--batch-size", "100",
        "--learning-rate", learningRate, "--data-dir", TestPaths.mnist10k().toString(),
        "--train-subset", "400", "--validation-size", "100", "--out",
        dir.resolve(name).toString(), "--store", dir.resolve(name + ".db").toString());
  }

  @Test
  void trainRejectsANonFiniteLearningRateBeforeLoadingAnything() {
    CliRun run = CliRun.of("train", "--model", "mlp", "--learning-rate", "1e999", "--out",
        dir.resolve("inf").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--learning-rate': Infinity"
        + " (expected a finite number > 0)");
    assertThat(dir.resolve("inf")).doesNotExist();
  }

  @Test
  void trainRejectsAnUnknownLearningRateScheduleNamingTheForms() {
    CliRun run = CliRun.of("train", "--model", "mlp", "--lr-schedule", "linear", "--out",
        dir.resolve("linear").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Invalid value for option '--lr-schedule': linear (expected "
        + dev.mnistlab.models.LearningRateSchedule.FORMS + ")");
    assertThat(dir.resolve("linear")).doesNotExist();
  }

  @Test
  void trainRecordsTheScheduleAndAugmentationItWasGivenAndRerunRepeatsThem() throws Exception {
    Path out = dir.resolve("scheduled");
    String store = dir.resolve("scheduled.db").toString();
    CliRun run = CliRun.of("train", "--model", "mlp", "--epochs", "2", "--batch-size", "100",
        "--lr-schedule", "step:1:0.5", "--augment", "--train-subset", "300",
        "--validation-size", "100", "--data-dir", TestPaths.mnist10k().toString(),
        "--out", out.toString(), "--store", store);
    assertThat(run.exitCode()).as(run.err()).isZero();
    String runId = ResultsFiles.read(out).trials().get(0).runId();
    try (LocalStore s = LocalStore.open(store)) {
      assertThat(s.config(runId)).containsEntry("lr_schedule", "step:1:0.5")
          .containsEntry("augment", true);
      assertThat(s.metric(runId, "learning_rate")).extracting(MetricPoint::value)
          .containsExactly(1e-3, 5e-4);
    }
    CliRun again = CliRun.of("rerun", runId, "--store", store, "--out",
        dir.resolve("again").toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    String rerunId = ResultsFiles.read(dir.resolve("again")).trials().get(0).runId();
    try (LocalStore s = LocalStore.open(store)) {
      assertThat(s.config(rerunId)).containsEntry("lr_schedule", "step:1:0.5")
          .containsEntry("augment", true);
    }
  }

  @Test
  void rerunWithNoFlagsFindsTheFolderASweepTrialWasTrainedFromAndNamesItWhenItIsGone()
      throws Exception {
    // a copy of the data under another name, given only on the command line (not in the config)
    Path copy = dir.resolve("my-mnist");
    Files.createDirectories(copy);
    try (var files = Files.list(TestPaths.mnist10k())) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path config = dir.resolve("from-folder.json");
    Files.writeString(config, """
        {"sweep": {"name": "from-folder", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 1}}},
         "runner": {"train_subset": 400, "validation_size": 100, "tracking": {"wandb": "disabled"}}}
        """);
    Path sweepStore = dir.resolve("from-folder.db");
    CliRun sweep = CliRun.of("sweep", config.toString(), "--data-dir", copy.toString(), "--out",
        dir.resolve("from-folder").toString(), "--store", sweepStore.toString());
    assertThat(sweep.exitCode()).as(sweep.err()).isZero();
    TrialRecord original = ResultsFiles.read(dir.resolve("from-folder")).trials().get(0);

    CliRun rerun = CliRun.of("rerun", original.runId(), "--store", sweepStore.toString(),
        "--out", dir.resolve("from-folder-rerun").toString());
    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.out()).contains("identical").doesNotContain("warning");

    try (var files = Files.list(copy)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(copy);
    CliRun gone = CliRun.of("rerun", original.runId(), "--store", sweepStore.toString(),
        "--out", dir.resolve("from-folder-gone").toString());
    assertThat(gone.exitCode()).isEqualTo(2);
    assertThat(gone.errLines()).hasSize(1);
    assertThat(gone.err()).contains("the trial's data folder " + copy + " is gone")
        .contains("t10k-labels-idx1-ubyte=")
        .contains("pass --data-dir DIR");
    assertThat(dir.resolve("from-folder-gone").resolve("results.json")).doesNotExist();
  }
}
