package dev.mnistlab.tracking.internal.store;

import java.util.List;

/**
 * A stored artifact of a run (without its file contents) and what one sink did with it: whether
 * it is committed there, upload attempts and the last upload error.
 *
 * @param seq the artifact's number within the run (0, 1, ...)
 * @param metadataJson the metadata as a JSON object
 * @param manifestJson W&amp;B's manifest (PROTOCOL §8)
 * @param digest the artifact digest (hex MD5 over the manifest entries)
 */
public record ArtifactState(int seq, String name, String type, String description,
    String metadataJson, List<String> aliases, String manifestJson, String digest,
    boolean committed, int attempts, String lastError) {

  /** This state after the sink committed it. */
  public ArtifactState committedNow() {
    return new ArtifactState(seq, name, type, description, metadataJson, aliases, manifestJson,
        digest, true, attempts + 1, null);
  }

  /** This state after a failed upload. */
  public ArtifactState failed(String error) {
    return new ArtifactState(seq, name, type, description, metadataJson, aliases, manifestJson,
        digest, false, attempts + 1, error);
  }
}
