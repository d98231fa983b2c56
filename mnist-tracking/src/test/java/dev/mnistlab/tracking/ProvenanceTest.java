package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.provenance.ProvenanceCollector;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class ProvenanceTest {
  @TempDir Path dir;

  @Test
  void capturesGitMachineNd4jAndLibraryVersions() {
    Nd4j.create(1); // load the backend like any DL4J program would
    Provenance p = Provenance.capture();
    // the tests run inside the project's git checkout
    assertThat(p.gitCommit()).hasValueSatisfying(c -> assertThat(c).matches("[0-9a-f]{40}"));
    assertThat(p.gitDirty()).isPresent();
    assertThat(p.javaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(p.cpuCores()).isPositive();
    assertThat(p.os()).contains(System.getProperty("os.arch"));
    assertThat(p.libraryVersions()).containsEntry("org.deeplearning4j:deeplearning4j-nn", "1.0.0-M2.1")
        .containsKey("org.xerial:sqlite-jdbc").containsKey("com.squareup.okhttp3:okhttp");
    assertThat(p.nd4jBackend()).hasValueSatisfying(b -> assertThat(b).contains("CpuBackend"));
    assertThat(p.nd4jEnvironment()).containsKey("blas.vendor");
  }

  @Test
  void leavesGitFieldsEmptyOutsideARepository() {
    Provenance.Builder b = Provenance.builder();
    ProvenanceCollector.git(b, dir);
    Provenance p = b.build();
    assertThat(p.gitCommit()).isEmpty();
    assertThat(p.gitDirty()).isEmpty();
  }

  @Test
  void roundTripsThroughJsonWithExtras() {
    Provenance p = Provenance.builder().git("abc", false).cpu("EPYC", 2).hostName("h")
        .libraryVersion("a:b", "1").extra("dataset_sha256", Map.of("train", "ff")).extra("seed", 7).build();
    assertThat(Provenance.fromJson(p.toJson())).isEqualTo(p.toBuilder().extra("seed", 7L).build());
  }

  @Test
  void isSentToWandbAsCommitHostProgramAndConfigMetadata() throws Exception {
    try (WandbStandIn wandb = new WandbStandIn();
        LocalStore store = LocalStore.open(dir.resolve("runs.db"));
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false)
            .wandb(WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl()).build()).build()) {
      Run run = tracker.start(RunSpec.builder().project("prov").build());
      run.close(Duration.ofSeconds(10));
      WandbStandIn.RemoteRun remote = wandb.run("prov", run.id());
      Provenance p = store.provenance(run.id()).orElseThrow();
      assertThat(remote.variables).containsEntry("commit", p.gitCommit().orElseThrow())
          .containsEntry("host", p.hostName().orElseThrow());
      @SuppressWarnings("unchecked")
      Map<String, Object> internal = (Map<String, Object>) ((Map<String, Object>) remote.config.get("_wandb")).get("value");
      assertThat(internal).containsKey("provenance").containsKey("java_version");
      assertThat(wandb.violations()).isEmpty();
    }
  }
}
