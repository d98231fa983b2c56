package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.tracking.testing.ArtifactStandIn.Version;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An artifact is stored with its run and saved to W&amp;B as PROTOCOL §8 says (the stand-in checks
 * every manifest digest against the uploaded bytes and the artifact digest): committed with its
 * aliases and metadata, content W&amp;B already has is not uploaded again, and an offline run's
 * artifact is saved by {@code sync}, once.
 */
class WandbArtifactTest extends WandbStoreFixture {
  static Artifact model(String weights) {
    return Artifact.builder("mnist-cnn", "model")
        .file("model.zip", weights.getBytes(StandardCharsets.UTF_8))
        .file("notes/metadata.json", "{\"epochs\":2}".getBytes(StandardCharsets.UTF_8))
        .metadata("test_accuracy", 0.98).metadata("mnistlab_version", "0.1.0")
        .description("a trained network").alias("best").build();
  }

  String logAndClose(WandbSettings s, Artifact a) {
    try (Tracker t = tracker(s)) {
      Run run = t.start(RunSpec.builder().project("art").build());
      run.artifact(a);
      assertThat(run.close(Duration.ofSeconds(10)).complete()).isTrue();
      return run.id();
    }
  }

  @Test
  void anArtifactIsCommittedWithItsFilesAliasesAndMetadataAndTheStandInFindsTheDigestsRight() {
    String id = logAndClose(settings().build(), model("weights-1"));

    List<Version> versions = wandb.artifacts.versions("art", "mnist-cnn");
    assertThat(versions).hasSize(1);
    Version v = versions.get(0);
    assertThat(v.state).isEqualTo("COMMITTED");
    assertThat(v.type).isEqualTo("model");
    assertThat(v.runName).isEqualTo(id);
    assertThat(v.metadata).containsEntry("test_accuracy", 0.98).containsEntry("mnistlab_version", "0.1.0");
    assertThat(new String(v.file(wandb.artifacts, "model.zip").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("weights-1");
    assertThat(wandb.artifacts.alias("art", "mnist-cnn", "latest")).containsSame(v);
    assertThat(wandb.artifacts.alias("art", "mnist-cnn", "best")).containsSame(v);
    assertThat(wandb.artifacts.filePuts()).isEqualTo(2);
    assertThat(wandb.run("art", id).complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void contentWandbAlreadyHoldsIsNotUploadedAgain() {
    logAndClose(settings().build(), model("weights-1"));
    int puts = wandb.artifacts.filePuts();

    logAndClose(settings().build(), model("weights-1"));
    assertThat(wandb.artifacts.filePuts()).as("an identical version is COMMITTED at once").isEqualTo(puts);
    assertThat(wandb.artifacts.versions("art", "mnist-cnn")).hasSize(1);

    // a new version sharing one blob uploads only the changed file
    logAndClose(settings().build(), model("weights-2"));
    assertThat(wandb.artifacts.filePuts()).isEqualTo(puts + 1);
    List<Version> versions = wandb.artifacts.versions("art", "mnist-cnn");
    assertThat(versions).hasSize(2);
    assertThat(wandb.artifacts.alias("art", "mnist-cnn", "latest")).containsSame(versions.get(1));
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void anOfflineRunsArtifactIsSavedBySyncOnce() {
    try (Tracker t = tracker(settings().mode(WandbMode.OFFLINE).build())) {
      Run run = t.start(RunSpec.builder().project("art").build());
      run.artifact(model("weights-3"));
      run.close(Duration.ofSeconds(5));
    }
    assertThat(wandb.artifacts.versions("art", "mnist-cnn")).isEmpty();
    Syncer syncer = Syncer.builder().store(store).wandb(settings().build()).build();
    assertThat(syncer.syncAll(Duration.ofSeconds(10)).allComplete()).isTrue();
    syncer.syncAll(Duration.ofSeconds(10));
    assertThat(wandb.artifacts.versions("art", "mnist-cnn")).singleElement()
        .satisfies(v -> assertThat(v.state).isEqualTo("COMMITTED"));
    assertThat(wandb.artifacts.filePuts()).isEqualTo(2);
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void badArtifactsAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> Artifact.builder("a b", "model"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("artifact name 'a b' is invalid");
    assertThatThrownBy(() -> Artifact.builder("m", "model").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("has no files");
    assertThatThrownBy(() -> Artifact.builder("m", "model").file("../x", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../x' is invalid");
    assertThatThrownBy(() -> Artifact.builder("m", "model").file("x", java.nio.file.Path.of("/no/such/file")))
        .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("/no/such/file");
  }
}
