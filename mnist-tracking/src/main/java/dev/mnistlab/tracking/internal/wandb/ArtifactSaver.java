package dev.mnistlab.tracking.internal.wandb;

import dev.mnistlab.tracking.internal.Hashes;
import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.internal.store.ArtifactState;
import dev.mnistlab.tracking.internal.store.SinkCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Saves one stored artifact to W&amp;B as the Go core's {@code saver.go} does (PROTOCOL §8):
 * {@code CreateArtifact} with the manifest digest (an answer {@code COMMITTED} means W&amp;B
 * already has this content: done, nothing uploaded), {@code CreateArtifactManifest} (FULL), {@code
 * CreateArtifactFiles} for every entry, a PUT of each file W&amp;B asks for (a null upload URL means
 * it already stores that blob), {@code CreateArtifactManifest} again with the manifest's MD5 and
 * the upload URL, a PUT of the manifest, then {@code CommitArtifact}. Every call is retried by the
 * given policies; each step is idempotent, so a save interrupted anywhere is simply run again.
 */
final class ArtifactSaver {
  /** The reads of the stored files, which the caller provides. */
  interface Files {
    Map<String, byte[]> of(ArtifactState artifact) throws IOException;
  }

  private final ArtifactClient client;
  private final WandbClient http;
  private final Retrier retrier;
  private final RetryPolicy graphqlPolicy;
  private final RetryPolicy uploadPolicy;
  private final LongSupplier deadline;
  private final Retrier.RetryListener onRetry;

  ArtifactSaver(WandbClient http, Retrier retrier, RetryPolicy graphqlPolicy,
      RetryPolicy uploadPolicy, LongSupplier deadline, Retrier.RetryListener onRetry) {
    this.client = new ArtifactClient(http);
    this.http = http;
    this.retrier = retrier;
    this.graphqlPolicy = graphqlPolicy;
    this.uploadPolicy = uploadPolicy;
    this.deadline = deadline;
    this.onRetry = onRetry;
  }

  /**
   * Saves {@code a} in the run {@code c} names.
   *
   * @return the number of files PUT (0 when W&amp;B already had the content)
   */
  int save(SinkCursor c, ArtifactState a, Files files) throws IOException, InterruptedException {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("entityName", c.entity());
    input.put("projectName", c.project());
    input.put("artifactTypeName", a.type());
    input.put("artifactCollectionName", a.name());
    input.put("runName", c.remoteName());
    input.put("digest", a.digest());
    input.put("digestAlgorithm", "MANIFEST_MD5");
    if (a.description() != null) {
      input.put("description", a.description());
    }
    List<Map<String, Object>> aliases = new ArrayList<>();
    for (String alias : a.aliases()) {
      aliases.add(Map.of("artifactCollectionName", a.name(), "alias", alias));
    }
    input.put("aliases", aliases);
    input.put("metadata", a.metadataJson());
    input.put("enableDigestDeduplication", true);
    // stable per stored artifact, so a retried save is recognised as the same client's
    input.put("clientID", UUID.nameUUIDFromBytes((c.runId() + "/" + a.seq()).getBytes(StandardCharsets.UTF_8)).toString());
    input.put("sequenceClientID", UUID.nameUUIDFromBytes((c.runId() + "/" + a.name()).getBytes(StandardCharsets.UTF_8)).toString());
    ArtifactClient.Created created = retrier.run("CreateArtifact " + a.name(), graphqlPolicy, deadline,
        t -> client.createArtifact(input, t), onRetry);
    if (created.committed()) {
      return 0;
    }
    String entity = c.entity();
    String project = c.project();
    String run = c.remoteName();
    ArtifactClient.Manifest manifest = retrier.run("CreateArtifactManifest", graphqlPolicy, deadline,
        t -> client.createManifest(created.id(), entity, project, run, "", false, t), onRetry);
    Map<String, byte[]> content = files.of(a);
    Map<String, String> md5 = new LinkedHashMap<>();
    Map<String, Object> contents = contentsOf(a.manifestJson());
    for (String path : contents.keySet()) {
      md5.put(path, (String) ((Map<?, ?>) contents.get(path)).get("digest"));
    }
    Map<String, Optional<RunFileUpload>> targets = retrier.run("CreateArtifactFiles", graphqlPolicy,
        deadline, t -> client.createFiles(created.id(), manifest.id(), md5, t), onRetry);
    int puts = 0;
    for (Map.Entry<String, Optional<RunFileUpload>> e : targets.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue; // W&B already stores this blob
      }
      byte[] bytes = content.get(e.getKey());
      if (bytes == null) {
        throw new IOException("CreateArtifactFiles named " + e.getKey() + ", which artifact "
            + a.name() + " does not hold");
      }
      RunFileUpload target = e.getValue().get();
      retrier.run("upload of artifact file " + e.getKey(), uploadPolicy, deadline, t -> {
        http.upload(target, bytes, t);
        return Boolean.TRUE;
      }, onRetry);
      puts++;
    }
    byte[] manifestBytes = a.manifestJson().getBytes(StandardCharsets.UTF_8);
    ArtifactClient.Manifest withUpload = retrier.run("CreateArtifactManifest", graphqlPolicy, deadline,
        t -> client.createManifest(created.id(), entity, project, run,
            Hashes.md5Base64(manifestBytes), true, t), onRetry);
    RunFileUpload manifestTarget = withUpload.upload().orElseThrow();
    retrier.run("upload of the manifest of " + a.name(), uploadPolicy, deadline, t -> {
      http.upload(manifestTarget, manifestBytes, t);
      return Boolean.TRUE;
    }, onRetry);
    retrier.run("CommitArtifact " + a.name(), graphqlPolicy, deadline,
        t -> {
          client.commit(created.id(), t);
          return Boolean.TRUE;
        }, onRetry);
    return puts + 1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> contentsOf(String manifestJson) {
    return (Map<String, Object>) Json.readMap(manifestJson).get("contents");
  }
}
