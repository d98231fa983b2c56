package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.internal.provenance.ProvenanceCollector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a reviewer needs to reproduce a run: code version (git commit and dirty flag),
 * machine (Java, OS, CPU, host), ND4J backend and its environment, library versions, the program,
 * plus caller-supplied extras such as dataset checksums, the resolved config and the seed.
 * Immutable; {@link #capture()} collects the automatic part, {@link #toBuilder()} adds extras.
 */
public final class Provenance {
  private final String gitCommit;
  private final Boolean gitDirty;
  private final String gitRemote;
  private final String javaVersion;
  private final String javaVendor;
  private final String os;
  private final String cpuModel;
  private final int cpuCores;
  private final String hostName;
  private final String program;
  private final String nd4jBackend;
  private final Map<String, String> nd4jEnvironment;
  private final Map<String, String> libraryVersions;
  private final Map<String, Object> extras;

  private Provenance(Builder b) {
    this.gitCommit = b.gitCommit;
    this.gitDirty = b.gitDirty;
    this.gitRemote = b.gitRemote;
    this.javaVersion = b.javaVersion;
    this.javaVendor = b.javaVendor;
    this.os = b.os;
    this.cpuModel = b.cpuModel;
    this.cpuCores = b.cpuCores;
    this.hostName = b.hostName;
    this.program = b.program;
    this.nd4jBackend = b.nd4jBackend;
    this.nd4jEnvironment = Collections.unmodifiableMap(new LinkedHashMap<>(b.nd4jEnvironment));
    this.libraryVersions = Collections.unmodifiableMap(new LinkedHashMap<>(b.libraryVersions));
    this.extras = Collections.unmodifiableMap(new LinkedHashMap<>(b.extras));
  }

  /**
   * Captures the provenance of this process: runs {@code git} in the working directory if it is
   * installed (absent git or repository leaves the git fields empty), reads system properties and
   * {@code /proc/cpuinfo}, asks ND4J for its backend and environment if ND4J is on the class path,
   * and reads library versions from jar metadata. Never throws.
   */
  public static Provenance capture() {
    return ProvenanceCollector.capture(builder()).build();
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this provenance's values (to add extras). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.gitCommit = gitCommit;
    b.gitDirty = gitDirty;
    b.gitRemote = gitRemote;
    b.javaVersion = javaVersion;
    b.javaVendor = javaVendor;
    b.os = os;
    b.cpuModel = cpuModel;
    b.cpuCores = cpuCores;
    b.hostName = hostName;
    b.program = program;
    b.nd4jBackend = nd4jBackend;
    b.nd4jEnvironment.putAll(nd4jEnvironment);
    b.libraryVersions.putAll(libraryVersions);
    b.extras.putAll(extras);
    return b;
  }

  /** The git commit of the working directory, if known. */
  public Optional<String> gitCommit() {
    return Optional.ofNullable(gitCommit);
  }

  /** Whether the working tree had uncommitted changes, if known. */
  public Optional<Boolean> gitDirty() {
    return Optional.ofNullable(gitDirty);
  }

  /** The git remote URL (credentials removed), if known. */
  public Optional<String> gitRemote() {
    return Optional.ofNullable(gitRemote);
  }

  /** Java version. */
  public String javaVersion() {
    return javaVersion;
  }

  /** Java vendor. */
  public String javaVendor() {
    return javaVendor;
  }

  /** Operating system: name, version, architecture. */
  public String os() {
    return os;
  }

  /** CPU model name, if known. */
  public Optional<String> cpuModel() {
    return Optional.ofNullable(cpuModel);
  }

  /** Logical CPUs available to the JVM. */
  public int cpuCores() {
    return cpuCores;
  }

  /** Host name, if known. */
  public Optional<String> hostName() {
    return Optional.ofNullable(hostName);
  }

  /** The program (main class or command), if known. */
  public Optional<String> program() {
    return Optional.ofNullable(program);
  }

  /** The ND4J backend class, if ND4J was loaded. */
  public Optional<String> nd4jBackend() {
    return Optional.ofNullable(nd4jBackend);
  }

  /** ND4J's environment information (BLAS vendor, threads, helpers...). */
  public Map<String, String> nd4jEnvironment() {
    return nd4jEnvironment;
  }

  /** Versions of the libraries on the class path that matter for results. */
  public Map<String, String> libraryVersions() {
    return libraryVersions;
  }

  /** Caller-supplied extras (dataset checksums, resolved config, seed...). */
  public Map<String, Object> extras() {
    return extras;
  }

  /** The provenance as a JSON-ready map (what the store keeps). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("git_commit", gitCommit);
    m.put("git_dirty", gitDirty);
    m.put("git_remote", gitRemote);
    m.put("java_version", javaVersion);
    m.put("java_vendor", javaVendor);
    m.put("os", os);
    m.put("cpu_model", cpuModel);
    m.put("cpu_cores", cpuCores);
    m.put("host", hostName);
    m.put("program", program);
    m.put("nd4j_backend", nd4jBackend);
    m.put("nd4j_environment", nd4jEnvironment);
    m.put("library_versions", libraryVersions);
    m.put("extras", extras);
    return m;
  }

  /** JSON text of {@link #toMap()}. */
  public String toJson() {
    return Json.write(toMap());
  }

  /** Parses {@link #toJson()} output. */
  @SuppressWarnings("unchecked")
  public static Provenance fromJson(String json) {
    Map<String, Object> m = Json.readMap(json);
    Builder b = builder();
    b.gitCommit = (String) m.get("git_commit");
    b.gitDirty = (Boolean) m.get("git_dirty");
    b.gitRemote = (String) m.get("git_remote");
    b.javaVersion = (String) m.get("java_version");
    b.javaVendor = (String) m.get("java_vendor");
    b.os = (String) m.get("os");
    b.cpuModel = (String) m.get("cpu_model");
    b.cpuCores = m.get("cpu_cores") instanceof Number n ? n.intValue() : 0;
    b.hostName = (String) m.get("host");
    b.program = (String) m.get("program");
    b.nd4jBackend = (String) m.get("nd4j_backend");
    if (m.get("nd4j_environment") instanceof Map<?, ?> env) {
      env.forEach((k, v) -> b.nd4jEnvironment.put(String.valueOf(k), String.valueOf(v)));
    }
    if (m.get("library_versions") instanceof Map<?, ?> libs) {
      libs.forEach((k, v) -> b.libraryVersions.put(String.valueOf(k), String.valueOf(v)));
    }
    if (m.get("extras") instanceof Map<?, ?> ex) {
      b.extras.putAll((Map<String, Object>) ex);
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Provenance p && p.toMap().equals(toMap());
  }

  @Override
  public int hashCode() {
    return toMap().hashCode();
  }

  @Override
  public String toString() {
    return "Provenance" + toMap();
  }

  /** Builder for {@link Provenance}. */
  public static final class Builder {
    private String gitCommit;
    private Boolean gitDirty;
    private String gitRemote;
    private String javaVersion = System.getProperty("java.version");
    private String javaVendor = System.getProperty("java.vendor");
    private String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch");
    private String cpuModel;
    private int cpuCores = Runtime.getRuntime().availableProcessors();
    private String hostName;
    private String program;
    private String nd4jBackend;
    private final Map<String, String> nd4jEnvironment = new LinkedHashMap<>();
    private final Map<String, String> libraryVersions = new LinkedHashMap<>();
    private final Map<String, Object> extras = new LinkedHashMap<>();

    private Builder() {}

    /** Git commit and dirty flag. */
    public Builder git(String commit, Boolean dirty) {
      this.gitCommit = commit;
      this.gitDirty = dirty;
      return this;
    }

    /** Git remote URL (strip credentials before passing it). */
    public Builder gitRemote(String remote) {
      this.gitRemote = remote;
      return this;
    }

    /** Java version and vendor. */
    public Builder java(String version, String vendor) {
      this.javaVersion = version;
      this.javaVendor = vendor;
      return this;
    }

    /** Operating system description. */
    public Builder os(String os) {
      this.os = os;
      return this;
    }

    /** CPU model and logical core count. */
    public Builder cpu(String model, int cores) {
      this.cpuModel = model;
      this.cpuCores = cores;
      return this;
    }

    /** Host name. */
    public Builder hostName(String hostName) {
      this.hostName = hostName;
      return this;
    }

    /** The program (main class or command). */
    public Builder program(String program) {
      this.program = program;
      return this;
    }

    /** ND4J backend class and environment information. */
    public Builder nd4j(String backend, Map<String, String> environment) {
      this.nd4jBackend = backend;
      this.nd4jEnvironment.clear();
      this.nd4jEnvironment.putAll(environment);
      return this;
    }

    /** Adds a library version ({@code groupId:artifactId -> version}). */
    public Builder libraryVersion(String library, String version) {
      this.libraryVersions.put(Objects.requireNonNull(library), Objects.requireNonNull(version));
      return this;
    }

    /** Adds an extra (e.g. {@code "dataset_sha256"}, {@code "seed"}, {@code "resolved_config"}). */
    public Builder extra(String key, Object value) {
      this.extras.put(Objects.requireNonNull(key, "key"), value);
      return this;
    }

    /** Adds extras. */
    public Builder extras(Map<String, ?> extras) {
      extras.forEach(this::extra);
      return this;
    }

    /** Builds the immutable provenance. */
    public Provenance build() {
      return new Provenance(this);
    }
  }
}
