package dev.mnistlab.models;

import dev.mnistlab.models.internal.OneDnnHelpers;
import dev.mnistlab.models.internal.OneDnnSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPU set-up that makes DL4J fast, applied automatically by {@link ModelZoo}, {@link Trainer}
 * and {@link ModelFiles}; call it yourself only for networks built elsewhere.
 *
 * <ul>
 *   <li>{@link #configure()} (idempotent, logged once): float32 as ND4J's default type, op profiling
 *       and debug/verbose modes off, ND4J's periodic {@code System.gc()} off (workspaces make it
 *       useless and it stalls training), one OpenBLAS thread (two thread pools spinning on the same
 *       cores made dense layers several times slower).
 *   <li>{@link #prepare(MultiLayerNetwork)}: engages DL4J's oneDNN helpers on convolution,
 *       batch-normalisation and LRN layers (DL4J 1.0.0-M2.1 never does so by itself because its
 *       availability check looks for a class ND4J M2.1 renamed), and runs NCHW pooling on
 *       libnd4j's own kernels, which are several times faster there than oneDNN's. See {@code
 *       docs/benchmarks.md} ("Training speed") for the measurements behind each choice.
 * </ul>
 *
 * <p><b>Process-wide settings.</b> {@link #configure()} changes settings of the whole JVM (ND4J's
 * default data type, its profiling/debug modes, its periodic GC, the BLAS thread count), which a
 * program that also uses ND4J for other work may not want. Set the system property {@value
 * #PROCESS_SETTINGS_PROPERTY}{@code =off} (or call {@link #leaveProcessSettingsAlone()} before
 * the first model is built) and mnistlab leaves them as they are; {@link #prepare} then only
 * engages the per-network helpers. Training is then as fast as those settings make it (see
 * {@code docs/benchmarks.md}, "as shipped"), and results may differ with another data type.
 *
 * <p>oneDNN needs an {@code nd4j-native} {@code -onednn*} classifier on the class path (the project
 * default, {@code linux-x86_64-onednn}). With any other classifier, or on a GPU backend, {@link
 * #prepare} leaves the network on DL4J's built-in implementations, which is correct but slower.
 */
public final class Dl4jRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(Dl4jRuntime.class);
  private static final int BLAS_THREADS = 1;
  private static volatile boolean configured;
  private static volatile boolean leaveAlone;

  /**
   * The system property that, set to {@code off} (or {@code false}), keeps {@link #configure()}
   * from changing ND4J's process-wide settings.
   */
  public static final String PROCESS_SETTINGS_PROPERTY = "mnistlab.dl4j.processSettings";

  private Dl4jRuntime() {}

  /**
   * Keeps {@link #configure()} from changing ND4J's process-wide settings, like {@value
   * #PROCESS_SETTINGS_PROPERTY}{@code =off}; call it before the first model is built.
   */
  public static void leaveProcessSettingsAlone() {
    leaveAlone = true;
  }

  /**
   * Applies the process-wide ND4J settings once (unless switched off, see the class description);
   * later calls do nothing.
   */
  // ND4J M2.1 deprecates setProfilingMode for ProfilerConfig; the set-up measured in
  // docs/benchmarks.md uses this call, kept until the replacement is measured the same way
  @SuppressWarnings("deprecation")
  public static void configure() {
    if (configured) {
      return;
    }
    synchronized (Dl4jRuntime.class) {
      if (configured) {
        return;
      }
      if (!appliesProcessSettings(System.getProperty(PROCESS_SETTINGS_PROPERTY), leaveAlone)) {
        configured = true;
        LOG.info("DL4J runtime: process-wide settings left as they are ({}=off): {}",
            PROCESS_SETTINGS_PROPERTY, describe());
        return;
      }
      Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
      Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
      Nd4j.getExecutioner().enableDebugMode(false);
      Nd4j.getExecutioner().enableVerboseMode(false);
      Nd4j.getMemoryManager().togglePeriodicGc(false);
      // ND4J gives OpenBLAS as many threads as OpenMP (2 here). Both pools then spin on the same
      // cores: OpenBLAS's waiting thread sched_yield()s against OpenMP's spinning workers, and a
      // 64x1600x128 GEMM took longer than on one thread. One BLAS thread made cnn-dropout 1.3x
      // and mlp 3-4x faster (docs/benchmarks.md, "Training speed"); conv and pooling still use
      // all OpenMP threads.
      Nd4j.factory().blas().setMaxThreads(BLAS_THREADS);
      configured = true;
      LOG.info("DL4J runtime: {}", describe());
    }
  }

  /** Whether {@link #configure()} changes the process-wide settings. */
  static boolean appliesProcessSettings(String property, boolean leftAlone) {
    return !leftAlone && !(property != null
        && (property.equalsIgnoreCase("off") || property.equalsIgnoreCase("false")));
  }

  /**
   * Configures the runtime and engages the oneDNN helpers on an initialised network.
   *
   * @return the same network, for chaining
   */
  public static MultiLayerNetwork prepare(MultiLayerNetwork network) {
    configure();
    OneDnnHelpers.engage(network);
    return network;
  }

  /**
   * The helper each layer of the network uses, in layer order: a DL4J helper class name such as
   * {@code MKLDNNConvHelper}, or {@code built-in}.
   */
  public static List<String> layerHelpers(MultiLayerNetwork network) {
    return OneDnnHelpers.describe(network);
  }

  /** True when this process can run DL4J's oneDNN helpers (oneDNN build of ND4J on the CPU). */
  public static boolean oneDnnAvailable() {
    return OneDnnSupport.available();
  }

  /**
   * A description of the native runtime for logs and provenance records: backend, nd4j-native
   * classifier, BLAS vendor, thread counts, whether oneDNN is compiled in and used.
   */
  public static Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    var env = Nd4j.getExecutioner().getEnvironmentInformation();
    d.put("backend", env.getProperty("backend", "?"));
    d.put("nd4j.classifier", OneDnnSupport.loadedClassifier().orElse("unknown"));
    d.put("blas", env.getProperty("blas.vendor", "?"));
    d.put("threads", String.valueOf(Nd4j.getEnvironment().maxThreads()));
    d.put("blas.threads", String.valueOf(Nd4j.factory().blas().getMaxThreads()));
    d.put("onednn.compiled", String.valueOf(OneDnnSupport.compiledIn()));
    d.put("onednn.helpers", String.valueOf(OneDnnSupport.available()));
    d.put("dtype", String.valueOf(Nd4j.defaultFloatingPointType()));
    return d;
  }
}
