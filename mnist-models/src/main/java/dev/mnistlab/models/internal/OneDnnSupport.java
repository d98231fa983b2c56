package dev.mnistlab.models.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the loaded ND4J native library can run DL4J's oneDNN helpers.
 *
 * <p>Three conditions, all checked with the names ND4J 1.0.0-M2.1 actually uses: the backend is the
 * CPU one; the native library was built with oneDNN (its build information, {@code
 * Nd4jBackend#buildInfo()}, lists {@code HAVE_ONEDNN}; only the {@code -onednn*} classifiers do); and
 * oneDNN is switched on ({@code Nd4jCpu.Environment#isUseONEDNN()}) and helpers are allowed.
 */
public final class OneDnnSupport {

  private static final Logger LOG = LoggerFactory.getLogger(OneDnnSupport.class);
  private static volatile Boolean available;

  private OneDnnSupport() {}

  /** True when DL4J's oneDNN helpers can run on the current backend. Probed once. */
  public static boolean available() {
    Boolean result = available;
    if (result == null) {
      result = probe();
      available = result;
    }
    return result;
  }

  /** True when the native library was compiled with oneDNN. */
  public static boolean compiledIn() {
    try {
      return Nd4j.getBackend().buildInfo().contains("HAVE_ONEDNN");
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * The directory name of the loaded {@code libnd4jcpu.so}, which is the nd4j-native classifier
   * (e.g. {@code linux-x86_64-onednn}); read from {@code /proc/self/maps} on Linux.
   */
  public static Optional<String> loadedClassifier() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(maps)) {
      return lines
          .filter(line -> line.endsWith("/libnd4jcpu.so"))
          .map(line -> Path.of(line.substring(line.indexOf('/'))).getParent().getFileName().toString())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean probe() {
    try {
      Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
      if (!"CPU".equalsIgnoreCase(env.getProperty("backend"))) {
        LOG.debug("backend {} is not the CPU backend: no oneDNN helpers", env.getProperty("backend"));
        return false;
      }
      boolean compiled = compiledIn();
      boolean switchedOn = Nd4jCpu.Environment.getInstance().isUseONEDNN();
      boolean allowed = Nd4j.getEnvironment().helpersAllowed();
      LOG.debug("oneDNN compiled in {}, switched on {}, helpers allowed {}", compiled, switchedOn, allowed);
      return compiled && switchedOn && allowed;
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("oneDNN probe failed; using DL4J's built-in layers", e);
      return false;
    }
  }
}
