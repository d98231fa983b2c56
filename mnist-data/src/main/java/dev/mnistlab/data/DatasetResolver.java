package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.mnistlab.data.io.AtomicFiles;
import dev.mnistlab.data.internal.Downloader;
import dev.mnistlab.data.internal.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
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
 * Finds a known dataset, looking in this order:
 *
 * <ol>
 *   <li>An explicit folder ({@link Builder#dataDir(Path)}), if one is given, and nothing else: it is
 *       trusted, its files are loaded as they are and nothing is downloaded into it.
 *   <li>The cache: {@code $MNISTLAB_HOME} or else {@code ~/.cache/mnistlab}, one sub-folder per
 *       dataset ({@code mnist}, {@code fashion}, {@code kmnist}). It is used when all four files are
 *       there and verified; a damaged cached file is deleted and fetched again.
 *   <li>System installations ({@link DatasetSpec#systemLocations()}, or those given to {@link
 *       Builder#systemLocations}): for Fashion-MNIST, {@code /usr/share/datasets/fashion-mnist} from
 *       Debian's {@code dataset-fashion-mnist}. Used in place, read-only, when all four files are
 *       there and verified; a copy that fails verification is skipped with a warning naming the file
 *       and both checksums, and the search goes on. Used in place rather than copied: the package
 *       manager owns and updates it, copying would only duplicate 30 MB, and every load verifies the
 *       content again exactly as a load from the cache does (it is hashed while it is inflated).
 *   <li>Download from the mirrors in order, into the cache: each missing file into a temporary file
 *       renamed into place only after its size and SHA-256 match the official ones. A mirror that
 *       refuses the connection, answers with an HTTP error, sends wrong bytes or stalls longer than
 *       the read timeout is skipped for the next one. Each file gets its own connection, never
 *       reused after an aborted transfer.
 *   <li>If a file cannot be had, a {@link DatasetUnavailableException} says which files are missing,
 *       which local copies were rejected and why, which mirrors were tried with what error, and how
 *       to supply the files by hand.
 * </ol>
 *
 * <p>Verified means: every file is the published file ({@linkplain DatasetFile#sha256() its
 * SHA-256}) or holds the published decompressed content ({@linkplain DatasetFile#contentSha256()
 * its content SHA-256}, where known), as {@link MnistDataset#matchesOfficialData()} reports. So a
 * copy repackaged with other gzip headers, or stored uncompressed, is accepted as the official
 * dataset wherever it comes from.
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
  private final List<Path> systemLocations;
  private final boolean offline;
  private final DownloadProgress progress;
  private final Downloader downloader;

  private DatasetResolver(Builder b) {
    this.dataDir = b.dataDir;
    this.cacheDir = b.cacheDir != null ? b.cacheDir : defaultCacheDir();
    this.mirrors = b.mirrors == null ? null : List.copyOf(b.mirrors);
    this.preferredMirrors = List.copyOf(b.preferredMirrors);
    this.systemLocations = b.systemLocations == null ? null : List.copyOf(b.systemLocations);
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

  /**
   * The system installation folders searched for {@code dataset}, in order: those {@linkplain
   * Builder#systemLocations configured}, or else the dataset's {@linkplain DatasetSpec#systemLocations own}.
   */
  public List<Path> systemLocationsFor(DatasetSpec dataset) {
    return systemLocations != null ? systemLocations : dataset.systemLocations();
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
   * The dataset, from the explicit folder, else the cache, else a system installation, else
   * downloaded into the cache (see the class description).
   *
   * @throws DatasetUnavailableException if it is neither present nor downloadable
   * @throws IdxFormatException if files in the explicit folder are malformed
   */
  public MnistDataset resolve(KnownDataset dataset) throws IOException {
    return resolve(dataset.spec());
  }

  /**
   * The dataset, from the explicit folder, else the cache, else a system installation, else
   * downloaded into the cache (see the class description).
   *
   * @throws DatasetUnavailableException if it is neither present nor downloadable
   * @throws IdxFormatException if files in the explicit folder are malformed
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
    Path cache = cacheFolder(dataset);
    Optional<MnistDataset> cached = loadVerified(dataset, cache, new ArrayList<>());
    if (cached.isPresent()) {
      return cached.get();
    }
    List<String> rejected = new ArrayList<>();
    for (Path location : systemLocationsFor(dataset)) {
      Optional<MnistDataset> installed = loadVerified(dataset, location, rejected);
      if (installed.isPresent()) {
        log.info("{}: using the system installation of {} in place (content verified)", location,
            dataset.displayName());
        return installed.get();
      }
    }
    download(dataset, cache, rejected);
    MnistDataset loaded = MnistDataset.load(cache, dataset);
    if (!loaded.matchesOfficialData()) {
      // download() verified every file, so only a concurrent writer can get here
      throw new DatasetUnavailableException(cache + ": the files changed while loading: "
          + String.join("; ", loaded.differencesFromOfficialData()), allFileNameList(dataset), List.of());
    }
    return loaded;
  }

  /**
   * The dataset in {@code folder} if all four files are there and verified; otherwise empty, with
   * the reason added to {@code rejected} (unless the folder holds none of the files).
   */
  private static Optional<MnistDataset> loadVerified(DatasetSpec dataset, Path folder, List<String> rejected)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    MnistDataset loaded;
    try {
      loaded = MnistDataset.load(folder, dataset);
    } catch (DatasetUnavailableException e) {
      if (e.missingFiles().size() < dataset.files().size()) {
        rejected.add(folder + ": incomplete, missing " + String.join(", ", e.missingFiles()));
      }
      return Optional.empty();
    } catch (IdxFormatException e) {
      log.warn("{}: not usable: {}", folder, e.getMessage());
      rejected.add(folder + ": " + e.getMessage());
      return Optional.empty();
    }
    if (loaded.matchesOfficialData()) {
      return Optional.of(loaded);
    }
    String why = folder + ": not the official " + dataset.displayName() + " data: "
        + String.join("; ", loaded.differencesFromOfficialData());
    log.warn("{}; skipping it", why);
    rejected.add(why);
    return Optional.empty();
  }

  /**
   * Whether {@code folder} holds a verified copy of {@code f} (under its published or plain name);
   * deletes unverified ones (malformed, or neither the published bytes nor the published content),
   * since a damaged file beside a good replacement under the other name would be the one loaded.
   */
  private static boolean keepVerified(DatasetFile f, Path folder) throws IOException {
    boolean verified = false;
    for (Path p : List.of(folder.resolve(f.fileName()), folder.resolve(f.role().baseName()))) {
      if (!Files.isRegularFile(p)) {
        continue;
      }
      if (isVerified(f, p)) {
        verified = true;
      } else {
        log.warn("{}: damaged (neither the published file nor its content); deleted, to be fetched again", p);
        Files.delete(p);
      }
    }
    return verified;
  }

  /** Whether {@code p} is the published file {@code f} or holds its published content. */
  private static boolean isVerified(DatasetFile f, Path p) throws IOException {
    if (Files.size(p) == f.size() && Sha256.of(p).equals(f.sha256())) {
      return true;
    }
    if (f.contentSha256().isEmpty()) {
      return false;
    }
    try {
      IdxHeader header = IdxFiles.inspect(p);
      return f.matches(header.sha256(), header.contentSha256());
    } catch (IdxFormatException e) {
      return false;
    }
  }

  /** The verified file of {@code f}'s role in {@code folder} (published or plain name), if any. */
  private static Optional<Path> verifiedFile(DatasetFile f, Path folder) throws IOException {
    for (Path p : List.of(folder.resolve(f.fileName()), folder.resolve(f.role().baseName()))) {
      if (Files.isRegularFile(p) && isVerified(f, p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Makes sure {@code folder} holds the four files of {@code dataset}, verified (see {@link
   * #download(DatasetSpec, Path)}); returns {@code folder}.
   *
   * @throws DatasetUnavailableException if a file could not be had from any source
   */
  public Path download(KnownDataset dataset, Path folder) throws IOException {
    return download(dataset.spec(), folder);
  }

  /**
   * Makes sure {@code folder} holds the four files of {@code dataset}, each the published file or
   * one with the published content; returns {@code folder}. Files already there are verified (a
   * damaged one is replaced); a missing one is copied from a {@linkplain #systemLocationsFor system
   * installation} whose copy verifies, else downloaded from the mirrors (not when offline).
   *
   * @throws DatasetUnavailableException if a file could not be had from any source
   */
  public Path download(DatasetSpec dataset, Path folder) throws IOException {
    return download(dataset, folder, new ArrayList<>());
  }

  private Path download(DatasetSpec dataset, Path folder, List<String> rejected) throws IOException {
    List<DatasetFile> missing = new ArrayList<>();
    for (DatasetFile f : dataset.files()) {
      if (!keepVerified(f, folder)) {
        missing.add(f);
      }
    }
    if (missing.isEmpty()) {
      return folder;
    }
    List<String> attempts = new ArrayList<>();
    List<String> stillMissing = new ArrayList<>();
    for (DatasetFile f : missing) {
      if (copyFromSystemLocation(dataset, f, folder)) {
        continue;
      }
      if (!offline) {
        Files.createDirectories(folder);
      }
      if (offline || !fetchFromMirrors(dataset, f, folder, attempts)) {
        stillMissing.add(f.fileName());
      }
    }
    if (!stillMissing.isEmpty()) {
      throw unavailable(dataset, folder, stillMissing, rejected, attempts);
    }
    return folder;
  }

  /** Copies {@code f} from the first system location holding a verified copy; false if none does. */
  private boolean copyFromSystemLocation(DatasetSpec dataset, DatasetFile f, Path folder) throws IOException {
    for (Path location : systemLocationsFor(dataset)) {
      Optional<Path> source = verifiedFile(f, location);
      if (source.isPresent()) {
        Path target = folder.resolve(source.get().getFileName());
        Path temp = AtomicFiles.tempFileBeside(target);
        try {
          Files.copy(source.get(), temp, StandardCopyOption.REPLACE_EXISTING);
          if (!isVerified(f, temp)) {
            continue; // changed while copying
          }
          AtomicFiles.moveIntoPlace(temp, target);
          temp = null;
          log.info("{}: copied from the system installation {} (content verified)", target, source.get());
          return true;
        } finally {
          if (temp != null) {
            AtomicFiles.deleteQuietly(temp);
          }
        }
      }
    }
    return false;
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
      List<String> rejected, List<String> attempts) {
    StringBuilder m = new StringBuilder();
    m.append(dataset.displayName()).append(" is not available: missing ").append(String.join(", ", missing))
        .append(" in ").append(folder).append(". ");
    if (!rejected.isEmpty()) {
      m.append("Local copies rejected: ").append(String.join("; ", rejected)).append(". ");
    }
    if (offline) {
      m.append("Offline mode: nothing was downloaded. ");
    } else if (mirrorsFor(dataset).isEmpty()) {
      m.append("No mirrors were configured. ");
    } else {
      m.append("Download failed: ").append(String.join("; ", attempts)).append(". ");
    }
    // no command-line words here: a command adds how its own users name that folder
    m.append("To supply the files yourself, use a folder holding ")
        .append(allFileNames(dataset)).append(" as the data folder")
        .append(", or place them under $").append(HOME_VARIABLE).append('/').append(dataset.id()).append('/')
        .append(" (here: ").append(cacheFolder(dataset)).append(").");
    List<String> all = new ArrayList<>(rejected);
    all.addAll(attempts);
    return new DatasetUnavailableException(m.toString(), missing, all);
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
    private List<Path> systemLocations;
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

    /**
     * System installation folders to look in (after the cache, before the mirrors) instead of the
     * dataset's own {@link DatasetSpec#systemLocations()}; an empty list looks in none.
     */
    public Builder systemLocations(List<Path> folders) {
      this.systemLocations = List.copyOf(folders);
      return this;
    }

    /** Never download (default false); the cache and system installations are still used. */
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
