package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.runner.ResultsFiles;
import dev.mnistlab.experiments.runner.SweepRunner;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same sweep started twice at once, in two real processes, trains every trial once. */
@Tag("slow")  // real trainings or child JVMs: left out by -DexcludedGroups=slow
class ConcurrentSweepTest {
  @TempDir Path dir;

  @Test
  void twoProcessesStartedOnTheSameSweepAtOnceTrainEachTrialExactlyOnce() throws Exception {
    Path config = dir.resolve("twice.json");
    Files.writeString(config, """
        {"sweep": {"name": "twice", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 1},
                                  "batch_size": {"values": [50, 64, 100, 128]}}},
         "runner": {"train_subset": 400, "validation_size": 100, "seed": 5,
                    "tracking": {"wandb": "disabled"}}}
        """);
    Path out = dir.resolve("out");
    Path store = dir.resolve("runs.db");
    List<Process> children = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        ProcessBuilder builder = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
            "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "sweep", config.toString(), "--data-dir", TestPaths.mnist10k().toString(),
            "--out", out.toString(), "--store", store.toString()))
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("child-" + i + ".out").toFile())
            .redirectError(dir.resolve("child-" + i + ".err").toFile());
        builder.environment().remove("WANDB_API_KEY");
        children.add(builder.start());
      }
      for (int i = 0; i < 2; i++) {
        assertThat(children.get(i).waitFor(240, TimeUnit.SECONDS)).isTrue();
        assertThat(children.get(i).exitValue())
            .as(Files.readString(dir.resolve("child-" + i + ".err"))).isZero();
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }

    try (LocalStore local = LocalStore.open(store.toString())) {
      List<RunRecord> runs = local.runs(RunQuery.builder().group("twice").build());
      List<Object> trials = runs.stream()
          .map(r -> local.config(r.id()).get(dev.mnistlab.experiments.trial.RunRecordCodec.CONFIG_TRIAL)).toList();
      assertThat(trials).as("one run per trial").containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
      assertThat(runs).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.FINISHED));
    }
    // whichever finished last wrote results with every trial, including the other's
    assertThat(ResultsFiles.read(out).trials()).extracting(TrialRecord::index)
        .containsExactlyInAnyOrder(0, 1, 2, 3);
  }
}
