package dev.mnistlab.spark.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on loopback, built from the test's own class path (no Spark
 * distribution): a stand-in {@code SPARK_HOME} ({@code jars/} linking every jar of the class path,
 * {@code conf/} with a quiet logback config, a {@code RELEASE} file), then a master and workers as
 * child JVMs with Spark's Java 17 flags. {@link #close()} kills every process it started and the
 * executors they launched, waiting a bounded time. (Not {@code ChildJvm}: these children need
 * Spark's own class-path layout and environment.)
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Pattern ALIVE = Pattern.compile("\"state\"\\s*:\\s*\"ALIVE\"");

  private final Path home;
  private final int masterPort;
  private final int webUiPort;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .build();

  private StandaloneCluster(Path home, int masterPort, int webUiPort, Process master) {
    this.home = home;
    this.masterPort = masterPort;
    this.webUiPort = webUiPort;
    this.master = master;
  }

  /** Starts a master and {@code workers} one-core workers, and waits until they are ALIVE. */
  public static StandaloneCluster start(int workers) throws IOException, InterruptedException {
    Path home = sparkHome();
    int port = freePort();
    int ui = freePort();
    Process master = launch(home, "master", List.of("org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port",
        String.valueOf(ui)));
    StandaloneCluster cluster = new StandaloneCluster(home, port, ui, master);
    try {
      for (int i = 0; i < workers; i++) {
        cluster.addWorker();
      }
      cluster.awaitAliveWorkers(workers, Duration.ofSeconds(90));
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** Starts one more one-core worker (not waiting for it). */
  public Process addWorker() throws IOException {
    int n = workers.size() + 1;
    Path work = Files.createDirectories(home.resolve("work-" + n));
    Process w = launch(home, "worker-" + n, List.of("org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port",
        String.valueOf(freePort()), "--work-dir", work.toString(), masterUrl()));
    workers.add(w);
    return w;
  }

  /** The worker processes started, in order. */
  public List<Process> workers() {
    return List.copyOf(workers);
  }

  /** Kills a worker and the executor it launched, as a machine failing would (SIGKILL). */
  public void kill(Process worker) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(worker.descendants().toList());
    all.add(worker.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> h).join();
    }
  }

  /** The master's JSON status ({@code /json/}). */
  public String status() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Waits until at least {@code n} workers are ALIVE. */
  public void awaitAliveWorkers(int n, Duration timeout) throws IOException, InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < until) {
      if (!master.isAlive()) {
        throw new IllegalStateException("the Spark master exited: " + log("master"));
      }
      try {
        last = status();
        Matcher m = ALIVE.matcher(last.replaceAll("\"status\"\\s*:\\s*\"ALIVE\"", ""));
        int alive = 0;
        while (m.find()) {
          alive++;
        }
        if (alive >= n) {
          return;
        }
      } catch (IOException notYet) {
        // the master's web UI is not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("fewer than " + n + " Spark workers ALIVE after " + timeout
        + ": " + last + "\nworker-1 log: " + log("worker-1"));
  }

  private String log(String name) {
    try {
      return Files.readString(home.resolve(name + ".log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : workers) {
      all.addAll(p.descendants().toList());
      all.add(p.toHandle());
    }
    all.addAll(master.descendants().toList());
    all.add(master.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
    for (ProcessHandle h : all) {
      h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(t -> h).join();
    }
    try (var paths = Files.walk(home)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp folder left behind
    }
  }

  /**
   * The full command lines of the executors the workers launched, from {@code /proc} (the JDK's
   * {@code ProcessHandle.Info} gives up on command lines as long as an executor's class path).
   */
  public List<String> executorCommandLines() throws IOException {
    List<String> lines = new ArrayList<>();
    for (Process w : workers) {
      for (ProcessHandle h : w.descendants().toList()) {
        Path cmdline = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        if (Files.exists(cmdline)) {
          String line = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
              .replace('\0', ' ');
          if (line.contains("CoarseGrainedExecutorBackend")) {
            lines.add(line);
          }
        }
      }
    }
    return lines;
  }

  /** Every process still running that this cluster started (none after {@link #close()}). */
  public List<ProcessHandle> running() {
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : workers) {
      all.addAll(p.descendants().toList());
      all.add(p.toHandle());
    }
    all.addAll(master.descendants().toList());
    all.add(master.toHandle());
    return all.stream().filter(ProcessHandle::isAlive).toList();
  }

  private static Process launch(Path home, String name, List<String> mainAndArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    for (String flag : System.getProperty("spark.java17.options", "").split("\\s+")) {
      if (!flag.isBlank()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(home.resolve("conf") + ":" + home.resolve("jars") + "/*");
    command.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(home.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.12");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("WANDB_API_KEY");
    return pb.start();
  }

  private static Path sparkHome() throws IOException {
    Path home = Files.createTempDirectory("mnistlab-spark-home-");
    Path jars = Files.createDirectories(home.resolve("jars"));
    Set<String> names = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      String file = p.getFileName().toString();
      // Spark's own jars and their dependencies; the application reaches executors through
      // spark.executor.extraClassPath
      if (file.endsWith(".jar") && Files.isRegularFile(p) && names.add(file)) {
        Files.createSymbolicLink(jars.resolve(file), p.toAbsolutePath());
      }
    }
    Path conf = Files.createDirectories(home.resolve("conf"));
    // Spark logs through SLF4J, which finds logback on this class path
    Files.writeString(conf.resolve("logback.xml"), """
        <configuration>
          <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss} %-5level %logger{0}: %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.spark.deploy" level="INFO"/>
          <root level="WARN"><appender-ref ref="out"/></root>
        </configuration>
        """, StandardCharsets.UTF_8);
    Files.writeString(home.resolve("RELEASE"), "Spark from Maven jars (mnistlab tests)\n");
    return home;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
