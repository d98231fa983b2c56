package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What identifies an MNIST-format dataset: id, name, class names, the four published files with
 * sizes and SHA-256 (of the files and, where known, of their decompressed content), the mirrors it
 * is published on and the folders where system packages install it. {@link KnownDataset} holds the specs of
 * MNIST, Fashion-MNIST and KMNIST; build one for any other dataset in the same format.
 */
public final class DatasetSpec {
  private final String id;
  private final String displayName;
  private final List<String> classNames;
  private final List<DatasetFile> files;
  private final List<URI> mirrors;
  private final List<Path> systemLocations;

  private DatasetSpec(Builder b) {
    this.id = b.id;
    this.displayName = b.displayName != null ? b.displayName : b.id;
    this.classNames = b.classNames;
    this.files = List.copyOf(b.files.values());
    this.mirrors = b.mirrors;
    this.systemLocations = b.systemLocations;
  }

  /** A builder for a dataset with the given id (also its cache folder name: letters, digits, {@code -_.}). */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** The short id, e.g. {@code mnist}; also the name of its cache folder. */
  public String id() {
    return id;
  }

  /** The usual name, e.g. {@code Fashion-MNIST}. */
  public String displayName() {
    return displayName;
  }

  /** Class names, indexed by label. */
  public List<String> classNames() {
    return classNames;
  }

  /** The number of classes. */
  public int numClasses() {
    return classNames.size();
  }

  /** The four published files, in {@link FileRole} order. */
  public List<DatasetFile> files() {
    return files;
  }

  /** The published file with the given role. */
  public DatasetFile file(FileRole role) {
    return files.get(role.ordinal());
  }

  /** Download mirrors, tried in order; base URLs the file names resolve against. */
  public List<URI> mirrors() {
    return mirrors;
  }

  /**
   * Folders where operating system packages install this dataset (for Fashion-MNIST, Debian's
   * {@code dataset-fashion-mnist} installs {@code /usr/share/datasets/fashion-mnist}). {@link
   * DatasetResolver} looks there after the cache and before the mirrors, and uses such a folder
   * only when every file's content is verified.
   */
  public List<Path> systemLocations() {
    return systemLocations;
  }

  /** For example {@code DatasetSpec[mnist: MNIST, 10 classes]}. */
  @Override
  public String toString() {
    return "DatasetSpec[" + id + ": " + displayName + ", " + classNames.size() + " classes]";
  }

  /** Configures a {@link DatasetSpec}; all four files and the class names are required. */
  public static final class Builder {
    private final String id;
    private String displayName;
    private List<String> classNames;
    private final Map<FileRole, DatasetFile> files = new EnumMap<>(FileRole.class);
    private List<URI> mirrors = List.of();
    private List<Path> systemLocations = List.of();

    private Builder(String id) {
      checkArgument(id != null && id.matches("[A-Za-z0-9][A-Za-z0-9._-]*"),
          "id must be letters, digits, '.', '_' or '-': %s", id);
      this.id = id;
    }

    /** The usual name (default: the id). */
    public Builder displayName(String displayName) {
      this.displayName = Objects.requireNonNull(displayName);
      return this;
    }

    /** Class names, indexed by label (1 to 256 of them). */
    public Builder classNames(List<String> classNames) {
      checkArgument(!classNames.isEmpty() && classNames.size() <= 256, "1..256 class names, got %s",
          classNames.size());
      this.classNames = List.copyOf(classNames);
      return this;
    }

    /** A published file (one per {@link FileRole}). */
    public Builder file(DatasetFile file) {
      files.put(file.role(), file);
      return this;
    }

    /** A published file (one per {@link FileRole}). */
    public Builder file(FileRole role, String fileName, long size, String sha256) {
      return file(DatasetFile.of(role, fileName, size, sha256));
    }

    /** Download mirrors in the order to try them (default none). */
    public Builder mirrors(List<URI> mirrors) {
      this.mirrors = List.copyOf(mirrors);
      return this;
    }

    /** Folders where system packages install the dataset, in the order to look (default none). */
    public Builder systemLocations(List<Path> folders) {
      this.systemLocations = List.copyOf(folders);
      return this;
    }

    /** The spec. */
    public DatasetSpec build() {
      checkState(classNames != null, "class names are required");
      checkState(files.size() == FileRole.values().length, "all four files are required, got %s", files.keySet());
      return new DatasetSpec(this);
    }
  }
}
