package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tracker#run}: the run ends by what its body did, without a catch to remember. */
class TrackerRunTest {
  @TempDir Path dir;
  LocalStore store;
  Tracker tracker;

  @BeforeEach
  void setUp() {
    store = LocalStore.open(dir.resolve("runs.db"));
    tracker = Tracker.builder().store(store).captureProvenance(false).shutdownHook(false).build();
  }

  @AfterEach
  void tearDown() {
    tracker.close();
    store.close();
  }

  @Test
  void aBodyThatReturnsFinishesTheRun() {
    String id = tracker.run(RunSpec.builder().project("p").build(), run -> {
      run.log(Map.of("loss", 0.5));
      return run.id();
    });
    assertThat(store.run(id).orElseThrow().state()).isEqualTo(RunState.FINISHED);
    assertThat(store.history(id)).hasSize(1);
  }

  @Test
  void aBodyThatThrowsFailsTheRunWithItsErrorAndTheErrorReachesTheCaller() {
    AtomicReference<String> id = new AtomicReference<>();
    assertThatThrownBy(() -> tracker.run(RunSpec.builder().project("p").build(), run -> {
      id.set(run.id());
      throw new IOException("disk full while saving the model");
    })).isInstanceOf(IOException.class).hasMessage("disk full while saving the model");
    RunRecord record = store.run(id.get()).orElseThrow();
    assertThat(record.state()).isEqualTo(RunState.FAILED);
    assertThat(record.error()).get().asString().contains("disk full while saving the model");
  }

  @Test
  void aBodyThatEndsTheRunItselfKeepsThatEnd() {
    String id = tracker.run(RunSpec.builder().project("p").build(), run -> {
      run.finish(RunState.INTERRUPTED, 130);
      return run.id();
    });
    assertThat(store.run(id).orElseThrow().state()).isEqualTo(RunState.INTERRUPTED);
  }
}
