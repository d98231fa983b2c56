package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.store.StoredLine;
import dev.mnistlab.tracking.testing.KillTarget;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM logging in a loop is killed with SIGKILL; the store and the upload survive it. */
class ProcessKillTest {
  @TempDir Path dir;

  /** Starts the child and kills it (SIGKILL) once {@code until} holds for its flushed count. */
  int runChildAndKill(List<String> args, IntPredicate until) throws Exception {
    return runChildAndStop(args, until, true);
  }

  int runChildAndStop(List<String> args, IntPredicate until, boolean forcibly) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), KillTarget.class.getName()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    AtomicInteger flushed = new AtomicInteger();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while ((line = r.readLine()) != null && System.nanoTime() < deadline) {
        if (line.startsWith("FLUSHED ")) {
          flushed.set(Integer.parseInt(line.substring(8)));
          if (until.test(flushed.get())) {
            break;
          }
        }
      }
      if (forcibly) {
        p.destroyForcibly();
      } else {
        p.destroy(); // SIGTERM: shutdown hooks run
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(flushed.get()).as("child made progress before the kill").isPositive();
    return flushed.get();
  }

  @Test
  void sqliteStoreSurvivesKillMidWriteWithEveryCommittedRow() throws Exception {
    Path db = dir.resolve("kill.db");
    int flushed = runChildAndKill(List.of(db.toString(), "killrun1"), n -> n >= 300);

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
    try (LocalStore store = LocalStore.open(db)) {
      List<HistoryRow> rows = store.history("killrun1");
      assertThat(rows.size()).isGreaterThanOrEqualTo(flushed);
      for (int i = 0; i < rows.size(); i++) {
        assertThat(rows.get(i).line()).isEqualTo(i);
        assertThat(rows.get(i).number("i")).isEqualTo(i);
      }
      assertThat(store.metric("killrun1", "loss")).hasSize(rows.size());
      assertThat(store.run("killrun1").orElseThrow().historyLines()).isEqualTo(rows.size());
      // the child's pid is dead on this host: every reader shows the run crashed at once, and
      // markCrashedRuns records it so
      RunRecord shown = store.run("killrun1").orElseThrow();
      assertThat(shown.state()).isEqualTo(RunState.CRASHED);
      assertThat(shown.exitCode()).hasValue(1);
      assertThat(shown.endTime()).isPresent();
      assertThat(store.runs(RunQuery.builder().state(RunState.CRASHED).build()))
          .extracting(RunRecord::id).containsExactly("killrun1");
      assertThat(store.runs(RunQuery.builder().state(RunState.RUNNING).build())).isEmpty();
      assertThat(store.markCrashedRuns(Duration.ofMinutes(2))).containsExactly("killrun1");
      assertThat(store.run("killrun1").orElseThrow().state()).isEqualTo(RunState.CRASHED);
    }
  }

  @Test
  void terminatedProcessEndsItsOpenRunAsInterruptedWithEveryLoggedStep() throws Exception {
    Path db = dir.resolve("term.db");
    int flushed = runChildAndStop(List.of(db.toString(), "termrun1", "with-shutdown-hook"), n -> n >= 100, false);
    try (LocalStore store = LocalStore.open(db)) {
      RunRecord rec = store.run("termrun1").orElseThrow();
      assertThat(rec.state()).isEqualTo(RunState.INTERRUPTED);
      assertThat(rec.exitCode()).hasValue(130);
      assertThat(rec.historyLines()).isGreaterThanOrEqualTo(flushed);
      assertThat(store.history("termrun1")).hasSize((int) rec.historyLines());
    }
  }

  @Test
  void runKilledWhileStreamingIsFinishedBySyncWithNothingLostOrDuplicated() throws Exception {
    Path db = dir.resolve("stream.db");
    try (WandbStandIn wandb = new WandbStandIn()) {
      runChildAndKill(List.of(db.toString(), "killrun2", wandb.baseUrl()), n -> n >= 150
          && wandb.run("kill", "killrun2") != null && wandb.run("kill", "killrun2").history.size() >= 50);
      int uploadedBeforeKill = wandb.run("kill", "killrun2").history.size();

      try (LocalStore store = LocalStore.open(db)) {
        WandbSettings settings = WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl())
            .retryWaits(Duration.ofMillis(10), Duration.ofMillis(50)).build();
        SyncReport report = Syncer.builder().store(store).wandb(settings).build().syncAll(Duration.ofSeconds(30));

        assertThat(report.allComplete()).as(report.describe()).isTrue();
        RunRecord rec = store.run("killrun2").orElseThrow();
        assertThat(rec.state()).isEqualTo(RunState.CRASHED);
        List<String> stored = store.jdbc().lines("killrun2", 0, Integer.MAX_VALUE, Long.MAX_VALUE)
            .stream().map(StoredLine::line).toList();
        WandbStandIn.RemoteRun remote = wandb.run("kill", "killrun2");
        assertThat(stored.size()).isGreaterThan(uploadedBeforeKill);
        assertThat(remote.history).containsExactlyElementsOf(stored);
        assertThat(remote.complete).isTrue();
        assertThat(remote.exitCode).isEqualTo(1);
        assertThat(wandb.violations()).isEmpty();
      }
    }
  }
}
