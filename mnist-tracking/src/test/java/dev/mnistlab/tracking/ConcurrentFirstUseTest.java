package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.testing.ChildJvm;
import dev.mnistlab.tracking.testing.OpenAt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several processes create and migrate a new SQLite store at the same moment. */
class ConcurrentFirstUseTest {
  @TempDir Path dir;

  @Test
  void threeProcessesOpeningANewStoreAtOnceAllSucceedAndRecordTheirRuns() throws Exception {
    for (int round = 0; round < 3; round++) {
      Path db = dir.resolve("new-" + round + ".db");
      long startAt = System.currentTimeMillis() + 2_500;
      List<ChildJvm> children = new ArrayList<>();
      List<String> answers = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          children.add(ChildJvm.start(OpenAt.class, db.toString(), Long.toString(startAt)));
        }
        for (ChildJvm c : children) {
          answers.add(c.awaitLine("OK ", "FAILED "));
        }
      } finally {
        children.forEach(ChildJvm::close);
      }
      assertThat(answers).as("round " + round).allSatisfy(a -> assertThat(a).startsWith("OK "));
      try (LocalStore store = LocalStore.open(db)) {
        assertThat(store.runs(RunQuery.builder().build())).hasSize(3)
            .allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.FINISHED));
      }
    }
  }
}
