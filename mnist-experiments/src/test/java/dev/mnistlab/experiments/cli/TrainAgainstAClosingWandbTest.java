package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.runner.SweepToWandbTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mnistlab train} against a W&amp;B server that closes every connection after answering (as
 * HTTP/1.0 servers and many proxies do) and answers two 500s and two 429s: every history line, the
 * summary and the final {@code complete} are accepted before the command ends.
 */
class TrainAgainstAClosingWandbTest {
  @TempDir Path dir;
  private Map<String, String> savedEnvironment;

  @AfterEach
  void restoreEnvironment() {
    if (savedEnvironment != null) {
      CliEnvironment.replace(savedEnvironment);
    }
  }

  @Test
  void everyLineTheSummaryAndTheFinishAreAcceptedDespiteClosedConnectionsAnd500sAnd429s()
      throws Exception {
    SweepToWandbTest.WandbStandIn wandb = new SweepToWandbTest.WandbStandIn();
    wandb.closeEveryConnection = true;
    wandb.fileStreamFaults.addAll(List.of("500", "429:1", "500", "429:1"));
    CliRun train;
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb);
      server.start();
      savedEnvironment = CliEnvironment.replace(Map.of(
          "WANDB_API_KEY", SweepToWandbTest.KEY,
          "WANDB_BASE_URL", server.url("/").toString().replaceAll("/$", "")));
      train = CliRun.of("train", "--model", "mlp", "--epochs", "2", "--batch-size", "100",
          "--data-dir", TestPaths.mnist10k().toString(), "--train-subset", "800",
          "--validation-size", "200", "--out", dir.resolve("out").toString(),
          "--store", dir.resolve("runs.db").toString());
    }
    assertThat(train.exitCode()).as(train.out() + train.err()).isZero();
    assertThat(wandb.fileStreamFaults).isEmpty(); // the faults were met
    assertThat(train.out() + train.err()).doesNotContain("not yet on W&B");
    int history = 0;
    int epochs = 0;
    boolean summary = false;
    JsonNode last = null;
    for (JsonNode body : wandb.fileStreams) {
      for (JsonNode line : body.path("files").path("wandb-history.jsonl").path("content")) {
        history++;
        if (line.asText().contains("\"epoch\"")) {
          epochs++;
        }
      }
      summary |= body.path("files").has("wandb-summary.json");
      last = body;
    }
    assertThat(epochs).isEqualTo(2);
    assertThat(history).isEqualTo(3); // the two epochs and the trial's media row, each once
    assertThat(summary).isTrue();
    assertThat(last.path("complete").asBoolean()).isTrue();
    assertThat(last.path("exitcode").asInt()).isZero();
  }
}
