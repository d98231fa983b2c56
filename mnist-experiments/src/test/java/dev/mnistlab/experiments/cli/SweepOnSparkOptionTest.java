package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark} and {@code runner.spark} without mnist-spark on the class path (this module's
 * tests never have it): a user error saying what is missing and how to get it, before any run is
 * recorded; a malformed master is rejected naming the option or JSON path.
 */
class SweepOnSparkOptionTest {
  @TempDir Path dir;

  private Path config(String runnerExtra) throws Exception {
    Path config = dir.resolve("tiny.json");
    Files.writeString(config, """
        {"sweep": {"name": "tiny", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 1}}},
         "runner": {"train_subset": 500, "validation_size": 100,
                    "tracking": {"store": "%s", "wandb": "disabled"}%s}}
        """.formatted(dir.resolve("runs.db"), runnerExtra));
    return config;
  }

  @Test
  void sparkOptionWithoutTheSparkModuleSaysItIsNotOnTheClassPathAndRecordsNothing()
      throws Exception {
    CliRun run = CliRun.of("sweep", config("").toString(), "--spark", "local[2]", "--data-dir",
        TestPaths.mnist10k().toString(), "--out", dir.resolve("o").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("mnist-spark is not on the class path")
        .contains("-pl mnist-spark -am").doesNotContain("Exception");
    assertThat(dev.mnistlab.tracking.LocalStore.open(dir.resolve("runs.db"))
        .runs(dev.mnistlab.tracking.RunQuery.builder().build())).isEmpty();
  }

  @Test
  void sparkInTheConfigWithoutTheSparkModuleIsTheSameUserError() throws Exception {
    CliRun run = CliRun.of("sweep", config(", \"spark\": \"spark://127.0.0.1:7077\"").toString(),
        "--data-dir", TestPaths.mnist10k().toString(), "--out", dir.resolve("o").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("spark://127.0.0.1:7077")
        .contains("mnist-spark is not on the class path");
  }

  @Test
  void malformedSparkMasterInTheConfigIsRejectedWithItsJsonPath() throws Exception {
    Path config = config(", \"spark\": \"spark:/host\"");
    CliRun run = CliRun.of("sweep", config.toString(), "--dry-run");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("$.runner.spark")
        .contains("a Spark master: local, local[N], spark://host:port").contains("spark:/host");
  }

  @Test
  void malformedSparkOptionIsRejectedNamingTheOption() throws Exception {
    CliRun run = CliRun.of("sweep", config("").toString(), "--spark", "mesos://x", "--dry-run");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--spark").contains("mesos://x")
        .contains("expected a Spark master");
  }

  @Test
  void schemaPatternIsTheOneTheOptionChecks() throws Exception {
    com.fasterxml.jackson.databind.JsonNode schema = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(TestPaths.experiments().resolve("mnistlab-sweep.schema.json").toFile());
    String pattern = schema.at("/definitions/runner/properties/spark/pattern")
        .asText();
    assertThat(pattern).isEqualTo(
        dev.mnistlab.experiments.sweep.RunnerSettings.SPARK_MASTER.pattern());
    for (String ok : new String[] {"local", "local[2]", "local[*]", "local[2,3]",
        "spark://127.0.0.1:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://k:6443"}) {
      assertThat(dev.mnistlab.experiments.sweep.RunnerSettings.SPARK_MASTER.matcher(ok).matches())
          .as(ok).isTrue();
    }
  }
}
