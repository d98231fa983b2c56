package dev.mnistlab.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Podman (and podman-compose) for the image tests, with a private image store and volumes in a
 * temporary folder (nothing is left in the machine's podman storage; networks stay in the machine's
 * configuration so that concurrent runs get distinct bridges and subnets, and their users remove
 * them),
 * given to every podman call by {@code CONTAINERS_STORAGE_CONF} and {@code CONTAINERS_CONF}, with
 * the settings this kind of sandbox needs, as found in
 * {@code shared/notes/spark-and-containers.md}: the {@code runc} runtime (crun fails on the hybrid
 * cgroup set-up) and lowered ulimits (the defaults fail with "setrlimit: Operation not
 * permitted"). Every command is bounded in time; {@link #close()} removes containers, volumes,
 * images and the store.
 */
final class Podman implements AutoCloseable {
  /** What a command printed and how it ended. */
  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  /** The tools the tests run; missing ones fail the tests (CI installs them in .ci/run). */
  static final List<String> TOOLS = List.of("podman", "skopeo", "runc", "podman-compose");

  private final Path dir;
  private final Map<String, String> settings;

  private Podman(Path dir) throws IOException {
    this.dir = dir;
    Path storage = dir.resolve("storage.conf");
    Files.writeString(storage, "[storage]\ndriver = \"overlay\"\n"
        + "graphroot = \"" + dir.resolve("root") + "\"\n"
        + "runroot = \"" + dir.resolve("runroot") + "\"\n");
    Path containers = dir.resolve("containers.conf");
    Files.writeString(containers, "[containers]\n"
        + "default_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n"
        + "[engine]\nruntime = \"runc\"\n");
    this.settings = Map.of("CONTAINERS_STORAGE_CONF", storage.toString(),
        "CONTAINERS_CONF", containers.toString());
  }

  static Podman withPrivateStore() throws IOException {
    for (String tool : TOOLS) {
      if (!onPath(tool)) {
        throw new IllegalStateException(tool + " not found on PATH: the image tests need " + TOOLS
            + " (apt-get install -y podman skopeo runc mmdebstrap; .ci/run does this in CI)");
      }
    }
    return new Podman(Files.createTempDirectory("mnistlab-podman-"));
  }

  /** Runs {@code podman ARGS} against the private store. */
  Result podman(Duration timeout, String... args) throws IOException, InterruptedException {
    return podman(timeout, Map.of(), args);
  }

  /**
   * Runs {@code podman ARGS} with extra environment variables for podman itself, so that secrets
   * reach a container by name ({@code -e WANDB_API_KEY}) and never appear on a command line.
   */
  Result podman(Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run("podman", timeout, env, args);
  }

  /** Runs {@code podman-compose ARGS} against the private store, with extra environment. */
  Result compose(Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run("podman-compose", timeout, env, args);
  }

  private Result run(String tool, Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.putAll(settings);
    return exec(command, all, timeout);
  }

  /**
   * The {@code podman run} options every test container gets: named, not removed on exit (so that
   * its changes can be inspected).
   */
  static List<String> runOptions(String name) {
    return List.of("run", "--name", name);
  }

  /** Runs any command (skopeo, git), bounded in time, without the machine's W&B and PG settings. */
  static Result exec(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    return exec(command, Map.of(), timeout);
  }

  private static Result exec(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("mnistlab-exec-", ".out");
    Path err = Files.createTempFile("mnistlab-exec-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      // the child sees no W&B settings of the machine running the tests
      pb.environment().keySet().removeIf(k -> k.startsWith("WANDB_") || k.startsWith("PG"));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException("timed out after " + timeout + ": " + String.join(" ", command)
            + "\n" + Files.readString(out, StandardCharsets.UTF_8)
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String d : path.split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    try {
      podman(Duration.ofMinutes(1), "rm", "--all", "--force");
      podman(Duration.ofMinutes(1), "volume", "prune", "--force");
      podman(Duration.ofMinutes(1), "rmi", "--all", "--force");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
