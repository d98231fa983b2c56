package dev.mnistlab.data;

import dev.mnistlab.data.testing.SharedData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.data.internal.Sha256;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution against real HTTP servers on loopback: good, corrupt, dead, failing and slow mirrors. */
class DatasetResolverTest {
  @TempDir Path tmp;
  Path published;
  Path cache;
  DatasetSpec spec;
  MnistDataset original;
  final List<MockWebServer> servers = new ArrayList<>();

  @BeforeEach
  void publishATinyDataset() throws Exception {
    published = tmp.resolve("published");
    cache = tmp.resolve("cache");
    byte[] pixels = new byte[40 * 16];
    byte[] labels = new byte[40];
    for (int i = 0; i < 40; i++) {
      labels[i] = (byte) (i % 10);
      for (int p = 0; p < 16; p++) {
        pixels[i * 16 + p] = (byte) (i * 7 + p * 13);
      }
    }
    LabeledImages all = LabeledImages.of(pixels, labels, 4, 4, 10);
    original = MnistDataset.of("tiny", MnistDataset.digitClassNames(10),
        all.subset(java.util.stream.IntStream.range(0, 30).toArray()),
        all.subset(java.util.stream.IntStream.range(30, 40).toArray()));
    original.write(published, Compression.GZIP);
    DatasetSpec.Builder b = DatasetSpec.builder("tiny").displayName("Tiny-MNIST")
        .classNames(MnistDataset.digitClassNames(10));
    for (FileRole role : FileRole.values()) {
      Path f = published.resolve(role.gzipName());
      b.file(role, role.gzipName(), Files.size(f), Sha256.of(f));
    }
    spec = b.build();
  }

  @AfterEach
  void stopServers() throws IOException {
    for (MockWebServer s : servers) {
      s.close();
    }
  }

  private MockWebServer start(Dispatcher dispatcher) throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(dispatcher);
    server.start();
    servers.add(server);
    return server;
  }

  /** Serves the published files under /data/, transformed by {@code body}. */
  private MockWebServer serving(java.util.function.UnaryOperator<MockResponse> tweak, boolean corrupt)
      throws IOException {
    return servingFrom(published, tweak, corrupt);
  }

  /** Serves the files of {@code root} under /data/, transformed by {@code body}. */
  private MockWebServer servingFrom(Path root, java.util.function.UnaryOperator<MockResponse> tweak,
      boolean corrupt) throws IOException {
    return start(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        Path f = root.resolve(path.substring(path.lastIndexOf('/') + 1));
        if (!path.startsWith("/data/") || !Files.isRegularFile(f)) {
          return new MockResponse().setResponseCode(404);
        }
        try {
          byte[] bytes = Files.readAllBytes(f);
          if (corrupt) {
            bytes[bytes.length / 2] ^= 0x40;
          }
          return tweak.apply(new MockResponse().setBody(new Buffer().write(bytes)));
        } catch (IOException e) {
          return new MockResponse().setResponseCode(500);
        }
      }
    });
  }

  private static URI base(MockWebServer s) {
    return s.url("/data/").uri();
  }

  private URI deadMirror() throws IOException {
    MockWebServer s = new MockWebServer();
    s.start();
    URI uri = s.url("/data/").uri();
    s.close(); // nothing listens on this port any more: connection refused
    return uri;
  }

  private DatasetResolver.Builder resolver(List<URI> mirrors) {
    return DatasetResolver.builder().cacheDir(cache).mirrors(mirrors)
        .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofMillis(400));
  }

  private List<String> cacheFiles() throws IOException {
    Path folder = cache.resolve("tiny");
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void fallsThroughDeadFailingCorruptAndSlowMirrorsToAGoodOne() throws Exception {
    URI dead = deadMirror();
    MockWebServer failing = start(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(503);
      }
    });
    MockWebServer corrupt = serving(r -> r, true);
    MockWebServer slow = serving(r -> r.throttleBody(8, 1, TimeUnit.SECONDS), false);
    MockWebServer good = serving(r -> r, false);

    MnistDataset loaded = resolver(List.of(dead, base(failing), base(corrupt), base(slow), base(good))).build()
        .resolve(spec);

    assertThat(loaded.train().count()).isEqualTo(30);
    assertThat(loaded.test().image(9)).isEqualTo(original.test().image(9));
    assertThat(loaded.matchesOfficialFiles()).isTrue();
    assertThat(loaded.source()).contains(cache.resolve("tiny"));
    assertThat(cacheFiles()).containsExactly("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    assertThat(failing.getRequestCount()).isEqualTo(4);
    assertThat(corrupt.getRequestCount()).isEqualTo(4);
    assertThat(slow.getRequestCount()).isEqualTo(4);
    assertThat(good.getRequestCount()).isEqualTo(4);
    assertThat(good.takeRequest().getPath()).isEqualTo("/data/train-images-idx3-ubyte.gz");
  }

  @Test
  void downloadsEveryFileFromAServerThatClosesEachConnectionUnannounced() throws Exception {
    // like python3 -m http.server (HTTP/1.0): the connection is closed after every response
    // without a "Connection: close" header, so a pooled connection would be dead on reuse
    MockWebServer http10 = serving(r -> r.setSocketPolicy(SocketPolicy.DISCONNECT_AT_END), false);
    MnistDataset loaded = resolver(List.of(base(http10))).build().resolve(spec);
    assertThat(loaded.matchesOfficialFiles()).isTrue();
    assertThat(http10.getRequestCount()).isEqualTo(4);
  }

  @Test
  void neverReusesTheConnectionOfADownloadAbortedForItsSize() throws Exception {
    // the CLI engineer's report: a size-mismatch abort, then "unexpected end of stream" on the
    // labels from the same HTTP/1.0 server; here the mismatching body is abandoned unread
    Path wrongFolder = Files.createDirectories(tmp.resolve("wrong-size"));
    for (FileRole role : FileRole.values()) {
      Files.copy(published.resolve(role.gzipName()), wrongFolder.resolve(role.gzipName()));
    }
    Path images = wrongFolder.resolve("train-images-idx3-ubyte.gz");
    Files.write(images, java.util.Arrays.copyOf(Files.readAllBytes(images), (int) Files.size(images) + 100_000));
    MockWebServer wrongSize = servingFrom(wrongFolder, r -> r.setSocketPolicy(SocketPolicy.DISCONNECT_AT_END), false);
    MockWebServer good = serving(r -> r, false);

    MnistDataset loaded = resolver(List.of(base(wrongSize), base(good))).build().resolve(spec);

    assertThat(loaded.matchesOfficialFiles()).isTrue();
    assertThat(wrongSize.getRequestCount()).isEqualTo(4);
    assertThat(good.getRequestCount()).as("only the wrong-size file comes from the second mirror").isEqualTo(1);
  }

  @Test
  void opensAFreshConnectionForEveryFileEvenWhenAServerKeepsThemAlive() throws Exception {
    // a keep-alive server that sends more bytes than its Content-Length: whatever is left on a
    // connection after an abandoned or over-long body must never be read as the next response
    MockWebServer overlong = start(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        try {
          byte[] bytes = Files.readAllBytes(published.resolve(path.substring(path.lastIndexOf('/') + 1)));
          return new MockResponse().setBody(new Buffer().write(bytes).write(new byte[64]))
              .setHeader("Content-Length", bytes.length);
        } catch (IOException e) {
          return new MockResponse().setResponseCode(500);
        }
      }
    });
    MnistDataset loaded = resolver(List.of(base(overlong))).build().resolve(spec);
    assertThat(loaded.matchesOfficialFiles()).isTrue();
    for (int i = 0; i < 4; i++) {
      RecordedRequest r = overlong.takeRequest();
      assertThat(r.getSequenceNumber()).as("request %s on its own connection", r.getPath()).isZero();
      assertThat(r.getHeader("Connection")).isEqualTo("close");
    }
  }

  /** The tiny spec with the content checksums of its files, as KnownDataset records for Fashion-MNIST. */
  private DatasetSpec withContentChecksums(List<Path> systemLocations) throws IOException {
    DatasetSpec.Builder b = DatasetSpec.builder("tiny").displayName("Tiny-MNIST").classNames(spec.classNames())
        .systemLocations(systemLocations);
    for (DatasetFile f : spec.files()) {
      byte[] content;
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
          Files.newInputStream(published.resolve(f.fileName())))) {
        content = in.readAllBytes();
      }
      java.security.MessageDigest d = Sha256.newDigest();
      b.file(f.withContent(content.length, Sha256.hex(withUpdate(d, content))));
    }
    return b.build();
  }

  private static java.security.MessageDigest withUpdate(java.security.MessageDigest d, byte[] bytes) {
    d.update(bytes);
    return d;
  }

  @Test
  void usesAVerifiedRepackagedSystemInstallationInPlaceWithoutNetwork() throws Exception {
    Path system = tmp.resolve("usr/share/datasets/tiny");
    original.write(system, Compression.NONE); // other file bytes, same content
    MockWebServer good = serving(r -> r, false);
    DatasetSpec tiny = withContentChecksums(List.of(system));

    MnistDataset loaded = resolver(List.of(base(good))).build().resolve(tiny);

    assertThat(loaded.source()).contains(system);
    assertThat(loaded.matchesOfficialData()).isTrue();
    assertThat(loaded.matchesOfficialFiles()).isFalse();
    assertThat(loaded.test().image(9)).isEqualTo(original.test().image(9));
    assertThat(good.getRequestCount()).isZero();
    assertThat(cacheFiles()).as("used in place, not copied").isEmpty();
  }

  @Test
  void rejectsATamperedSystemInstallationWithAClearMessageAndFallsThrough() throws Exception {
    Path system = Files.createDirectories(tmp.resolve("usr/share/datasets/tiny"));
    for (FileRole role : FileRole.values()) {
      Files.copy(published.resolve(role.gzipName()), system.resolve(role.gzipName()));
    }
    byte[] labels;
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
        Files.newInputStream(published.resolve("train-labels-idx1-ubyte.gz")))) {
      labels = in.readAllBytes();
    }
    labels[labels.length - 1] = (byte) ((labels[labels.length - 1] + 1) % 10); // still a valid label
    Files.write(system.resolve("train-labels-idx1-ubyte.gz"), GzipBytes.gzip(labels));
    String tamperedContent = Sha256.hex(withUpdate(Sha256.newDigest(), labels));
    DatasetSpec tiny = withContentChecksums(List.of(system));
    String publishedContent = tiny.file(FileRole.TRAIN_LABELS).contentSha256().orElseThrow();

    DatasetResolver offline = resolver(List.of()).offline(true).build();
    assertThatThrownBy(() -> offline.resolve(tiny))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageStartingWith("Tiny-MNIST is not available: missing train-labels-idx1-ubyte.gz in "
            + cache.resolve("tiny"))
        .hasMessageContaining("Local copies rejected: " + system + ": not the official Tiny-MNIST data:"
            + " train-labels-idx1-ubyte.gz: decompressed content has SHA-256 " + tamperedContent
            + ", the published train-labels-idx1-ubyte has " + publishedContent)
        .hasMessageContaining("Offline mode");

    MockWebServer good = serving(r -> r, false);
    MnistDataset loaded = resolver(List.of(base(good))).build().resolve(tiny);
    assertThat(loaded.source()).contains(cache.resolve("tiny"));
    assertThat(loaded.matchesOfficialFiles()).isTrue();
    assertThat(loaded.train().labels()).isEqualTo(original.train().labels());
    assertThat(good.getRequestCount()).as("the verified system files were copied, only the tampered one fetched")
        .isEqualTo(1);
    assertThat(good.takeRequest().getPath()).isEqualTo("/data/train-labels-idx1-ubyte.gz");
  }

  @Test
  void downloadReplacesADamagedFileWithASystemCopyUnderAnotherNameAndLeavesNoDamagedOneBehind() throws Exception {
    Path system = tmp.resolve("usr/share/datasets/tiny");
    original.write(system, Compression.NONE); // plain names: train-labels-idx1-ubyte, ...
    Path folder = Files.createDirectories(tmp.resolve("target"));
    for (FileRole role : FileRole.values()) {
      Files.copy(published.resolve(role.gzipName()), folder.resolve(role.gzipName()));
    }
    Path damaged = folder.resolve("train-labels-idx1-ubyte.gz");
    byte[] b = Files.readAllBytes(damaged);
    b[b.length - 5] ^= 1;
    Files.write(damaged, b);

    resolver(List.of()).offline(true).build().download(withContentChecksums(List.of(system)), folder);

    assertThat(damaged).doesNotExist();
    assertThat(folder.resolve("train-labels-idx1-ubyte")).hasSameBinaryContentAs(system.resolve("train-labels-idx1-ubyte"));
    MnistDataset loaded = MnistDataset.load(folder, withContentChecksums(List.of()));
    assertThat(loaded.matchesOfficialData()).isTrue();
    assertThat(loaded.train().labels()).isEqualTo(original.train().labels());
  }

  @Test
  void acceptsACachedFileWithThePublishedContentUnderOtherGzipHeaders() throws Exception {
    Path folder = Files.createDirectories(cache.resolve("tiny"));
    for (FileRole role : FileRole.values()) {
      Files.copy(published.resolve(role.gzipName()), folder.resolve(role.gzipName()));
    }
    Path file = folder.resolve("train-images-idx3-ubyte.gz");
    byte[] b = Files.readAllBytes(file);
    b[4] ^= 0x11; // another gzip time stamp: other file checksum, same content
    Files.write(file, b);
    MockWebServer good = serving(r -> r, false);

    MnistDataset loaded = resolver(List.of(base(good))).build().resolve(withContentChecksums(List.of()));

    assertThat(loaded.matchesOfficialData()).isTrue();
    assertThat(loaded.matchesOfficialFiles()).isFalse();
    assertThat(good.getRequestCount()).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(b);
  }

  @Test
  void explainsExactlyWhatIsMissingWhatWasTriedAndHowToSupplyIt() throws Exception {
    URI dead = deadMirror();
    MockWebServer corrupt = serving(r -> r, true);
    MockWebServer slow = serving(r -> r.throttleBody(8, 1, TimeUnit.SECONDS), false);
    MockWebServer notFound = start(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(404);
      }
    });
    DatasetResolver r = resolver(List.of(dead, base(notFound), base(corrupt), base(slow))).build();

    assertThatThrownBy(() -> r.resolve(spec))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageStartingWith("Tiny-MNIST is not available: missing train-images-idx3-ubyte.gz,"
            + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in "
            + cache.resolve("tiny"))
        .hasMessageContaining(dead.resolve("train-images-idx3-ubyte.gz") + ": connection failed")
        .hasMessageContaining(base(notFound).resolve("t10k-labels-idx1-ubyte.gz") + ": HTTP 404")
        .hasMessageContaining(base(corrupt).resolve("train-labels-idx1-ubyte.gz") + ": SHA-256 mismatch: got ")
        .hasMessageContaining(base(slow).resolve("t10k-images-idx3-ubyte.gz") + ": timed out")
        .hasMessageContaining("use a folder holding train-images-idx3-ubyte.gz,"
            + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz"
            + " as the data folder")
        .hasMessageNotContaining("--data-dir")
        .hasMessageContaining("or place them under $MNISTLAB_HOME/tiny/ (here: " + cache.resolve("tiny") + ")")
        .satisfies(e -> {
          DatasetUnavailableException u = (DatasetUnavailableException) e;
          assertThat(u.missingFiles()).hasSize(4);
          assertThat(u.attempts()).hasSize(16);
        });
    assertThat(cacheFiles()).as("nothing half-written is left behind").isEmpty();
  }

  @Test
  void resumesFromTheCacheWithoutNetwork() throws Exception {
    MockWebServer good = serving(r -> r, false);
    resolver(List.of(base(good))).build().resolve(spec);
    assertThat(good.getRequestCount()).isEqualTo(4);

    MnistDataset again = resolver(List.of(deadMirror())).offline(true).build().resolve(spec);
    assertThat(again.train().count()).isEqualTo(30);
    assertThat(again.checksums().values()).containsExactlyElementsOf(
        spec.files().stream().map(DatasetFile::sha256).collect(Collectors.toList()));
    MnistDataset online = resolver(List.of(base(good))).build().resolve(spec);
    assertThat(online.test().count()).isEqualTo(10);
    assertThat(good.getRequestCount()).as("nothing downloaded twice").isEqualTo(4);
  }

  @Test
  void downloadsOnlyTheFilesTheCacheLacks() throws Exception {
    Files.createDirectories(cache.resolve("tiny"));
    Files.copy(published.resolve("train-images-idx3-ubyte.gz"), cache.resolve("tiny/train-images-idx3-ubyte.gz"));
    MockWebServer good = serving(r -> r, false);
    resolver(List.of(base(good))).build().resolve(spec);
    assertThat(good.getRequestCount()).isEqualTo(3);
  }

  @Test
  void replacesADamagedCachedFile() throws Exception {
    Path folder = Files.createDirectories(cache.resolve("tiny"));
    for (FileRole role : FileRole.values()) {
      Files.copy(published.resolve(role.gzipName()), folder.resolve(role.gzipName()));
    }
    Path damaged = folder.resolve("t10k-labels-idx1-ubyte.gz");
    byte[] b = Files.readAllBytes(damaged);
    b[b.length - 5] ^= 1; // same size, but the gzip CRC-32 no longer matches: unreadable
    Files.write(damaged, b);
    MockWebServer good = serving(r -> r, false);
    MnistDataset loaded = resolver(List.of(base(good))).build().resolve(spec);
    assertThat(loaded.matchesOfficialFiles()).isTrue();
    assertThat(good.getRequestCount()).isEqualTo(1);
    assertThat(good.takeRequest().getPath()).isEqualTo("/data/t10k-labels-idx1-ubyte.gz");
    assertThat(Files.readAllBytes(damaged)).isEqualTo(Files.readAllBytes(published.resolve("t10k-labels-idx1-ubyte.gz")));
  }

  @Test
  void redownloadsACachedFileWhoseChecksumDiffersButWhichStillParses() throws Exception {
    Path folder = Files.createDirectories(cache.resolve("tiny"));
    for (FileRole role : FileRole.values()) {
      Files.copy(published.resolve(role.gzipName()), folder.resolve(role.gzipName()));
    }
    // rewrite one file with the same content but a different gzip header time stamp: same size,
    // valid IDX, other checksum
    Path file = folder.resolve("train-labels-idx1-ubyte.gz");
    byte[] b = Files.readAllBytes(file);
    b[4] ^= 0x11;
    Files.write(file, b);
    MockWebServer good = serving(r -> r, false);
    MnistDataset loaded = resolver(List.of(base(good))).build().resolve(spec);
    assertThat(loaded.matchesOfficialFiles()).isTrue();
    assertThat(good.getRequestCount()).isEqualTo(1);
    assertThat(good.takeRequest().getPath()).isEqualTo("/data/train-labels-idx1-ubyte.gz");
    assertThat(Files.readAllBytes(file)).isEqualTo(Files.readAllBytes(published.resolve("train-labels-idx1-ubyte.gz")));
  }

  @Test
  void acceptsLocalFolderMirrorsAndReportsMissingFiles() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty-mirror"));
    MnistDataset loaded = resolver(List.of(empty.toUri(), published.toUri())).build().resolve(spec);
    assertThat(loaded.matchesOfficialFiles()).isTrue();

    DatasetResolver onlyEmpty = DatasetResolver.builder().cacheDir(tmp.resolve("other-cache"))
        .mirrors(List.of(empty.toUri())).build();
    assertThatThrownBy(() -> onlyEmpty.resolve(spec))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining(empty.toUri().resolve("train-images-idx3-ubyte.gz") + ": no such file");
  }

  @Test
  void offlineWithoutCacheSaysSoAndHowToSupplyFiles() {
    DatasetResolver r = DatasetResolver.builder().cacheDir(cache).offline(true).build();
    assertThatThrownBy(() -> r.resolve(KnownDataset.KMNIST))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageContaining("Kuzushiji-MNIST is not available")
        .hasMessageContaining("Offline mode: nothing was downloaded")
        .hasMessageContaining("as the data folder")
        .hasMessageContaining("$MNISTLAB_HOME/kmnist/");
  }

  @Test
  void usesAnExplicitFolderAsIsWithoutTouchingTheNetwork() throws Exception {
    MockWebServer good = serving(r -> r, false);
    MnistDataset loaded = resolver(List.of(base(good))).dataDir(SharedData.mnist10k()).build()
        .resolve(KnownDataset.MNIST);
    assertThat(loaded.train().count()).isEqualTo(8000);
    assertThat(loaded.matchesOfficialFiles()).isFalse();
    assertThat(loaded.matchesOfficialData()).as("a 10k subset is not the official data").isFalse();
    assertThat(loaded.differencesFromOfficialData()).hasSize(4).first().asString()
        .contains("train-images-idx3-ubyte.gz: decompressed content has SHA-256 ")
        .endsWith("the published train-images-idx3-ubyte has ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    assertThat(good.getRequestCount()).isZero();
    assertThat(cacheFiles()).isEmpty();
  }

  @Test
  void rejectsAnExplicitFolderThatDoesNotExist() {
    Path nowhere = tmp.resolve("nowhere");
    assertThatThrownBy(() -> DatasetResolver.builder().dataDir(nowhere).build().resolve(KnownDataset.MNIST))
        .isInstanceOf(DatasetUnavailableException.class)
        .hasMessageStartingWith(nowhere + ": the data folder does not exist");
  }

  @Test
  void reportsProgressUpToEachFilesSize() throws Exception {
    MockWebServer good = serving(r -> r, false);
    List<String> events = new ArrayList<>();
    resolver(List.of(base(good))).progress((name, done, total, finished) -> {
      if (finished) {
        events.add(name + " " + done + "/" + total);
      }
    }).build().resolve(spec);
    assertThat(events).containsExactlyElementsOf(spec.files().stream()
        .map(f -> f.fileName() + " " + f.size() + "/" + f.size()).collect(Collectors.toList()));
  }

  @Test
  void drawsAConsoleProgressBarPerFileWhenAsked() throws Exception {
    MockWebServer good = serving(r -> r, false);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.io.PrintStream ps = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)) {
      resolver(List.of(base(good))).progress(DownloadProgress.consoleBars(ps)).build().resolve(spec);
    }
    String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    for (FileRole role : FileRole.values()) {
      assertThat(text).contains(role.gzipName());
    }
    assertThat(text).contains("100%");
  }

  @Test
  void triesPreferredMirrorsBeforeTheDatasetsOwn() throws Exception {
    MockWebServer good = serving(r -> r, false);
    DatasetSpec.Builder b = DatasetSpec.builder("tiny").displayName("Tiny-MNIST").classNames(spec.classNames())
        .mirrors(List.of(URI.create("http://mirror.invalid/data/")));
    spec.files().forEach(b::file);
    DatasetSpec published = b.build();
    DatasetResolver r = DatasetResolver.builder().cacheDir(cache).preferMirrors(List.of(base(good))).build();
    assertThat(r.mirrorsFor(published)).containsExactly(base(good), URI.create("http://mirror.invalid/data/"));
    assertThat(r.resolve(published).train().count()).isEqualTo(30);
    assertThat(good.getRequestCount()).isEqualTo(4);
  }

  @Test
  void cacheDefaultsToMnistlabHomeElseUserCache() {
    assertThat(DatasetResolver.defaultCacheDir(Map.of("MNISTLAB_HOME", "/data/ml"), "/home/u"))
        .isEqualTo(Path.of("/data/ml"));
    assertThat(DatasetResolver.defaultCacheDir(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/mnistlab"));
    assertThat(DatasetResolver.builder().cacheDir(cache).build().cacheFolder(KnownDataset.FASHION_MNIST))
        .isEqualTo(cache.resolve("fashion"));
  }
}
