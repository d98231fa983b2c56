package dev.mnistlab.tracking.internal;

import dev.mnistlab.tracking.TestPrediction;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.Run;
import dev.mnistlab.tracking.RunSpec;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.TrackingException;
import dev.mnistlab.tracking.UploadStatus;
import dev.mnistlab.tracking.internal.store.ConsoleLine;
import dev.mnistlab.tracking.internal.store.JdbcStore;
import dev.mnistlab.tracking.internal.system.SystemSample;
import dev.mnistlab.tracking.internal.wandb.RunUploader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Run} implementation: assigns steps, line indices and times on the caller's thread
 * (cheap, under a short lock), and hands copies to the store's writer queue. The uploader, if any,
 * reads the committed rows.
 */
public final class DefaultRun implements Run {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultRun.class);

  private final JdbcStore store;
  private final String id;
  private final RunSpec spec;
  private final long startNanos;
  private final RunUploader uploader;
  private final Duration defaultCloseTimeout;
  private final Consumer<DefaultRun> onClose;
  private final List<Map<String, String>> metricDefinitions = new ArrayList<>();
  private final double runtimeBase;
  private long lastStep;
  private long nextLine;
  private long nextEventLine;
  private long nextConsoleLine;
  /** The config key W&amp;B's client keeps its own entries under ({@code _wandb}). */
  public static final String WANDB_CONFIG = "_wandb";
  /** The {@code _wandb} entry holding custom charts ({@code _wandb.visualize.<key>}). */
  public static final String VISUALIZE = "visualize";
  /** The custom charts logged so far, by key. */
  private final Map<String, Object> visualize = new LinkedHashMap<>();
  /** The run's whole config so far, for {@code config.yaml}. */
  private final Map<String, Object> configSoFar;
  private boolean finished;
  private UploadStatus closedStatus;

  /** Creates the run object for a run already inserted in the store. */
  public DefaultRun(JdbcStore store, String id, RunSpec spec, long startNanos, RunUploader uploader,
      Duration defaultCloseTimeout, Consumer<DefaultRun> onClose) {
    this(store, id, spec, startNanos, uploader, defaultCloseTimeout, onClose, -1, 0);
  }

  /**
   * Creates the run object for a run that continues a remote one: steps go on after
   * {@code lastStep} and {@code _runtime} after {@code runtimeBase} seconds.
   */
  public DefaultRun(JdbcStore store, String id, RunSpec spec, long startNanos, RunUploader uploader,
      Duration defaultCloseTimeout, Consumer<DefaultRun> onClose, long lastStep, double runtimeBase) {
    this.lastStep = lastStep;
    this.runtimeBase = runtimeBase;
    this.store = store;
    this.id = id;
    this.spec = spec;
    this.startNanos = startNanos;
    this.uploader = uploader;
    this.defaultCloseTimeout = defaultCloseTimeout;
    this.onClose = onClose;
    this.configSoFar = new LinkedHashMap<>(spec.config());
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public RunSpec spec() {
    return spec;
  }

  @Override
  public void log(Map<String, ?> metrics) {
    append(null, metrics);
  }

  @Override
  public void log(long step, Map<String, ?> metrics) {
    append(step, metrics);
  }

  private void append(Long step, Map<String, ?> metrics) {
    Map<String, Object> copy = checkedCopy(metrics, true);
    boolean media = copy.values().stream().anyMatch(MediaValues::isMedia);
    long now = System.currentTimeMillis();
    double runtime = runtimeBase + (System.nanoTime() - startNanos) / 1e9;
    long s;
    long line;
    synchronized (this) {
      checkOpen();
      if (step == null) {
        s = lastStep + 1;
      } else {
        if (step <= lastStep) {
          throw new IllegalArgumentException("step " + step + " of run " + id
              + " is not greater than the last logged step " + lastStep);
        }
        s = step;
      }
      lastStep = s;
      line = nextLine++;
      if (media) {
        // media files are named by step, so they are made here; they are queued before the row
        // that references them (media are logged per trial or epoch, never per batch)
        MediaValues encoded = MediaValues.encode(copy, s);
        encoded.files().forEach((name, bytes) -> store.putRunFile(id, name, bytes));
        if (!encoded.charts().isEmpty()) {
          visualize.putAll(encoded.charts());
          Map<String, Object> internal = Map.of(VISUALIZE, new LinkedHashMap<>(visualize));
          store.updateConfig(id, Map.of(WANDB_CONFIG, internal));
          configSoFar.put(WANDB_CONFIG, internal);
          store.putRunFile(id, RunFiles.CONFIG, RunFiles.configYaml(configSoFar));
        }
        copy = encoded.row();
      }
      // enqueue under the lock so line indices reach the writer in order
      store.appendHistory(id, line, s, runtime, now / 1000.0, copy);
    }
  }

  /**
   * Records one system-metrics sample as the run's next {@code wandb-events.jsonl} line (called by
   * the tracker's sampler thread). Ignored once the run is finished or its store failed: a sample
   * is never worth failing a run.
   */
  public void recordSystemSample(SystemSample sample) {
    long now = System.currentTimeMillis();
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("_wandb", true);
    line.put("_timestamp", now / 1000.0);
    line.put("_runtime", runtimeBase + (System.nanoTime() - startNanos) / 1e9);
    line.putAll(sample.eventValues());
    String json = Json.write(line);
    synchronized (this) {
      if (finished || store.writer().failure().isPresent()) {
        return;
      }
      store.appendEvent(id, nextEventLine++, json);
    }
  }

  @Override
  public void file(String name, byte[] content) {
    Objects.requireNonNull(content, "content");
    checkFileName(name);
    synchronized (this) {
      checkOpen();
      store.putRunFile(id, name, content);
    }
  }

  @Override
  public void artifact(dev.mnistlab.tracking.Artifact artifact) {
    Objects.requireNonNull(artifact, "artifact");
    Map<String, byte[]> files = new java.util.TreeMap<>();
    for (String path : artifact.paths()) {
      files.put(path, artifact.content(path).orElseThrow());
    }
    ArtifactManifest manifest = ArtifactManifest.of(files);
    String metadata = Json.write(artifact.metadata());
    synchronized (this) {
      checkOpen();
      store.putArtifact(id, artifact.name(), artifact.type(), artifact.description().orElse(null),
          metadata, artifact.aliases(), manifest, files);
    }
  }

  private static void checkFileName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.endsWith("/")
        || java.util.Arrays.asList(name.split("/")).stream().anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
      throw new IllegalArgumentException("run file name '" + name + "' is invalid: expected a"
          + " relative path such as 'model-summary.txt' or 'plots/loss.svg' (no '..', no leading '/')");
    }
    if (RunFiles.RESERVED.contains(name)) {
      throw new IllegalArgumentException("run file name '" + name + "' is written by mnistlab"
          + " itself; choose another name");
    }
  }

  @Override
  public void console(String text) {
    appendConsole(false, text);
  }

  @Override
  public void consoleError(String text) {
    appendConsole(true, text);
  }

  private void appendConsole(boolean stderr, String text) {
    Objects.requireNonNull(text, "text");
    java.time.Instant now = java.time.Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    // one stored line per console line: W&B numbers output.log by line
    String[] lines = text.split("\\R", -1);
    int n = lines.length > 1 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
    synchronized (this) {
      checkOpen();
      for (int i = 0; i < n; i++) {
        store.appendConsole(id, nextConsoleLine++, new ConsoleLine(stderr, micros, lines[i]));
      }
    }
  }

  private static Map<String, Object> checkedCopy(Map<String, ?> values) {
    return checkedCopy(values, false);
  }

  /** A checked copy; media (images, tables, charts) are allowed as top-level values of a row. */
  private static Map<String, Object> checkedCopy(Map<String, ?> values, boolean media) {
    Objects.requireNonNull(values, "metrics");
    Map<String, Object> copy = new LinkedHashMap<>(values.size() * 2);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String k = e.getKey();
      if (k == null || k.isEmpty() || k.charAt(0) == '_') {
        throw new IllegalArgumentException("metric key '" + k
            + "' is invalid: keys must be non-empty and not start with '_' (reserved by W&B)");
      }
      Object v = e.getValue();
      if (MediaValues.isMedia(v)) {
        if (!media) {
          throw new IllegalArgumentException("value of '" + k + "' is an image, table or chart:"
              + " log it with Run.log (a history row), not as a summary value");
        }
        copy.put(k, v instanceof Collection<?> c ? List.copyOf(c) : v);
      } else {
        copy.put(k, checkedValue(k, v));
      }
    }
    return copy;
  }

  private static Object checkedValue(String key, Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof CharSequence cs) {
      return cs.toString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, x) -> copy.put(String.valueOf(k), checkedValue(key, x)));
      return copy;
    }
    if (v instanceof Collection<?> c) {
      List<Object> copy = new ArrayList<>(c.size());
      c.forEach(x -> copy.add(checkedValue(key, x)));
      return copy;
    }
    if (v instanceof double[] a) {
      List<Object> copy = new ArrayList<>(a.length);
      for (double d : a) {
        copy.add(d);
      }
      return copy;
    }
    if (v instanceof float[] a) {
      List<Object> copy = new ArrayList<>(a.length);
      for (float f : a) {
        copy.add(f);
      }
      return copy;
    }
    if (v instanceof int[] a) {
      List<Object> copy = new ArrayList<>(a.length);
      for (int i : a) {
        copy.add(i);
      }
      return copy;
    }
    throw new IllegalArgumentException("value of '" + key + "' has unsupported type "
        + v.getClass().getName() + ": expected a number, string, boolean, list or map");
  }

  private void checkOpen() {
    store.writer().checkHealthy();
    if (finished) {
      throw new IllegalStateException("run " + id + " is finished");
    }
  }

  @Override
  public synchronized long lastStep() {
    return lastStep;
  }

  @Override
  public void summary(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(key, value);
    summary(m);
  }

  @Override
  public void summary(Map<String, ?> values) {
    Map<String, Object> copy = checkedCopy(values);
    synchronized (this) {
      checkOpen();
      store.updateSummary(id, copy);
    }
  }

  @Override
  public void config(Map<String, ?> values) {
    Map<String, Object> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "config key"), checkedValue(k, v)));
    synchronized (this) {
      checkOpen();
      store.updateConfig(id, copy);
      configSoFar.putAll(copy);
      store.putRunFile(id, RunFiles.CONFIG, RunFiles.configYaml(configSoFar));
    }
  }

  @Override
  public void defineMetric(String metric, String stepMetric) {
    Objects.requireNonNull(metric, "metric");
    synchronized (this) {
      checkOpen();
      metricDefinitions.removeIf(d -> d.get("name").equals(metric));
      Map<String, String> d = new LinkedHashMap<>();
      d.put("name", metric);
      if (stepMetric != null) {
        d.put("step", stepMetric);
      }
      metricDefinitions.add(d);
      store.updateMetricDefinitions(id, Json.write(metricDefinitions));
    }
  }

  @Override
  public void provenance(Provenance provenance) {
    Objects.requireNonNull(provenance, "provenance");
    synchronized (this) {
      store.putProvenance(id, provenance.toJson());
    }
  }

  @Override
  public void predictions(List<TestPrediction> predictions) {
    store.putPredictions(id, predictions);
  }

  @Override
  public Optional<String> url() {
    return uploader == null ? Optional.empty() : uploader.url();
  }

  @Override
  public boolean isStopRequested() {
    return uploader != null && uploader.isStopRequested();
  }

  @Override
  public void onStopRequested(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    if (uploader != null) {
      uploader.onStopRequested(listener);
    }
  }

  @Override
  public void finish(int exitCode) {
    RunState state = exitCode != 0 ? RunState.FAILED
        : isStopRequested() ? RunState.STOPPED : RunState.FINISHED;
    finish(state, exitCode, null);
  }

  @Override
  public void finish(RunState state, int exitCode) {
    finish(state, exitCode, null);
  }

  @Override
  public void fail(Throwable error) {
    String msg = error == null ? null : error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : ": " + error.getMessage());
    finish(RunState.FAILED, 1, msg, false);
  }

  private void finish(RunState state, int exitCode, String error) {
    finish(state, exitCode, error, true);
  }

  private void finish(RunState state, int exitCode, String error, boolean throwIfStoreFailed) {
    if (state == RunState.RUNNING) {
      throw new IllegalArgumentException("a run cannot finish in state running");
    }
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      if (store.writer().failure().isPresent()) {
        // the store refuses writes after a lost one: the run is not recorded as ended (the writer
        // marked it failed if it could, else it shows as crashed once this process is gone)
        store.writer().deactivate(id);
        if (throwIfStoreFailed) {
          store.writer().checkHealthy();
        }
        return;
      }
      store.finishRun(id, state, exitCode, error, System.currentTimeMillis());
      store.writer().deactivate(id);
    }
    LOG.info("run {} {} (exit code {})", id, state.label(), exitCode);
  }

  /** True once finished. */
  public synchronized boolean isFinished() {
    return finished;
  }

  @Override
  public UploadStatus close(Duration timeout) {
    synchronized (this) {
      if (closedStatus != null) {
        return closedStatus;
      }
    }
    try {
      finish(0);
    } catch (TrackingException e) {
      onClose.accept(this);
      throw e;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      store.flush().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.TimeoutException e) {
      // bounded close: the writer keeps going (LocalStore.close() waits for it)
      LOG.warn("run {}: the local store is still writing {} queued records after {} ms", id,
          store.writer().backlog(), timeout.toMillis());
    } catch (java.util.concurrent.ExecutionException e) {
      onClose.accept(this);
      throw new TrackingException("run " + id + " was not recorded completely: "
          + e.getCause().getMessage(), e.getCause());
    }
    UploadStatus status;
    if (uploader != null) {
      status = uploader.finish(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (status.complete()) {
        LOG.info("{}", status.describe());
      } else {
        LOG.warn("{}", status.describe());
      }
    } else {
      status = UploadStatus.localOnly(id);
    }
    synchronized (this) {
      closedStatus = status;
    }
    onClose.accept(this);
    return status;
  }

  @Override
  public void close() {
    close(defaultCloseTimeout);
  }

  @Override
  public String toString() {
    return "Run{id=" + id + ", project=" + spec.project() + "}";
  }
}
