package dev.mnistlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparkSubmitMainTest {
  @Test
  void aSweepOrTrainWithoutSparkGetsSparkSubmitsMaster() {
    assertThat(SparkSubmitMain.withMaster(new String[] {"sweep", "c.json"}, "yarn"))
        .containsExactly("sweep", "c.json", "--spark", "yarn");
    assertThat(SparkSubmitMain.withMaster(new String[] {"train", "--model", "mlp"},
        "k8s://https://h:6443")).containsExactly("train", "--model", "mlp", "--spark",
        "k8s://https://h:6443");
  }

  @Test
  void anExplicitSparkOptionIsKeptAsGiven() {
    assertThat(SparkSubmitMain.withMaster(new String[] {"sweep", "c.json", "--spark", "local[2]"},
        "yarn")).containsExactly("sweep", "c.json", "--spark", "local[2]");
    assertThat(SparkSubmitMain.withMaster(new String[] {"sweep", "--spark=local[2]", "c.json"},
        "yarn")).containsExactly("sweep", "--spark=local[2]", "c.json");
  }

  @Test
  void otherCommandsAndRunsOutsideSparkSubmitAreUnchanged() {
    assertThat(SparkSubmitMain.withMaster(new String[] {"runs", "list"}, "yarn"))
        .containsExactly("runs", "list");
    assertThat(SparkSubmitMain.withMaster(new String[] {"sweep", "c.json"}, null))
        .containsExactly("sweep", "c.json");
  }
}
