package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.mnistlab.data.internal.Downloader;
import dev.mnistlab.data.internal.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a known dataset: in an explicit folder if one is given, else in the cache, else by
 * downloading it from an ordered list of mirrors into the cache.
 *
 * <ul>
 *   <li>An explicit folder ({@link Builder#dataDir(Path)}) is trusted: its files are loaded as
 *       they are and nothing is downloaded into it.
 *   <li>The cache is {@code $MNISTLAB_HOME} or else {@code ~/.cache/mnistlab}, one sub-folder per
 *       dataset ({@code mnist}, {@code fashion}, {@code kmnist}) holding the published gzip files.
 *       A cached file of the wrong size or checksum is downloaded again.
 *   <li>Each missing file is downloaded from the mirrors in order, into a temporary file in the
 *       cache folder that is renamed into place only after its size and SHA-256 match the
 *       official ones. A mirror that refuses the connection, answers with an HTTP error, sends
 *       wrong bytes or stalls longer than the read timeout is skipped for the next one.
 *   <li>If a file cannot be had, a {@link DatasetUnavailableException} says which files are missing,
 *       which mirrors were tried with what error, and how to supply the files by hand.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; concurrent downloads of the same file by several
 * processes are safe (each writes its own temporary file; the rename is atomic).
 */
public final class DatasetResolver {
  private static final Logger log = LoggerFactory.getLogger(DatasetResolver.class);

  /** The environment variable naming the cache folder. */
  public static final String HOME_VARIABLE = "MNISTLAB_HOME";

  private final Path dataDir;
  private final Path cacheDir;
  private final List<URI> mirrors;
  private final List<URI> preferredMirrors;
  private final boolean offline;
  private final DownloadProgress progress;
  private final Downloader downloader;

  private DatasetResolver(Builder b) {
    this.dataDir = b.dataDir;
    this.cacheDir = b.cacheDir != null ? b.cacheDir : defaultCacheDir();
    this.mirrors = b.mirrors == null ? null : List.copyOf(b.mirrors);
    this.preferredMirrors = List.copyOf(b.preferredMirrors);
    this.offline = b.offline;
    this.progress = b.progress;
    OkHttpClient client = b.client != null ? b.client : new OkHttpClient();
    this.downloader = new Downloader(client.newBuilder()
        .connectTimeout(b.connectTimeout)
        .readTimeout(b.readTimeout)
        .callTimeout(b.callTimeout)
        .followRedirects(true)
        .retryOnConnectionFailure(false)
        .build());
  }

  /** A builder with the defaults: no explicit folder, default cache, the dataset's own mirrors. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code $MNISTLAB_HOME} if set, else {@code ~/.cache/mnistlab}. */
  public static Path defaultCacheDir() {
    return defaultCacheDir(System.getenv(), System.getProperty("user.home"));
  }

  static Path defaultCacheDir(Map<String, String> env, String userHome) {
    String home = env.get(HOME_VARIABLE);
    if (home != null && !home.isBlank()) {
      return Paths.get(home);
    }
    return Paths.get(userHome, ".cache", "mnistlab");
  }

  /** The cache root (datasets live in sub-folders named by {@link KnownDataset#id()}). */
  public Path cacheDir() {
    return cacheDir;
  }

  /** The explicit data folder, if one was given. */
  public Optional<Path> dataDir() {
    return Optional.ofNullable(dataDir);
  }

  /**
   * The mirrors tried for {@code dataset}, in order: the {@linkplain Builder#preferMirrors preferred}
   * ones, then those {@linkplain Builder#mirrors configured} or else the dataset's own.
   */
  public List<URI> mirrorsFor(DatasetSpec dataset) {
    List<URI> all = new ArrayList<>(preferredMirrors);
    all.addAll(mirrors != null ? mirrors : dataset.mirrors());
    return List.copyOf(all);
  }

  /** The mirrors tried for {@code dataset} (see {@link #mirrorsFor(DatasetSpec)}). */
  public List<URI> mirrorsFor(KnownDataset dataset) {
    return mirrorsFor(dataset.spec());
  }

  /** The cache folder of {@code dataset}: {@code cacheDir()/id}. */
  public Path cacheFolder(DatasetSpec dataset) {
    return cacheDir.resolve(dataset.id());
  }

  /** The cache folder of {@code dataset}: {@code cacheDir()/id}. */
  public Path cacheFolder(KnownDataset dataset) {
    return cacheFolder(dataset.spec());
  }

  /**
   * The dataset, loaded from the explicit folder, the cache, or after downloading it.
   *
   * @throws DatasetUnavailableException if it is neither present nor downloadable
   * @throws IdxFormatException if present files are malformed
   */
  public MnistDataset resolve(KnownDataset dataset) throws IOException {
    return resolve(dataset.spec());
  }

  /**
   * The dataset, loaded from the explicit folder, the cache, or after downloading it.
   *
   * @throws DatasetUnavailableException if it is neither present nor downloadable
   * @throws IdxFormatException if present files are malformed
   */
  public MnistDataset resolve(DatasetSpec dataset) throws IOException {
    Objects.requireNonNull(dataset, "dataset");
    if (dataDir != null) {
      if (!Files.isDirectory(dataDir)) {
        throw new DatasetUnavailableException(dataDir + ": the data folder does not exist; it should hold "
            + allFileNames(dataset), allFileNameList(dataset), List.of());
      }
      return MnistDataset.load(dataDir, dataset);
    }
    Path folder = download(dataset, cacheFolder(dataset));
    try {
      MnistDataset loaded = MnistDataset.load(folder, dataset);
      if (loaded.matchesOfficialFiles()) {
        return loaded;
      }
    } catch (IdxFormatException e) {
      if (!deleteDamaged(dataset, folder)) {
        throw e; // the published files themselves do not parse: nothing a download can fix
      }
      return MnistDataset.load(download(dataset, folder), dataset);
    }
    deleteDamaged(dataset, folder);
    return MnistDataset.load(download(dataset, folder), dataset);
  }

  /** Deletes cached files whose checksum is not the published one; true if there were any. */
  private static boolean deleteDamaged(DatasetSpec dataset, Path folder) throws IOException {
    boolean any = false;
    for (DatasetFile f : dataset.files()) {
      Path p = folder.resolve(f.fileName());
      if (Files.isRegularFile(p) && !Sha256.of(p).equals(f.sha256())) {
        log.warn("{}: cached file is damaged (checksum differs from the published one); downloading it again", p);
        Files.delete(p);
        any = true;
      }
    }
    return any;
  }

  /**
   * Makes sure {@code folder} holds the four published files of {@code dataset}, downloading those
   * that are missing or of the wrong size; returns {@code folder}. Files already present with the
   * right size are not re-hashed here ({@link #resolve} verifies them while loading).
   *
   * @throws DatasetUnavailableException if a file could not be had from any mirror
   */
  public Path download(KnownDataset dataset, Path folder) throws IOException {
    return download(dataset.spec(), folder);
  }

  /**
   * Makes sure {@code folder} holds the four published files of {@code dataset}, downloading those
   * that are missing or of the wrong size; returns {@code folder}.
   *
   * @throws DatasetUnavailableException if a file could not be had from any mirror
   */
  public Path download(DatasetSpec dataset, Path folder) throws IOException {
    List<DatasetFile> missing = new ArrayList<>();
    for (DatasetFile f : dataset.files()) {
      Path p = folder.resolve(f.fileName());
      if (Files.isRegularFile(p) && Files.size(p) == f.size()) {
        continue;
      }
      if (Files.exists(p)) {
        log.warn("{}: {} bytes, expected {}; downloading it again", p, Files.size(p), f.size());
      }
      missing.add(f);
    }
    if (missing.isEmpty()) {
      return folder;
    }
    List<String> attempts = new ArrayList<>();
    List<String> stillMissing = new ArrayList<>();
    if (!offline) {
      Files.createDirectories(folder);
    }
    for (DatasetFile f : missing) {
      if (offline || !fetchFromMirrors(dataset, f, folder, attempts)) {
        stillMissing.add(f.fileName());
      }
    }
    if (!stillMissing.isEmpty()) {
      throw unavailable(dataset, folder, stillMissing, attempts);
    }
    return folder;
  }

  private boolean fetchFromMirrors(DatasetSpec dataset, DatasetFile f, Path folder, List<String> attempts) {
    for (URI mirror : mirrorsFor(dataset)) {
      URI url = asDirectory(mirror).resolve(f.fileName());
      log.info("downloading {}", url);
      Optional<String> failure = downloader.fetch(url, folder.resolve(f.fileName()), f.size(), f.sha256(), progress);
      if (failure.isEmpty()) {
        log.info("{}: verified ({} bytes, sha256 {})", folder.resolve(f.fileName()), f.size(), f.sha256());
        return true;
      }
      log.warn("{}: {}", url, failure.get());
      attempts.add(url + ": " + failure.get());
    }
    return false;
  }

  private static URI asDirectory(URI mirror) {
    String s = mirror.toString();
    return s.endsWith("/") ? mirror : URI.create(s + "/");
  }

  private DatasetUnavailableException unavailable(DatasetSpec dataset, Path folder, List<String> missing,
      List<String> attempts) {
    StringBuilder m = new StringBuilder();
    m.append(dataset.displayName()).append(" is not available: missing ").append(String.join(", ", missing))
        .append(" in ").append(folder).append(". ");
    if (offline) {
      m.append("Offline mode: nothing was downloaded. ");
    } else if (mirrorsFor(dataset).isEmpty()) {
      m.append("No mirrors were configured. ");
    } else {
      m.append("Download failed: ").append(String.join("; ", attempts)).append(". ");
    }
    m.append("To supply the files yourself, pass --data-dir DIR with a folder holding ")
        .append(allFileNames(dataset))
        .append(", or place them under $").append(HOME_VARIABLE).append('/').append(dataset.id()).append('/')
        .append(" (here: ").append(cacheFolder(dataset)).append(").");
    return new DatasetUnavailableException(m.toString(), missing, attempts);
  }

  private static List<String> allFileNameList(DatasetSpec dataset) {
    return dataset.files().stream().map(DatasetFile::fileName).collect(Collectors.toList());
  }

  private static String allFileNames(DatasetSpec dataset) {
    List<String> names = allFileNameList(dataset);
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  /** Configures a {@link DatasetResolver}. */
  public static final class Builder {
    private Path dataDir;
    private Path cacheDir;
    private List<URI> mirrors;
    private List<URI> preferredMirrors = List.of();
    private boolean offline;
    private DownloadProgress progress = DownloadProgress.NONE;
    private OkHttpClient client;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ZERO;

    private Builder() {}

    /** An explicit folder holding the four files; used as is, never downloaded into. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** The cache root (default {@link DatasetResolver#defaultCacheDir()}). */
    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = cacheDir;
      return this;
    }

    /**
     * Mirrors to try in order instead of the dataset's defaults; each is a base URL ({@code
     * http:}, {@code https:}, or {@code file:} for a local folder such as a USB stick) the published
     * file names are resolved against (a missing trailing slash is added).
     */
    public Builder mirrors(List<URI> mirrors) {
      this.mirrors = List.copyOf(mirrors);
      return this;
    }

    /**
     * Mirrors tried first, before the dataset's own (or those given to {@link #mirrors}): the
     * command line's {@code --mirror URL}.
     */
    public Builder preferMirrors(List<URI> mirrors) {
      this.preferredMirrors = List.copyOf(mirrors);
      return this;
    }

    /** Never download (default false). */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /** Receives download progress (default {@link DownloadProgress#NONE}). */
    public Builder progress(DownloadProgress progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** The HTTP client to derive the downloader's client from (proxies, TLS settings). */
    public Builder httpClient(OkHttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** How long to wait for a mirror to accept the connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      checkArgument(!timeout.isNegative(), "timeout must not be negative");
      this.connectTimeout = timeout;
      return this;
    }

    /** How long a mirror may stall between two reads before it is given up (default 30 s). */
    public Builder readTimeout(Duration timeout) {
      checkArgument(!timeout.isNegative(), "timeout must not be negative");
      this.readTimeout = timeout;
      return this;
    }

    /** The longest one file download may take in all (default 0: no limit, only the read timeout). */
    public Builder callTimeout(Duration timeout) {
      checkArgument(!timeout.isNegative(), "timeout must not be negative");
      this.callTimeout = timeout;
      return this;
    }

    /** The resolver. */
    public DatasetResolver build() {
      return new DatasetResolver(this);
    }
  }
}
