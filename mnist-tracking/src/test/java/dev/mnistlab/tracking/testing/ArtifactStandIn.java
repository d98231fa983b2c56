package dev.mnistlab.tracking.testing;

import dev.mnistlab.tracking.internal.Hashes;
import dev.mnistlab.tracking.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The artifact half of {@link WandbStandIn} (PROTOCOL §8): {@code CreateArtifact} (a digest a
 * collection already holds committed answers {@code COMMITTED}), {@code CreateArtifactManifest}
 * (FULL; the first call without, the second with the manifest's MD5 and an upload URL), {@code
 * CreateArtifactFiles} (a blob the server already stores gets a null upload URL), PUTs to the
 * storage host, and {@code CommitArtifact}. It checks what a real server relies on and records a
 * violation otherwise: every PUT's bytes have the MD5 declared for them, every manifest digest is
 * the MD5 of bytes the server holds with the declared size, the artifact digest is the one §8
 * computes from the manifest, and a commit comes after both manifest calls and every upload.
 */
public final class ArtifactStandIn {
  /** One artifact version as the server holds it. */
  public static final class Version {
    public final String id;
    public final String entity;
    public final String project;
    public final String collection;
    public final String type;
    public final String runName;
    public final String digest;
    public final int index;
    public final Map<String, Object> metadata;
    public volatile String state = "PENDING";
    /** Aliases the client asked for. */
    public final List<String> requestedAliases;
    /** The uploaded manifest, parsed, once PUT. */
    public volatile Map<String, Object> manifest;
    /** Whether a FULL manifest was created without, and then with, its upload (§8 step 3, 6). */
    volatile boolean manifestCreated;
    volatile boolean manifestUploadCreated;
    volatile String manifestMd5;
    final Map<String, String> declaredMd5 = new ConcurrentHashMap<>();

    Version(String id, String entity, String project, String collection, String type,
        String runName, String digest, int index, Map<String, Object> metadata, List<String> aliases) {
      this.id = id;
      this.entity = entity;
      this.project = project;
      this.collection = collection;
      this.type = type;
      this.runName = runName;
      this.digest = digest;
      this.index = index;
      this.metadata = metadata;
      this.requestedAliases = aliases;
    }

    /** The content of a file of this version, from the server's blob store. */
    public Optional<byte[]> file(ArtifactStandIn server, String path) {
      if (manifest == null || !(((Map<?, ?>) manifest.get("contents")).get(path) instanceof Map<?, ?> e)) {
        return Optional.empty();
      }
      return Optional.ofNullable(server.blobs.get((String) e.get("digest")));
    }
  }

  private final Function<String, String> storageUrl;
  private final Predicate<String> runExists;
  private final Map<String, Version> byId = new ConcurrentHashMap<>();
  private final List<Version> versions = Collections.synchronizedList(new ArrayList<>());
  /** Blobs by base64 MD5, shared by all artifacts (W&B stores content once). */
  final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  /** Alias owners: "entity/project/collection:alias" → version id. */
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final java.util.concurrent.atomic.AtomicInteger filePuts = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * @param storageUrl the storage host's URL of a path
   * @param runExists whether {@code entity/project/run} was upserted
   */
  ArtifactStandIn(Function<String, String> storageUrl, Predicate<String> runExists) {
    this.storageUrl = storageUrl;
    this.runExists = runExists;
  }

  /** True for the GraphQL operations this part answers. */
  static boolean handles(String operation) {
    return List.of("CreateArtifact", "CreateArtifactManifest", "CreateArtifactFiles", "CommitArtifact")
        .contains(operation);
  }

  /** Problems seen so far. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Artifact file PUTs received (manifests not counted). */
  public int filePuts() {
    return filePuts.get();
  }

  /** The versions of a collection in a project, oldest first. */
  public List<Version> versions(String project, String collection) {
    synchronized (versions) {
      return versions.stream().filter(v -> v.project.equals(project) && v.collection.equals(collection)).toList();
    }
  }

  /** The committed version an alias names, if any. */
  public Optional<Version> alias(String project, String collection, String alias) {
    synchronized (versions) {
      for (Version v : versions) {
        if (v.project.equals(project) && v.collection.equals(collection)) {
          String id = aliases.get(v.entity + "/" + project + "/" + collection + ":" + alias);
          return Optional.ofNullable(id == null ? null : byId.get(id));
        }
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  synchronized MockResponse answer(String operation, Map<String, Object> vars) {
    return switch (operation) {
      case "CreateArtifact" -> createArtifact((Map<String, Object>) vars.get("input"));
      case "CreateArtifactManifest" -> createManifest(vars);
      case "CreateArtifactFiles" -> createFiles(vars);
      default -> commit(vars);
    };
  }

  private MockResponse createArtifact(Map<String, Object> in) {
    String key = in.get("entityName") + "/" + in.get("projectName") + "/" + in.get("runName");
    if (!runExists.test(key)) {
      return error("CreateArtifact for a run never upserted: " + key);
    }
    if (!"MANIFEST_MD5".equals(in.get("digestAlgorithm")) || !Boolean.TRUE.equals(in.get("enableDigestDeduplication"))
        || !(in.get("digest") instanceof String digest) || !digest.matches("[0-9a-f]{32}")
        || !(in.get("clientID") instanceof String) || !(in.get("sequenceClientID") instanceof String)) {
      return error("CreateArtifact without digest/digestAlgorithm MANIFEST_MD5/dedup/client ids: " + in);
    }
    Map<String, Object> metadata;
    try {
      metadata = in.get("metadata") == null ? Map.of() : Json.readMap((String) in.get("metadata"));
    } catch (RuntimeException e) {
      return error("CreateArtifact metadata is not a JSON object string: " + in.get("metadata"));
    }
    String collection = (String) in.get("artifactCollectionName");
    List<String> wanted = new ArrayList<>();
    for (Object a : (List<?>) in.getOrDefault("aliases", List.of())) {
      Map<?, ?> alias = (Map<?, ?>) a;
      if (!collection.equals(alias.get("artifactCollectionName"))) {
        return error("alias for another collection: " + alias);
      }
      wanted.add((String) alias.get("alias"));
    }
    String entity = (String) in.get("entityName");
    String project = (String) in.get("projectName");
    Version existing = null;
    int index = 0;
    synchronized (versions) {
      for (Version v : versions) {
        if (v.entity.equals(entity) && v.project.equals(project) && v.collection.equals(collection)) {
          index++;
          if (v.digest.equals(digest)) {
            existing = v;
          }
        }
      }
      if (existing == null) {
        existing = new Version(UUID.randomUUID().toString(), entity, project, collection,
            (String) in.get("artifactTypeName"), (String) in.get("runName"), digest, index,
            metadata, List.copyOf(wanted));
        versions.add(existing);
        byId.put(existing.id, existing);
      } else if ("COMMITTED".equals(existing.state)) {
        for (String a : wanted) {
          aliases.put(entity + "/" + project + "/" + collection + ":" + a, existing.id);
        }
      }
    }
    return ok(Map.of("createArtifact", Map.of("artifact", Map.of("id", existing.id,
        "state", existing.state, "artifactSequence", Map.of("id", collection,
            "latestArtifact", Map.of("id", existing.id, "versionIndex", existing.index))))));
  }

  private MockResponse createManifest(Map<String, Object> vars) {
    Version v = byId.get(String.valueOf(vars.get("artifactID")));
    if (v == null) {
      return error("CreateArtifactManifest for an unknown artifact " + vars.get("artifactID"));
    }
    if (!"wandb_manifest.json".equals(vars.get("name")) || !"FULL".equals(vars.getOrDefault("type", "FULL"))) {
      return error("CreateArtifactManifest must be FULL wandb_manifest.json: " + vars);
    }
    boolean upload = Boolean.TRUE.equals(vars.get("includeUpload"));
    String digest = String.valueOf(vars.get("digest"));
    if (!upload && !digest.isEmpty()) {
      return error("the first CreateArtifactManifest carries digest \"\", got " + digest);
    }
    if (upload && (digest.isEmpty() || !v.manifestCreated)) {
      return error("the second CreateArtifactManifest carries the manifest's MD5 after a first call");
    }
    if (upload) {
      v.manifestUploadCreated = true;
    } else {
      v.manifestCreated = true;
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("id", "manifest-file-" + v.id);
    file.put("name", "wandb_manifest.json");
    if (upload) {
      v.manifestMd5 = digest;
      file.put("uploadUrl", storageUrl.apply("/artifact/" + v.id + "/manifest?sig=" + UUID.randomUUID()));
      file.put("uploadHeaders", List.of("Content-Type: application/json", "Content-MD5: " + digest));
    }
    return ok(Map.of("createArtifactManifest", Map.of("artifactManifest",
        Map.of("id", "manifest-" + v.id, "file", file))));
  }

  private MockResponse createFiles(Map<String, Object> vars) {
    if (!"V2".equals(vars.get("storageLayout"))) {
      return error("CreateArtifactFiles without storageLayout V2");
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    for (Object o : (List<?>) vars.get("artifactFiles")) {
      Map<?, ?> spec = (Map<?, ?>) o;
      Version v = byId.get(String.valueOf(spec.get("artifactID")));
      if (v == null || !("manifest-" + v.id).equals(spec.get("artifactManifestID"))) {
        return error("CreateArtifactFiles for an unknown artifact or manifest: " + spec);
      }
      String name = (String) spec.get("name");
      String md5 = (String) spec.get("md5");
      v.declaredMd5.put(name, md5);
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("id", v.id + "/" + name);
      node.put("name", name);
      if (blobs.containsKey(md5)) {
        node.put("uploadUrl", null); // already stored
        node.put("uploadHeaders", List.of());
      } else {
        node.put("uploadUrl", storageUrl.apply("/artifact/" + v.id + "/file/" + name + "?sig=" + UUID.randomUUID()));
        node.put("uploadHeaders", List.of("Content-Type: application/octet-stream", "Content-MD5: " + md5));
      }
      node.put("artifact", Map.of("id", v.id));
      edges.add(Map.of("node", node));
    }
    return ok(Map.of("createArtifactFiles", Map.of("files", Map.of("edges", edges))));
  }

  private MockResponse commit(Map<String, Object> vars) {
    Version v = byId.get(String.valueOf(vars.get("artifactID")));
    if (v == null) {
      return error("CommitArtifact for an unknown artifact " + vars.get("artifactID"));
    }
    if (!v.manifestCreated || !v.manifestUploadCreated || v.manifest == null) {
      return error("CommitArtifact of " + v.collection + " before both CreateArtifactManifest calls"
          + " and the manifest upload");
    }
    for (Object e : ((Map<?, ?>) v.manifest.get("contents")).values()) {
      if (!blobs.containsKey((String) ((Map<?, ?>) e).get("digest"))) {
        return error("CommitArtifact of " + v.collection + " before every file was uploaded");
      }
    }
    v.state = "COMMITTED";
    for (String a : v.requestedAliases) {
      aliases.put(v.entity + "/" + v.project + "/" + v.collection + ":" + a, v.id);
    }
    return ok(Map.of("commitArtifact", Map.of("artifact", Map.of("id", v.id, "digest", v.digest))));
  }

  /** A PUT to {@code /artifact/...} on the storage host. */
  synchronized MockResponse put(RecordedRequest request, String path) {
    String[] parts = path.substring(0, path.indexOf('?')).split("/", 5);
    Version v = byId.get(parts[2]);
    byte[] body = request.getBody().readByteArray();
    String md5 = Hashes.md5Base64(body);
    if (v == null) {
      violations.add("artifact PUT for an unknown artifact: " + path);
      return new MockResponse().setResponseCode(404);
    }
    if (!md5.equals(request.getHeader("Content-MD5"))) {
      violations.add("artifact PUT without the returned Content-MD5 header, or other bytes: " + path);
      return new MockResponse().setResponseCode(400);
    }
    if ("manifest".equals(parts[3])) {
      if (!md5.equals(v.manifestMd5)) {
        violations.add("manifest of " + v.collection + " is not the one its MD5 was declared for");
        return new MockResponse().setResponseCode(400);
      }
      Map<String, Object> manifest = Json.readMap(new String(body, java.nio.charset.StandardCharsets.UTF_8));
      checkManifest(v, manifest);
      v.manifest = manifest;
      return new MockResponse().setResponseCode(200);
    }
    String name = parts[4];
    if (!md5.equals(v.declaredMd5.get(name))) {
      violations.add("artifact file " + name + " of " + v.collection + " does not have the MD5 declared for it");
      return new MockResponse().setResponseCode(400);
    }
    blobs.put(md5, body);
    filePuts.incrementAndGet();
    return new MockResponse().setResponseCode(200);
  }

  private void checkManifest(Version v, Map<String, Object> manifest) {
    if (!Integer.valueOf(1).equals(((Number) manifest.get("version")).intValue())
        || !"wandb-storage-policy-v1".equals(manifest.get("storagePolicy"))
        || !Map.of("storageLayout", "V2").equals(manifest.get("storagePolicyConfig"))) {
      violations.add("manifest of " + v.collection + " lacks version 1 / wandb-storage-policy-v1 / V2");
    }
    Map<String, String> digests = new LinkedHashMap<>();
    ((Map<?, ?>) manifest.get("contents")).forEach((path, e) -> {
      Map<?, ?> entry = (Map<?, ?>) e;
      String d = (String) entry.get("digest");
      digests.put((String) path, d);
      byte[] blob = blobs.get(d);
      if (blob == null || !Hashes.md5Base64(blob).equals(d)) {
        violations.add("manifest entry " + path + " of " + v.collection + ": digest " + d
            + " matches no uploaded bytes");
      } else if (((Number) entry.get("size")).longValue() != blob.length) {
        violations.add("manifest entry " + path + " of " + v.collection + ": size "
            + entry.get("size") + ", uploaded " + blob.length + " bytes");
      }
    });
    // §8, computed here on its own: hex MD5 of the header line and "<path>:<digest>\n" by path
    StringBuilder text = new StringBuilder("wandb-artifact-manifest-v1\n");
    new java.util.TreeMap<>(digests).forEach((p, d) -> text.append(p).append(':').append(d).append('\n'));
    if (!Hashes.md5Hex(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).equals(v.digest)) {
      violations.add("artifact digest of " + v.collection + " is not §8's MD5 over its manifest entries");
    }
  }

  private MockResponse error(String violation) {
    violations.add(violation);
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(Json.write(Map.of("errors", List.of(Map.of("message", violation)))));
  }

  private static MockResponse ok(Map<String, Object> data) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(Json.write(Map.of("data", data)));
  }
}
