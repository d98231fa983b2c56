package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.tracking.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void reportOfAFolderWithoutResultsIsAUserError() {
    CliRun run = CliRun.of("report", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("results.json").contains("mnistlab sweep");
  }
}
