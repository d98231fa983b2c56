package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mnistlab.tracking.testing.Tmpfs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real 2 MB tmpfs that fills up: the run fails loudly and is never "finished". */
class StoreFullDiskTest {
  @TempDir Path dir;

  @Test
  void fullDiskFailsTheRunInsteadOfFinishingItWithPartOfItsRows() throws Exception {
    Tmpfs tmpfs = Tmpfs.mount(dir.resolve("small"), "2m");
    assumeTrue(tmpfs != null, "needs root to mount a tmpfs (CI runs as root)");
    try (tmpfs) {
      Path db = tmpfs.dir().resolve("s.db");
      String id;
      LocalStore store = LocalStore.open(db.toString(), Duration.ofSeconds(5));
      try (Tracker tracker = Tracker.builder().store(store).captureProvenance(false)
          .shutdownHook(false).build()) {
        Run run = tracker.start(RunSpec.builder().project("full").build());
        id = run.id();
        for (int i = 0; i < 3; i++) {
          run.log(Map.of("epoch", i + 1, "loss", 1.0 / (i + 1)));
        }
        store.flush(Duration.ofSeconds(30));
        // 2,000 incompressible 784-byte images: about 1.6 MB of blobs plus pages and WAL > 2 MB
        Random random = new Random(1);
        List<TestPrediction> predictions = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
          byte[] image = new byte[784];
          random.nextBytes(image);
          predictions.add(TestPrediction.of(i, image, i % 10, i % 10, new float[10]));
        }
        for (int from = 0; from < predictions.size(); from += 100) {
          run.predictions(predictions.subList(from, from + 100));
        }
        assertThatThrownBy(() -> run.close(Duration.ofSeconds(30)))
            .isInstanceOf(TrackingException.class)
            .hasMessageContaining(db.toString())
            .hasMessageContaining("full");
      }
      assertThatThrownBy(store::close).isInstanceOf(TrackingException.class);

      try (LocalStore reread = LocalStore.open(db)) {
        RunRecord rec = reread.run(id).orElseThrow();
        assertThat(rec.state()).isNotEqualTo(RunState.FINISHED);
        assertThat(reread.history(id)).extracting(HistoryRow::line).containsExactly(0L, 1L, 2L);
        assertThat(reread.predictions(id).size()).isLessThan(2_000);
      }
    }
  }
}
