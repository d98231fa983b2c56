package dev.mnistlab.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A versioned set of files logged with a run ({@link Run#artifact}), e.g. a trained model as type
 * {@code model}: W&amp;B's Artifacts, with a manifest of MD5 digests, aliases ({@code latest} is
 * always added; e.g. {@code best}) and metadata (hyperparameters, metrics, dataset checksums).
 * Recorded in the local store with the run and uploaded from there (PROTOCOL §8), so an offline
 * run's artifacts reach W&amp;B on {@code mnistlab sync}; content W&amp;B already has is not uploaded
 * again. Immutable.
 *
 * <pre>{@code
 * run.artifact(Artifact.builder("mnist-cnn", "model")
 *     .file("model.zip", Path.of("out/model.zip"))
 *     .metadata("test_accuracy", 0.981)
 *     .alias("best")
 *     .build());
 * }</pre>
 */
public final class Artifact {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final String name;
  private final String type;
  private final String description;
  private final Map<String, Object> metadata;
  private final List<String> aliases;
  private final SortedMap<String, byte[]> files;

  private Artifact(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.description = b.description;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    this.aliases = List.copyOf(b.aliases);
    this.files = Collections.unmodifiableSortedMap(new TreeMap<>(b.files));
  }

  /**
   * A builder of an artifact in the collection {@code name} of type {@code type}.
   *
   * @throws IllegalArgumentException for a name or type other than letters, digits, {@code .},
   *     {@code _} and {@code -} (what W&amp;B accepts)
   */
  public static Builder builder(String name, String type) {
    return new Builder(check(name, "artifact name"), check(type, "artifact type"));
  }

  private static String check(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is invalid: expected 1-128"
          + " letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return value;
  }

  /** The collection name (W&amp;B: {@code <name>:v0}, {@code :v1}...). */
  public String name() {
    return name;
  }

  /** The type, e.g. {@code model} or {@code dataset}. */
  public String type() {
    return type;
  }

  /** The description, if any. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** The metadata (unmodifiable). */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** The aliases, {@code latest} first. */
  public List<String> aliases() {
    return aliases;
  }

  /** The paths of the files, sorted. */
  public List<String> paths() {
    return List.copyOf(files.keySet());
  }

  /** A copy of a file's content. */
  public Optional<byte[]> content(String path) {
    byte[] b = files.get(path);
    return b == null ? Optional.empty() : Optional.of(b.clone());
  }

  @Override
  public String toString() {
    return "Artifact{" + name + ", type=" + type + ", files=" + files.keySet() + ", aliases=" + aliases + "}";
  }

  /** Builds an {@link Artifact}. */
  public static final class Builder {
    private final String name;
    private final String type;
    private String description;
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final LinkedHashSet<String> aliases = new LinkedHashSet<>(List.of("latest"));
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private Builder(String name, String type) {
      this.name = name;
      this.type = type;
    }

    /**
     * Adds a file at {@code path} inside the artifact.
     *
     * @throws IllegalArgumentException for an absolute path, {@code ..}, or a path given twice
     */
    public Builder file(String path, byte[] content) {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(path, "path");
      List<String> parts = new ArrayList<>(List.of(path.split("/", -1)));
      if (path.isEmpty() || path.contains("\\") || parts.stream().anyMatch(p -> p.isEmpty()
          || p.equals(".") || p.equals(".."))) {
        throw new IllegalArgumentException("artifact file path '" + path + "' is invalid: expected"
            + " a relative path such as 'model.zip' (no '..', no leading '/')");
      }
      if (files.putIfAbsent(path, content.clone()) != null) {
        throw new IllegalArgumentException("artifact file path '" + path + "' is given twice");
      }
      return this;
    }

    /**
     * Adds the content of {@code file} at {@code path}, read now.
     *
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public Builder file(String path, Path file) {
      try {
        return file(path, Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read artifact file " + file + ": " + e.getMessage(), e);
      }
    }

    /** Sets the description. */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /** Adds a metadata entry (numbers, strings, booleans, lists, maps). */
    public Builder metadata(String key, Object value) {
      metadata.put(Objects.requireNonNull(key, "key"), value);
      return this;
    }

    /** Adds metadata entries. */
    public Builder metadata(Map<String, ?> values) {
      values.forEach(this::metadata);
      return this;
    }

    /**
     * Adds an alias (W&amp;B moves it to this version), e.g. {@code best}.
     *
     * @throws IllegalArgumentException for an alias W&amp;B does not accept
     */
    public Builder alias(String alias) {
      Objects.requireNonNull(alias, "alias");
      if (!ALIAS.matcher(alias).matches()) {
        throw new IllegalArgumentException("artifact alias '" + alias + "' is invalid: expected"
            + " 1-128 letters, digits, '.', '_' or '-'");
      }
      aliases.add(alias);
      return this;
    }

    /**
     * The artifact.
     *
     * @throws IllegalStateException when no file was added
     */
    public Artifact build() {
      if (files.isEmpty()) {
        throw new IllegalStateException("artifact '" + name + "' has no files: add one with file(path, ...)");
      }
      return new Artifact(this);
    }
  }
}
