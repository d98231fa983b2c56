package dev.mnistlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.testing.Tmpfs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store faults seen through the command line, on real size-limited and read-only filesystems. */
class StoreFaultCommandTest {
  @TempDir Path dir;

  @Test
  void trainWithTheStoreOnAFullDiskExitsNonZeroAndTheRunIsNotFinished() throws Exception {
    Tmpfs tmpfs = Tmpfs.mount(dir.resolve("small"), "2m");
    assumeTrue(tmpfs != null, "needs root to mount a 2 MB tmpfs (CI runs as root)");
    try (tmpfs) {
      Path store = tmpfs.dir().resolve("s.db");
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
    }
  }

  @Test
  void runsListAndShowReadAStoreOnAReadOnlyMount() throws Exception {
    Tmpfs tmpfs = Tmpfs.mount(dir.resolve("ro"), "8m");
    assumeTrue(tmpfs != null, "needs root to mount a tmpfs (CI runs as root)");
    try (tmpfs) {
      Path store = tmpfs.dir().resolve("runs.db");
      String id;
      try (LocalStore local = LocalStore.open(store.toString());
          Tracker tracker = Tracker.builder().store(local).captureProvenance(false)
              .shutdownHook(false).build();
          Run run = tracker.start(RunSpec.builder().project("mnistlab").name("kept").build())) {
        run.log(Map.of("epoch", 1, "loss", 0.5));
        id = run.id();
      }
      tmpfs.remount(true);
      try {
        CliRun list = CliRun.of("runs", "list", "--store", store.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains(id, "kept", "finished");
        CliRun show = CliRun.of("runs", "show", id, "--store", store.toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("finished");
      } finally {
        tmpfs.remount(false);
      }
    }
  }

  @Test
  void trainWithTheOutputFolderOnAFullDiskIsAUserErrorNamingThePath() throws Exception {
    Tmpfs tmpfs = Tmpfs.mount(dir.resolve("smallout"), "1m");
    assumeTrue(tmpfs != null, "needs root to mount a tmpfs (CI runs as root)");
    try (tmpfs) {
      Path out = tmpfs.dir().resolve("out");
      CliRun train = CliRun.of("train", "--model", "cnn-basic", "--epochs", "1", "--batch-size", "100",
          "--data-dir", TestPaths.mnist10k().toString(), "--train-subset", "300",
          "--validation-size", "100", "--out", out.toString(),
          "--store", dir.resolve("runs.db").toString());
      assertThat(train.exitCode()).as(train.out() + train.err()).isEqualTo(2);
      assertThat(train.err()).contains(out.toString()).doesNotContain("internal error");
    }
  }

  @Test
  void runsShowPrintsTheWholeHistoryAndSaysWhereAGapIs() throws Exception {
    Path store = dir.resolve("gap.db");
    String id;
    try (LocalStore local = LocalStore.open(store.toString());
        Tracker tracker = Tracker.builder().store(local).captureProvenance(false)
            .shutdownHook(false).build();
        Run run = tracker.start(RunSpec.builder().project("mnistlab").build())) {
      for (int epoch = 1; epoch <= 5; epoch++) {
        run.log(Map.of("epoch", epoch, "loss", 1.0 / epoch));
      }
      id = run.id();
    }
    // what an earlier mnistlab left behind when its writer dropped a write: line 2 missing
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
        java.sql.Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM history WHERE line_no = 2");
    }
    CliRun show = CliRun.of("runs", "show", id, "--store", store.toString());
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).containsPattern("(?m)^ +1 ").containsPattern("(?m)^ +2 ")
        .contains("gap: history line 2 missing").containsPattern("(?m)^ +4 ")
        .containsPattern("(?m)^ +5 ");
  }
}
