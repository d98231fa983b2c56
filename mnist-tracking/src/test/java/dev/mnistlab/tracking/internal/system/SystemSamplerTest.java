package dev.mnistlab.tracking.internal.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemSamplerTest {
  @TempDir Path dir;

  @Test
  void readsTheResidentSetFromProcAndTheDiskOfTheStoresVolume() throws Exception {
    Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nVmRSS:\t  204800 kB\nThreads:\t42\n");
    SystemSample s = new SystemSampler(dir.resolve("not/yet/created/runs.db"), status).sample();

    assertThat(s.processRssMb()).hasValue(200.0);
    assertThat(s.eventValues()).containsEntry("system.proc.memory.rssMB", 200.0);
    assertThat(s.diskMount()).isNotEmpty();
    assertThat(s.eventValues()).containsKey("system.disk." + s.diskMount() + ".usagePercent");
    assertThat(s.diskUsedPercent().getAsDouble()).isBetween(0.0, 100.0);
  }

  @Test
  void aFigureThePlatformDoesNotGiveIsLeftOutNotSentAsZero() {
    SystemSample s = new SystemSampler(null, dir.resolve("no-such-proc-status")).sample();

    assertThat(s.eventValues()).doesNotContainKey("system.proc.memory.rssMB")
        .doesNotContainKey("system.proc.memory.percent")
        .noneSatisfy((k, v) -> assertThat(k).startsWith("system.disk."))
        .containsKey("system.proc.cpu.threads");
  }
}
