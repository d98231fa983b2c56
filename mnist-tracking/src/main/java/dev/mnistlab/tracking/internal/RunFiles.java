package dev.mnistlab.tracking.internal;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Provenance;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files every run carries to W&amp;B's Files and Overview tabs (PROTOCOL §11.1), made from what
 * the run already knows: {@code wandb-metadata.json} (host, OS, Java runtime, program and command
 * line, git, CPUs, memory, start time), {@code config.yaml} (W&amp;B's {@code value}-wrapped form)
 * and {@code dependencies.txt} (group:artifact:version of every jar on the class path, in the
 * role of Python's {@code requirements.txt}).
 */
public final class RunFiles {
  /** W&amp;B's run metadata file. */
  public static final String METADATA = "wandb-metadata.json";
  /** The run config as W&amp;B's client writes it. */
  public static final String CONFIG = "config.yaml";
  /** The resolved dependency list. */
  public static final String DEPENDENCIES = "dependencies.txt";
  /** Names W&amp;B or mnistlab writes; a user's file may not take them. */
  public static final Set<String> RESERVED = Set.of(METADATA, CONFIG, DEPENDENCIES,
      "wandb-summary.json", "output.log", "wandb-events.jsonl", "wandb-history.jsonl",
      "requirements.txt");

  private static volatile byte[] dependencies;

  private RunFiles() {}

  /** {@code wandb-metadata.json} of a run started at {@code startMillis} in this process. */
  public static byte[] metadata(Provenance p, long startMillis) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("os", p != null ? p.os() : System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", p != null ? p.javaVersion() + " (" + p.javaVendor() + ")"
        : System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    m.put("startedAt", Instant.ofEpochMilli(startMillis).toString());
    ProcessHandle.Info info = ProcessHandle.current().info();
    String program = p != null && p.program().isPresent() ? p.program().get()
        : System.getProperty("sun.java.command", "");
    m.put("program", LocalStore.redact(program));
    List<String> args = new ArrayList<>();
    info.arguments().ifPresent(a -> {
      for (String s : a) {
        args.add(LocalStore.redact(s)); // a JDBC URL's password never reaches W&B
      }
    });
    m.put("args", args);
    info.command().ifPresent(c -> m.put("executable", c));
    if (p != null) {
      Map<String, Object> git = new LinkedHashMap<>();
      p.gitRemote().ifPresent(r -> git.put("remote", LocalStore.redact(r)));
      p.gitCommit().ifPresent(c -> git.put("commit", c));
      if (!git.isEmpty()) {
        m.put("git", git);
      }
      p.hostName().ifPresent(h -> m.put("host", h));
      p.cpuModel().ifPresent(c -> m.put("cpu", c));
    }
    m.put("root", Path.of("").toAbsolutePath().toString());
    m.put("cpu_count_logical", Runtime.getRuntime().availableProcessors());
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      m.put("memory", Map.of("total", os.getTotalMemorySize()));
    }
    m.put("jvm", Map.of("maxHeap", Runtime.getRuntime().maxMemory()));
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code config.yaml} as W&amp;B's client writes it: {@code wandb_version: 1}, then every key with
   * its {@code value}. Keys and values are written as JSON, which is YAML's flow syntax, so no
   * value needs escaping rules of its own.
   */
  public static byte[] configYaml(Map<String, Object> config) {
    StringBuilder sb = new StringBuilder("wandb_version: 1\n");
    config.forEach((k, v) -> sb.append('\n').append(Json.write(k)).append(":\n  desc: null\n  value: ")
        .append(Json.write(v)).append('\n'));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * group:artifact:version of every jar on the class path, sorted; read from the Maven repository
   * layout of the path ({@code .../group/path/artifact/version/artifact-version.jar}), else the
   * file name. Computed once per process from path strings only (no jar is opened).
   */
  public static byte[] dependencies() {
    byte[] d = dependencies;
    if (d == null) {
      Set<String> lines = new TreeSet<>();
      for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
        if (entry.endsWith(".jar")) {
          lines.add(coordinates(Path.of(entry)));
        }
      }
      d = (String.join("\n", lines) + (lines.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
      dependencies = d;
    }
    return d.clone();
  }

  static String coordinates(Path jar) {
    String file = jar.getFileName().toString();
    Path versionDir = jar.getParent();
    Path artifactDir = versionDir == null ? null : versionDir.getParent();
    if (artifactDir != null && artifactDir.getFileName() != null) {
      String version = versionDir.getFileName().toString();
      String artifact = artifactDir.getFileName().toString();
      if (file.startsWith(artifact + "-" + version)) {
        List<String> group = new ArrayList<>();
        Path p = artifactDir.getParent();
        while (p != null && p.getFileName() != null && !p.getFileName().toString().equals("repository")) {
          group.add(0, p.getFileName().toString());
          p = p.getParent();
        }
        if (p != null && !group.isEmpty()) {
          return String.join(".", group) + ":" + artifact + ":" + version;
        }
      }
    }
    return file.substring(0, file.length() - ".jar".length());
  }
}
