package dev.mnistlab.tracking.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * W&amp;B's artifact manifest (PROTOCOL §8): {@code {"version": 1, "storagePolicy":
 * "wandb-storage-policy-v1", "storagePolicyConfig": {"storageLayout": "V2"}, "contents": {path:
 * {"digest": <base64 MD5>, "size": N}}}}, and the artifact digest: hex MD5 of {@code
 * wandb-artifact-manifest-v1\n} followed by {@code <path>:<digest>\n} for each entry sorted by path.
 *
 * @param json the manifest JSON text (what is uploaded as {@code wandb_manifest.json})
 * @param digest the artifact digest
 * @param md5ByPath each file's base64 MD5, by path (sorted)
 */
public record ArtifactManifest(String json, String digest, SortedMap<String, String> md5ByPath) {

  /** The manifest of these files. */
  public static ArtifactManifest of(Map<String, byte[]> files) {
    SortedMap<String, String> md5 = new TreeMap<>();
    Map<String, Object> contents = new LinkedHashMap<>();
    new TreeMap<>(files).forEach((path, bytes) -> {
      String d = Hashes.md5Base64(bytes);
      md5.put(path, d);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("digest", d);
      entry.put("size", bytes.length);
      contents.put(path, entry);
    });
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("version", 1);
    manifest.put("storagePolicy", "wandb-storage-policy-v1");
    manifest.put("storagePolicyConfig", Map.of("storageLayout", "V2"));
    manifest.put("contents", contents);
    return new ArtifactManifest(Json.write(manifest), digest(md5), md5);
  }

  /** The artifact digest of entries {@code path -> base64 MD5}. */
  public static String digest(Map<String, String> md5ByPath) {
    StringBuilder text = new StringBuilder("wandb-artifact-manifest-v1\n");
    new TreeMap<>(md5ByPath).forEach((path, d) -> text.append(path).append(':').append(d).append('\n'));
    return Hashes.md5Hex(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
