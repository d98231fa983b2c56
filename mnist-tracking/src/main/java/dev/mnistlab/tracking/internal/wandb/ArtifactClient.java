package dev.mnistlab.tracking.internal.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * W&amp;B's artifact mutations (PROTOCOL §8, as the Go core's {@code saver.go} sends them):
 * {@code CreateArtifact}, {@code CreateArtifactManifest} (FULL, twice), {@code
 * CreateArtifactFiles} and {@code CommitArtifact}, over the client's GraphQL transport.
 */
final class ArtifactClient {
  static final String CREATE_ARTIFACT = "mutation CreateArtifact($input: CreateArtifactInput!) {\n"
      + "  createArtifact(input: $input) {\n"
      + "    artifact { id state artifactSequence { id latestArtifact { id versionIndex } } }\n"
      + "  }\n"
      + "}\n";
  static final String CREATE_MANIFEST = "mutation CreateArtifactManifest($name: String!,"
      + " $digest: String!, $artifactID: ID!, $baseArtifactID: ID, $entityName: String!,"
      + " $projectName: String!, $runName: String!, $includeUpload: Boolean!,"
      + " $type: ArtifactManifestType = FULL) {\n"
      + "  createArtifactManifest(input: {name: $name, digest: $digest, artifactID: $artifactID,"
      + " baseArtifactID: $baseArtifactID, entityName: $entityName, projectName: $projectName,"
      + " runName: $runName, type: $type}) {\n"
      + "    artifactManifest { id file { id name uploadUrl @include(if: $includeUpload)"
      + " uploadHeaders @include(if: $includeUpload) } }\n"
      + "  }\n"
      + "}\n";
  static final String CREATE_FILES = "mutation CreateArtifactFiles($storageLayout:"
      + " ArtifactStorageLayout!, $artifactFiles: [CreateArtifactFileSpecInput!]!) {\n"
      + "  createArtifactFiles(input: {artifactFiles: $artifactFiles, storageLayout: $storageLayout}) {\n"
      + "    files { edges { node { id name uploadUrl uploadHeaders artifact { id } } } }\n"
      + "  }\n"
      + "}\n";
  static final String COMMIT = "mutation CommitArtifact($artifactID: ID!) {\n"
      + "  commitArtifact(input: {artifactID: $artifactID}) { artifact { id digest } }\n"
      + "}\n";

  /** The answer to {@code CreateArtifact}: the version's id and whether it is already committed. */
  record Created(String id, String state) {
    boolean committed() {
      return "COMMITTED".equals(state);
    }
  }

  /** The answer to {@code CreateArtifactManifest}: its id, and the upload target when asked for. */
  record Manifest(String id, Optional<RunFileUpload> upload) {}

  private final WandbClient client;

  ArtifactClient(WandbClient client) {
    this.client = client;
  }

  Created createArtifact(Map<String, Object> input, Duration timeout) throws IOException {
    JsonNode a = client.graphql("CreateArtifact", CREATE_ARTIFACT, Map.of("input", input), timeout)
        .path("data").path("createArtifact").path("artifact");
    if (!a.path("id").isTextual()) {
      throw new WandbHttpException("CreateArtifact", 200, "no artifact id in the answer", null);
    }
    return new Created(a.path("id").asText(), a.path("state").asText());
  }

  Manifest createManifest(String artifactId, String entity, String project, String run,
      String digest, boolean includeUpload, Duration timeout) throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("name", "wandb_manifest.json");
    vars.put("digest", digest);
    vars.put("artifactID", artifactId);
    vars.put("baseArtifactID", null);
    vars.put("entityName", entity);
    vars.put("projectName", project);
    vars.put("runName", run);
    vars.put("includeUpload", includeUpload);
    vars.put("type", "FULL");
    JsonNode m = client.graphql("CreateArtifactManifest", CREATE_MANIFEST, vars, timeout)
        .path("data").path("createArtifactManifest").path("artifactManifest");
    Optional<RunFileUpload> upload = Optional.empty();
    if (includeUpload) {
      upload = Optional.of(target("CreateArtifactManifest", m.path("file")));
    }
    return new Manifest(m.path("id").asText(), upload);
  }

  /** Upload targets by file name; a file W&amp;B already stores has none (null {@code uploadUrl}). */
  Map<String, Optional<RunFileUpload>> createFiles(String artifactId, String manifestId,
      Map<String, String> md5ByName, Duration timeout) throws IOException {
    List<Map<String, Object>> specs = new ArrayList<>();
    md5ByName.forEach((name, md5) -> {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("artifactID", artifactId);
      spec.put("name", name);
      spec.put("md5", md5);
      spec.put("artifactManifestID", manifestId);
      specs.add(spec);
    });
    JsonNode edges = client.graphql("CreateArtifactFiles", CREATE_FILES,
        Map.of("storageLayout", "V2", "artifactFiles", specs), timeout)
        .path("data").path("createArtifactFiles").path("files").path("edges");
    Map<String, Optional<RunFileUpload>> out = new LinkedHashMap<>();
    for (JsonNode e : edges) {
      JsonNode node = e.path("node");
      out.put(node.path("name").asText(), node.path("uploadUrl").isTextual()
          ? Optional.of(target("CreateArtifactFiles", node)) : Optional.empty());
    }
    return out;
  }

  void commit(String artifactId, Duration timeout) throws IOException {
    client.graphql("CommitArtifact", COMMIT, Map.of("artifactID", artifactId), timeout);
  }

  private static RunFileUpload target(String operation, JsonNode file) throws WandbHttpException {
    String url = file.path("uploadUrl").asText(null);
    if (url == null || okhttp3.HttpUrl.parse(url) == null) {
      throw new WandbHttpException(operation, 200, "no valid upload URL for "
          + file.path("name").asText("?"), null);
    }
    List<String> headers = new ArrayList<>();
    file.path("uploadHeaders").forEach(h -> headers.add(h.asText()));
    return new RunFileUpload(file.path("name").asText(), url, List.copyOf(headers));
  }
}
