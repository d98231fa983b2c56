package dev.mnistlab.experiments.trial;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The data a recorded trial was trained on is not on this machine: its recorded folder is gone or
 * holds other data, and neither the cache nor a known system location holds the same content.
 * The message names the folder and the content checksums expected; callers add how their user
 * can point at a copy.
 */
public final class RecordedDataNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<Path> folder;
  private final Map<String, String> contentChecksums;

  RecordedDataNotFoundException(String message, Optional<Path> folder,
      Map<String, String> contentChecksums) {
    super(message);
    this.folder = folder;
    this.contentChecksums = Map.copyOf(new TreeMap<>(contentChecksums));
  }

  /** The same problem with a caller's hint added to the message (e.g. how to pass a folder). */
  public RecordedDataNotFoundException(String message, RecordedDataNotFoundException cause) {
    this(message, cause.folder(), cause.contentChecksums());
    initCause(cause);
  }

  /** The folder the trial's data was read from, when it was a folder. */
  public Optional<Path> folder() {
    return folder == null ? Optional.empty() : folder;
  }

  /** The SHA-256 of each file's decompressed content, by file name, that a copy must match. */
  public Map<String, String> contentChecksums() {
    return contentChecksums;
  }
}
