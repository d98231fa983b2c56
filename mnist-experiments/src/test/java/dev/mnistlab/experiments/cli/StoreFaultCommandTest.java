package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store faults seen through the command line: a non-zero exit, never a run shown finished. */
class StoreFaultCommandTest {
  @TempDir Path dir;

  private static boolean run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void trainWithTheStoreOnAFullDiskExitsNonZeroAndTheRunIsNotFinished() throws Exception {
    Path small = dir.resolve("small");
    small.toFile().mkdirs();
    assumeTrue("root".equals(System.getProperty("user.name"))
        && run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString()),
        "needs root to mount a 2 MB tmpfs (CI runs as root)");
    try {
      Path store = small.resolve("s.db");
      // 2,000 test predictions (784-byte images plus probabilities) do not fit in 2 MB
      CliRun train = CliRun.of("train", "--model", "mlp", "--epochs", "1", "--batch-size", "100",
          "--data-dir", TestPaths.mnist10k().toString(), "--train-subset", "500",
          "--validation-size", "200", "--out", dir.resolve("out").toString(),
          "--store", store.toString());
      assertThat(train.exitCode()).as(train.out() + train.err()).isNotZero();
      assertThat(train.err()).contains(store.toString()).contains("full");
      try (LocalStore local = LocalStore.open(store.toString())) {
        List<RunRecord> runs = local.runs(RunQuery.builder().build());
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).state()).isNotEqualTo(RunState.FINISHED);
      }
    } finally {
      run("umount", "-l", small.toString());
    }
  }
}
