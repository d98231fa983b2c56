package dev.mnistlab.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.testing.PostgresServer;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image as users get it: the tarballs {@code ./mvnw -Pimage package} wrote (Docker and OCI),
 * loaded into podman and run with the README's command, the shared 10k MNIST mounted read-only on
 * {@code /data} and a host folder on {@code /runs}.
 *
 * <p>Networking: the containers use the host's network namespace only to reach servers these tests
 * start on 127.0.0.1 (a W&amp;B stand-in, PostgreSQL from Debian); nothing else is contacted.
 * Runs in {@code ./mvnw verify} when podman is installed (the root pom's {@code image-tests}
 * profile; .ci/run installs it), after the image was built in the {@code package} phase.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageIT {
  private static final Duration SHORT = Duration.ofMinutes(2);
  private static final Duration SWEEP = Duration.ofMinutes(8);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dockerTar = Path.of(property("image.docker.tar"));
  private final Path ociTar = Path.of(property("image.oci.tar"));
  private final String image = property("image.name");
  private final Path repository = Path.of(property("mnistlab.repository")).toAbsolutePath()
      .normalize();
  private final Path data = Path.of(property("mnistlab.data")).toAbsolutePath().normalize();

  private Podman podman;

  @BeforeAll
  void loadImage() throws Exception {
    assertThat(dockerTar).as("the Docker tarball of ./mvnw -Pimage package").isRegularFile();
    assertThat(ociTar).as("the OCI tarball of ./mvnw -Pimage package").isRegularFile();
    assertThat(data.resolve("train-images-idx3-ubyte.gz"))
        .as("shared test data (../shared/data/mnist-10k beside the repository)").isRegularFile();
    podman = Podman.withPrivateStore();
    Podman.Result load = podman.podman(SHORT, "load", "--quiet", "--input", dockerTar.toString());
    assertThat(load.exitCode()).as(load.output()).isZero();
  }

  @AfterAll
  void removeImages() throws IOException {
    if (podman != null) {
      podman.close();
    }
  }

  @Test
  void bothTarballsAreImagesWithTheCliEntrypointNonRootUserVolumesAndOciLabels() throws Exception {
    String revision = Podman.exec(List.of("git", "-C", repository.toString(), "rev-parse", "HEAD"),
        SHORT).stdout().strip();
    for (String reference : List.of("docker-archive:" + dockerTar, "oci-archive:" + ociTar)) {
      Podman.Result inspect = Podman.exec(List.of("skopeo", "inspect", "--config", reference),
          SHORT);
      assertThat(inspect.exitCode()).as(reference + ": " + inspect.output()).isZero();
      JsonNode config = JSON.readTree(inspect.stdout()).path("config");
      assertThat(config.path("User").asText()).as(reference).isEqualTo("1000:1000");
      assertThat(config.path("WorkingDir").asText()).isEqualTo("/mnistlab");
      assertThat(config.path("Entrypoint").toString()).isEqualTo("[\"/usr/local/bin/mnistlab\"]");
      assertThat(config.path("Env").toString()).contains("MNISTLAB_HOME=/cache")
          .doesNotContain("WANDB_API_KEY").doesNotContain("PGPASSWORD");
      assertThat(config.path("Volumes").has("/runs")).isTrue();
      assertThat(config.path("Volumes").has("/cache")).isTrue();
      JsonNode labels = config.path("Labels");
      assertThat(labels.path("org.opencontainers.image.source").asText())
          .isEqualTo("https://github.com/mnistlab/mnistlab");
      assertThat(labels.path("org.opencontainers.image.revision").asText())
          .isEqualTo(revision).hasSize(40);
      assertThat(labels.path("org.opencontainers.image.version").asText())
          .isEqualTo(property("image.version"));
      assertThat(labels.path("org.opencontainers.image.licenses").asText())
          .isEqualTo("Apache-2.0");
    }
    Podman.Result manifest = Podman.exec(List.of("skopeo", "inspect", "--raw",
        "oci-archive:" + ociTar), SHORT);
    assertThat(JSON.readTree(manifest.stdout()).path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
  }

  @Test
  void readmeQuickstartSweepWritesStoreAndResultsToRunsAsNonRootAndKeepsTheWandbKeyOutOfFiles(
      @TempDir Path tmp) throws Exception {
    Path runs = writableFolder(tmp.resolve("runs"));
    try (WandbStandIn wandb = new WandbStandIn()) {
      String name = "quickstart";
      List<String> run = new ArrayList<>(Podman.runOptions(name));
      run.addAll(List.of("--network=host", "-e", "WANDB_API_KEY", "-e", "WANDB_BASE_URL",
          "-v", data + ":/data:ro", "-v", runs + ":/runs",
          image, "sweep", "experiments/quickstart.json", "--data-dir", "/data"));
      Podman.Result sweep = podman.podman(SWEEP,
          Map.of("WANDB_API_KEY", WandbStandIn.KEY, "WANDB_BASE_URL", wandb.baseUrl()),
          run.toArray(String[]::new));
      assertThat(sweep.exitCode()).as(sweep.output()).isZero();
      // ND4J's onednn backend loaded inside the image
      assertThat(sweep.output()).contains("nd4j.classifier=linux-x86_64-onednn")
          .contains("onednn.compiled=true");

      // the store and the results are in the mounted /runs, written by the image's user
      Path results = runs.resolve("quickstart");
      assertThat(runs.resolve("mnistlab.db")).isRegularFile();
      assertThat(results.resolve("results.json")).isRegularFile();
      assertThat(results.resolve("report.html")).isRegularFile();
      assertThat(results.resolve("best-model.zip")).isRegularFile();
      List<String> csv = Files.readAllLines(results.resolve("results.csv"));
      assertThat(csv).hasSize(5);
      assertThat(csv.subList(1, 5)).allSatisfy(line -> assertThat(line).contains("finished"));
      try (Stream<Path> written = Files.walk(runs)) {
        for (Path p : written.filter(p -> !p.equals(runs)).toList()) {
          assertThat(Files.getAttribute(p, "unix:uid")).as(p.toString()).isEqualTo(1000);
        }
      }
      try (LocalStore store = LocalStore.open(runs.resolve("mnistlab.db"))) {
        List<RunRecord> recorded = store.runs(RunQuery.builder().group("quickstart").build());
        assertThat(recorded).hasSize(4)
            .allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.FINISHED));
      }

      // WANDB_* reached the program: all four runs were streamed to the stand-in, complete
      assertThat(wandb.runs()).hasSize(4);
      assertThat(wandb.runs().values()).allSatisfy(r -> assertThat(r.complete).isTrue());
      assertThat(wandb.violations()).isEmpty();

      // ... and the key is in no file the container wrote, nor in its output
      assertThat(sweep.output()).doesNotContain(WandbStandIn.KEY);
      assertThat(filesContaining(runs, WandbStandIn.KEY)).isEmpty();
      assertThat(changedFilesContaining(name, WandbStandIn.KEY)).isEmpty();
    }
  }

  @Test
  void runStoreInPostgresqlTakesThePasswordFromPgpasswordAndNeverWritesOrPrintsIt(
      @TempDir Path tmp) throws Exception {
    String password = "pw-" + Long.toHexString(System.nanoTime()) + ":with\\specials";
    Path runs = writableFolder(tmp.resolve("runs"));
    Path config = Path.of(property("tiny.sweep")).toAbsolutePath();
    try (PostgresServer pg = PostgresServer.start()) {
      String admin = pg.createDatabase("mnistlab_image");
      requirePassword(admin, password);
      String store = admin.substring(0, admin.indexOf('?')) + "?user=mnistlab";

      // without the password the server refuses: the password really is checked
      Podman.Result refused = podman.podman(SHORT, concat(Podman.runOptions("no-password"),
          "--network=host", image, "runs", "list", "--store", store));
      assertThat(refused.exitCode()).as(refused.output()).isNotZero();
      assertThat(refused.output()).contains("password");

      Podman.Result sweep = podman.podman(SWEEP, Map.of("PGPASSWORD", password),
          concat(Podman.runOptions("postgres"), "--network=host", "-e", "PGPASSWORD",
          "-v", data + ":/data:ro", "-v", runs + ":/runs", "-v", config + ":/config/tiny.json:ro",
          image, "sweep", "/config/tiny.json", "--data-dir", "/data", "--store", store));
      assertThat(sweep.exitCode()).as(sweep.output()).isZero();
      assertThat(runs.resolve("tiny/results.csv")).isRegularFile();
      assertThat(runs.resolve("mnistlab.db")).as("the store is PostgreSQL, not SQLite")
          .doesNotExist();
      try (LocalStore db = LocalStore.open(admin)) {
        List<RunRecord> recorded = db.runs(RunQuery.builder().group("tiny").build());
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).state()).isEqualTo(RunState.FINISHED);
      }

      assertThat(sweep.output()).doesNotContain(password);
      assertThat(filesContaining(runs, password)).isEmpty();
      assertThat(changedFilesContaining("postgres", password)).isEmpty();
    }
  }

  @Test
  void composeSetUpRunsTheSweepAgainstPostgresqlInItsOwnContainer(@TempDir Path tmp)
      throws Exception {
    // the PostgreSQL image: compose.yaml's default is postgres:16 from Docker Hub, which cannot be
    // pulled here; a stand-in with the same environment interface is built from Debian's packages
    Path postgresTar = Path.of(property("postgres.image.tar"));
    String postgresImage = "localhost/mnistlab-test-postgres:15";
    Podman.Result built = Podman.exec(List.of("bash",
        repository.resolve("container/src/test/postgres-image/build.sh").toString(),
        postgresTar.toString(), postgresImage), Duration.ofMinutes(6));
    assertThat(built.exitCode()).as(built.output()).isZero();
    Podman.Result load = podman.podman(SHORT, "load", "--quiet", "--input", postgresTar.toString());
    assertThat(load.exitCode()).as(load.output()).isZero();

    Path experiments = Files.createDirectories(tmp.resolve("experiments"));
    Files.copy(Path.of(property("tiny.sweep")), experiments.resolve("tiny.json"));
    String password = "pw-" + Long.toHexString(System.nanoTime()) + ":compose";
    // unique: compose networks (bridge, DNS) are per machine, and other builds may run this test
    String project = "mnistlab-it-" + ProcessHandle.current().pid();
    Map<String, String> env = Map.of("POSTGRES_PASSWORD", password,
        "POSTGRES_IMAGE", postgresImage, "MNISTLAB_IMAGE", image,
        "MNISTLAB_DATA", data.toString(), "MNISTLAB_EXPERIMENTS", experiments.toString(),
        "MNISTLAB_SWEEP", "experiments/tiny.json");
    String compose = repository.resolve("compose.yaml").toString();
    StringBuilder output = new StringBuilder();

    try {
      Podman.Result db = podman.compose(SHORT, env, "-f", compose, "-p", project, "up", "-d", "db");
      output.append(db.output());
      assertThat(db.exitCode()).as(db.output()).isZero();
      // podman-compose 1.0.3 does not wait for `condition: service_healthy` (docker compose does):
      // run the file's health check until it passes, then start the sweep
      String dbContainer = project + "_db_1";
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Podman.Result health;
      do {
        Thread.sleep(500);
        health = podman.podman(SHORT, "healthcheck", "run", dbContainer);
      } while (health.exitCode() != 0 && System.nanoTime() < deadline);
      assertThat(health.exitCode()).as("the db service's health check: " + health.output()
          + podman.podman(SHORT, "logs", dbContainer).output()).isZero();

      Podman.Result up = podman.compose(SHORT, env, "-f", compose, "-p", project, "up", "-d",
          "--no-deps", "mnistlab");
      output.append(up.output());
      assertThat(up.exitCode()).as(up.output()).isZero();
      String sweepContainer = project + "_mnistlab_1";
      Podman.Result waited = podman.podman(SWEEP, "wait", sweepContainer);
      Podman.Result logs = podman.podman(SHORT, "logs", sweepContainer);
      output.append(logs.output());
      assertThat(waited.stdout().strip()).as(logs.output()).isEqualTo("0");
      assertThat(logs.output()).contains("runs      jdbc:postgresql://db:5432/mnistlab");

      // the run is in PostgreSQL: the README's command lists it from another container
      Podman.Result list = podman.compose(SHORT, env, "-f", compose, "-p", project, "run", "--rm",
          "--no-deps", "mnistlab", "runs", "list", "--store",
          "jdbc:postgresql://db:5432/mnistlab?user=mnistlab");
      output.append(list.output());
      assertThat(list.exitCode()).as(list.output()).isZero();
      assertThat(list.stdout()).contains("tiny-t1").contains("finished").contains("1 run(s)");

      // the results are in the runs volume
      Podman.Result volume = podman.podman(SHORT, "volume", "inspect", project + "_runs",
          "--format", "{{.Mountpoint}}");
      Path runs = Path.of(volume.stdout().strip());
      assertThat(runs.resolve("tiny/results.csv")).isRegularFile();
      assertThat(runs.resolve("mnistlab.db")).doesNotExist();

      // the password was in no command line podman-compose printed, no output and no file
      assertThat(output.toString()).doesNotContain(password);
      assertThat(filesContaining(runs, password)).isEmpty();
      assertThat(changedFilesContaining(sweepContainer, password)).isEmpty();
    } finally {
      podman.compose(SHORT, env, "-f", compose, "-p", project, "down", "-v");
      podman.podman(SHORT, "network", "rm", "--force", project + "_default");
    }
  }

  /** Gives the database to a role {@code mnistlab} with a password and makes the server ask it. */
  private static void requirePassword(String adminUrl, String password) throws Exception {
    try (Connection c = DriverManager.getConnection(adminUrl);
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE mnistlab LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      s.execute("ALTER DATABASE mnistlab_image OWNER TO mnistlab");
      s.execute("GRANT ALL ON SCHEMA public TO mnistlab");
      Path hba;
      try (ResultSet r = s.executeQuery("SHOW hba_file")) {
        r.next();
        hba = Path.of(r.getString(1));
      }
      // the test's own admin connections stay trusted; everyone else needs a password
      Files.writeString(hba, "local all all trust\n"
          + "host all postgres 127.0.0.1/32 trust\n"
          + "host all all 127.0.0.1/32 scram-sha-256\n");
      s.execute("SELECT pg_reload_conf()");
    }
  }

  /** Files under {@code dir} whose bytes contain {@code secret}. */
  private static List<Path> filesContaining(Path dir, String secret) throws IOException {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(p), needle) >= 0) {
          hits.add(p);
        }
      }
    }
    return hits;
  }

  /**
   * The files a container added or changed in its own layer ({@code podman diff}), read through
   * {@code podman mount}, that contain {@code secret}.
   */
  private List<String> changedFilesContaining(String container, String secret) throws Exception {
    Podman.Result diff = podman.podman(SHORT, "diff", container);
    assertThat(diff.exitCode()).as(diff.output()).isZero();
    Podman.Result mount = podman.podman(SHORT, "mount", container);
    assertThat(mount.exitCode()).as(mount.output()).isZero();
    Path root = Path.of(mount.stdout().strip());
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    List<String> hits = new ArrayList<>();
    int files = 0;
    try {
      for (String line : diff.stdout().split("\n")) {
        if (!line.startsWith("A ") && !line.startsWith("C ")) {
          continue;
        }
        Path p = root.resolve(line.substring(2).strip().substring(1));
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          files++;
          if (indexOf(Files.readAllBytes(p), needle) >= 0) {
            hits.add(line.substring(2).strip());
          }
        }
      }
    } finally {
      podman.podman(SHORT, "unmount", container);
    }
    assertThat(files).as("the container wrote files of its own (JVM temp files at least): "
        + diff.stdout()).isPositive();
    return hits;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A host folder the image's user (uid 1000) can write, as a user would prepare {@code runs}. */
  private static Path writableFolder(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    return dir;
  }

  private static String[] concat(List<String> first, String... rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + name + " not set: run the image tests"
          + " through Maven (./mvnw verify with podman installed)");
    }
    return value;
  }
}
