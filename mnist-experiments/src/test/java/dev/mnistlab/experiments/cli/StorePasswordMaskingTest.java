package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.report.SweepReport;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep recorded in a real PostgreSQL store whose URL carries a password: the password appears
 * in no output line, results file, report or stored provenance.
 */
class StorePasswordMaskingTest {
  private static final String SECRET = "S3cretPw-17";
  static PostgresServer server;
  static String url;
  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
    // the server trusts local connections, so any password is accepted, as a real one would be
    url = server.createDatabase("masking") + "&password=" + SECRET;
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sweepWithAPasswordInTheStoreUrlNeverPrintsOrStoresThePassword() throws Exception {
    Path config = dir.resolve("masked.json");
    Files.writeString(config, """
        {"sweep": {"name": "masked", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 1},
                                  "batch_size": {"value": 100}}},
         "runner": {"train_subset": 300, "validation_size": 100,
                    "tracking": {"wandb": "disabled", "store": "%s"}}}
        """.formatted(url));
    Path out = dir.resolve("out");
    CliRun sweep = CliRun.of("sweep", config.toString(), "--data-dir",
        TestPaths.mnist10k().toString(), "--out", out.toString(), "--store", url);
    assertThat(sweep.exitCode()).as(sweep.err()).isZero();
    assertThat(sweep.out()).contains("runs      ").contains("password=***")
        .doesNotContain(SECRET);
    assertThat(sweep.err()).doesNotContain(SECRET);
    assertThat(Files.readString(out.resolve(ResultsFiles.JSON))).contains("password=***")
        .doesNotContain(SECRET);
    assertThat(Files.readString(out.resolve(ResultsFiles.CSV))).doesNotContain(SECRET);
    assertThat(Files.readString(out.resolve(SweepReport.FILE_NAME))).doesNotContain(SECRET);

    TrialRecord trial = ResultsFiles.read(out).trials().get(0);
    try (LocalStore store = LocalStore.open(url)) {
      assertThat(store.location()).doesNotContain(SECRET);
      assertThat(store.provenance(trial.runId()).orElseThrow().toJson())
          .contains("password=***").doesNotContain(SECRET);
      assertThat(store.config(trial.runId()).toString()).doesNotContain(SECRET);
    }

    CliRun list = CliRun.of("runs", "list", "--store", url);
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out() + list.err()).contains("password=***").doesNotContain(SECRET);
    CliRun show = CliRun.of("runs", "show", trial.runId(), "--store", url);
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out() + show.err()).doesNotContain(SECRET);
    CliRun missing = CliRun.of("runs", "show", "nosuchrun", "--store", url);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).doesNotContain(SECRET);
  }
}
