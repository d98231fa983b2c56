package dev.mnistlab.tracking.internal.provenance;

import dev.mnistlab.tracking.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a {@link Provenance.Builder} from this process. Every probe is best-effort: a missing
 * {@code git}, repository, {@code /proc/cpuinfo} or ND4J leaves its fields empty instead of failing.
 */
public final class ProvenanceCollector {
  private static final Logger LOG = LoggerFactory.getLogger(ProvenanceCollector.class);

  /** Libraries whose versions change results or behaviour (groupId/artifactId). */
  static final List<String> LIBRARIES = List.of(
      "dev.mnistlab/mnist-tracking", "dev.mnistlab/mnist-data", "dev.mnistlab/mnist-models",
      "dev.mnistlab/mnist-experiments", "org.deeplearning4j/deeplearning4j-nn",
      "org.nd4j/nd4j-api", "org.nd4j/nd4j-native", "org.bytedeco/javacpp",
      "org.bytedeco/openblas", "org.bytedeco/mkl-dnn", "com.squareup.okhttp3/okhttp",
      "com.fasterxml.jackson.core/jackson-databind", "org.xerial/sqlite-jdbc",
      "org.postgresql/postgresql", "com.google.guava/guava");

  private ProvenanceCollector() {}

  /** Fills the builder from this process and returns it. */
  public static Provenance.Builder capture(Provenance.Builder b) {
    git(b, Path.of("").toAbsolutePath());
    b.cpu(cpuModel(), Runtime.getRuntime().availableProcessors());
    b.hostName(hostName());
    b.program(System.getProperty("sun.java.command", "").split(" ")[0]);
    libraries(b);
    nd4j(b);
    return b;
  }

  /** Runs {@code git} in {@code dir}; leaves the fields empty if git or the repository is absent. */
  public static void git(Provenance.Builder b, Path dir) {
    String commit = run(dir, "git", "rev-parse", "HEAD");
    if (commit == null || commit.isBlank()) {
      return;
    }
    String status = run(dir, "git", "status", "--porcelain", "--untracked-files=no");
    b.git(commit.strip(), status == null ? null : !status.isBlank());
    String remote = run(dir, "git", "config", "--get", "remote.origin.url");
    if (remote != null && !remote.isBlank()) {
      b.gitRemote(remote.strip().replaceAll("//[^/@]*@", "//"));
    }
  }

  private static String run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null; // git not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    String env = System.getenv("PROCESSOR_IDENTIFIER");
    return env != null ? env : null;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env;
    }
  }

  private static void libraries(Provenance.Builder b) {
    ClassLoader cl = ProvenanceCollector.class.getClassLoader();
    for (String lib : LIBRARIES) {
      String path = "META-INF/maven/" + lib + "/pom.properties";
      try (InputStream in = cl.getResourceAsStream(path)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          String v = p.getProperty("version");
          if (v != null) {
            b.libraryVersion(lib.replace('/', ':'), v);
          }
        }
      } catch (IOException e) {
        LOG.debug("cannot read {}: {}", path, e.getMessage());
      }
    }
    try {
      // OkHttp's jar carries no pom.properties; it publishes its version as a constant
      Object v = Class.forName("okhttp3.OkHttp").getField("VERSION").get(null);
      b.libraryVersion("com.squareup.okhttp3:okhttp", String.valueOf(v));
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.debug("OkHttp version unavailable: {}", e.toString());
    }
  }

  /** Asks ND4J for its backend and environment, only if ND4J is on the class path. */
  private static void nd4j(Provenance.Builder b) {
    try {
      Class.forName("org.nd4j.linalg.factory.Nd4j", false, ProvenanceCollector.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return;
    }
    try {
      Nd4jProbe.fill(b);
    } catch (Throwable t) { // NOPMD: no backend, broken natives: provenance must never fail a run
      LOG.debug("ND4J environment unavailable: {}", t.toString());
    }
  }

  /** Isolated so the ND4J classes are only touched after the class-path check. */
  private static final class Nd4jProbe {
    static void fill(Provenance.Builder b) {
      org.nd4j.linalg.factory.Nd4jBackend backend = org.nd4j.linalg.factory.Nd4j.getBackend();
      Map<String, String> env = new LinkedHashMap<>();
      java.util.Properties info = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
      for (String key : info.stringPropertyNames()) {
        env.put(key, info.getProperty(key));
      }
      try {
        env.put("blas.vendor", String.valueOf(org.nd4j.linalg.factory.Nd4j.factory().blas().getBlasVendor()));
      } catch (RuntimeException e) {
        // backend without BLAS information
      }
      env.put("helpers.disabled",
          System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "(default)"));
      b.nd4j(backend.getClass().getName(), env);
    }
  }
}
