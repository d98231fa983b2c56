package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.DefaultRun;
import dev.mnistlab.tracking.internal.RunFiles;
import dev.mnistlab.tracking.internal.system.SystemMonitor;
import dev.mnistlab.tracking.internal.system.SystemSampler;
import dev.mnistlab.tracking.internal.RunIds;
import dev.mnistlab.tracking.internal.store.JdbcStore;
import dev.mnistlab.tracking.internal.store.SinkCursor;
import dev.mnistlab.tracking.internal.wandb.RemoteRunStatus;
import dev.mnistlab.tracking.internal.store.StoredRun;
import dev.mnistlab.tracking.internal.wandb.RunUploader;
import dev.mnistlab.tracking.internal.wandb.WandbClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs. Every run is recorded in the {@link LocalStore}; when W&amp;B settings with an API key
 * and mode {@code online} are given, each run is also streamed to W&amp;B from the store.
 *
 * <pre>{@code
 * try (LocalStore store = LocalStore.open("runs/mnistlab.db");
 *      Tracker tracker = Tracker.fromEnvironment(store, System.getenv())) {
 *   try (Run run = tracker.start(RunSpec.builder().project("mnist").build())) { ... }
 * }
 * }</pre>
 *
 * <p>A JVM shutdown hook (on by default) ends runs still open at exit as
 * {@link RunState#INTERRUPTED} (exit code 130) and gives their upload a few seconds.
 */
public final class Tracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
  /** W&amp;B's default sampling interval of system metrics. */
  public static final Duration DEFAULT_SYSTEM_METRICS_INTERVAL = Duration.ofSeconds(15);
  /** The environment variable of the system-metrics interval in seconds (W&amp;B's name). */
  public static final String SAMPLING_INTERVAL_VARIABLE = "WANDB_X_STATS_SAMPLING_INTERVAL";

  private final LocalStore store;
  private final boolean ownsStore;
  private final WandbSettings wandb;
  private final WandbClient client;
  private final Map<String, String> env;
  private final boolean captureProvenance;
  private final Set<DefaultRun> open = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook;
  private final SystemMonitor systemMonitor;
  private volatile boolean closed;

  private Tracker(Builder b) {
    this.store = b.store != null ? b.store : LocalStore.open(b.storeLocation);
    this.ownsStore = b.store == null;
    this.wandb = b.wandb;
    this.env = b.env;
    this.captureProvenance = b.captureProvenance;
    this.client = wandb != null && wandb.streaming()
        ? new WandbClient(wandb.baseUrl(), wandb.apiKey().orElseThrow(), wandb.httpTimeout())
        : null;
    this.systemMonitor = new SystemMonitor(new SystemSampler(store.jdbc().file().orElse(null)),
        b.systemMetricsInterval, sample -> {
          for (DefaultRun r : open) {
            r.recordSystemSample(sample);
          }
        });
    if (b.shutdownHook) {
      shutdownHook = new Thread(this::interruptOpenRuns, "mnistlab-tracker-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      shutdownHook = null;
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A tracker that records runs in {@code store} only. */
  public static Tracker local(LocalStore store) {
    return builder().store(store).build();
  }

  /**
   * A tracker configured like the official client from {@code env}: runs always go to
   * {@code store}; they are streamed to W&amp;B when an API key is found ({@code WANDB_API_KEY} or
   * netrc) and {@code WANDB_MODE} is not {@code offline}/{@code disabled}. {@code WANDB_PROJECT},
   * {@code WANDB_RUN_ID}, {@code WANDB_RUN_GROUP}, {@code WANDB_TAGS}, {@code WANDB_NOTES},
   * {@code WANDB_NAME}, {@code WANDB_JOB_TYPE} and {@code WANDB_RESUME} fill fields a
   * {@link RunSpec} leaves unset.
   */
  public static Tracker fromEnvironment(LocalStore store, Map<String, String> env) {
    return builder().store(store).environment(env).wandb(WandbSettings.fromEnvironment(env)).build();
  }

  /** The store runs are recorded in. */
  public LocalStore store() {
    return store;
  }

  /** The W&amp;B settings, if any were given. */
  public Optional<WandbSettings> wandb() {
    return Optional.ofNullable(wandb);
  }

  /** True when runs are streamed to W&amp;B. */
  public boolean streaming() {
    return client != null;
  }

  /**
   * Runs {@code body} in a new run and ends the run by what happened: finished when the body
   * returns, failed with the error when it throws (the error is then rethrown). The failure path
   * cannot be forgotten, unlike {@code try (Run run = start(spec))}, where closing a run whose
   * work threw records it as finished unless the caller remembers {@link Run#fail}. A body that
   * ends the run itself (e.g. {@link Run#finish(RunState, int)} as interrupted) keeps that end.
   *
   * @return what the body returned
   * @throws E what the body threw, after the run was marked failed with it
   * @throws TrackingException if the run cannot be started (see {@link #start})
   */
  public <T, E extends Exception> T run(RunSpec spec, RunBody<T, E> body) throws E {
    Run run = start(spec);
    T result;
    try {
      result = body.apply(run);
    } catch (Throwable e) {
      try {
        run.fail(e);
        run.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    run.close();
    return result;
  }

  /**
   * The spec as {@link #start} runs it: with this tracker's {@code WANDB_*} environment applied to
   * the fields it leaves unset (project, run id, resume...).
   *
   * @throws IllegalArgumentException if an environment value is invalid (e.g. {@code WANDB_RESUME})
   */
  public RunSpec resolve(RunSpec spec) {
    return spec.withEnvironmentDefaults(env);
  }

  /**
   * Starts a run: records it (and its provenance) in the store, then, when streaming, creates it on
   * W&amp;B and starts the background upload.
   *
   * @throws TrackingException if the store cannot record it, the run id already exists in the
   *     store, or W&amp;B definitively refuses the run (bad key, unknown entity/project, deleted id)
   */
  public Run start(RunSpec spec) {
    if (closed) {
      throw new IllegalStateException("tracker is closed");
    }
    RunSpec s = resolve(spec);
    String id = s.runId().orElseGet(RunIds::generate);
    JdbcStore jdbc = store.jdbc();
    jdbc.writer().checkHealthy();
    try {
      if (jdbc.storedRun(id).isPresent()) {
        throw new TrackingException("run id " + id + " already exists in the store "
            + store.location() + "; choose a new id");
      }
    } catch (SQLException e) {
      throw store.readFailed(e);
    }
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    Provenance provenance = captureProvenance ? Provenance.capture() : null;
    String host = provenance != null ? provenance.hostName().orElse(null) : hostName();
    StoredRun row = new StoredRun(id, s.project(), s.name().orElse(null), s.group().orElse(null),
        s.jobType().orElse(null), s.tags(), s.notes().orElse(null), RunState.RUNNING, null, null,
        startMillis, null, startMillis, host, ProcessHandle.current().pid(), 0, null, 0, 1, "[]");
    try {
      // the writer fails the store itself after its lock timeout: wait for its answer
      jdbc.insertRun(row, s.config()).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while recording run " + id + " in the store "
          + store.location(), e);
    } catch (Exception e) {
      throw new TrackingException("cannot record run " + id + " in the store " + store.location()
          + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
    if (provenance != null) {
      jdbc.putProvenance(id, provenance.toJson());
    }
    // the files of W&B's Files and Overview tabs, stored with the run like the rest
    jdbc.putRunFile(id, RunFiles.METADATA, RunFiles.metadata(provenance, startMillis));
    jdbc.putRunFile(id, RunFiles.CONFIG, RunFiles.configYaml(s.config()));
    jdbc.putRunFile(id, RunFiles.DEPENDENCIES, RunFiles.dependencies());
    jdbc.writer().activate(id);
    if (recordsForWandb()) {
      // marks the run as recorded for W&B (online or offline): `mnistlab sync` uploads it
      jdbc.saveCursor(SinkCursor.initial(id, JdbcStore.WANDB_SINK));
    }
    RunUploader uploader = null;
    Optional<RemoteRunStatus> continued = Optional.empty();
    if (client != null) {
      jdbc.flush().join();
      uploader = new RunUploader(jdbc, id, client, wandb).resume(s.resume().orElse(null));
      try {
        continued = uploader.start(wandb.startTimeout());
      } catch (TrackingException e) {
        jdbc.finishRun(id, RunState.FAILED, 1, e.getMessage(), System.currentTimeMillis());
        jdbc.writer().deactivate(id);
        throw e;
      }
      uploader.startBackground();
    }
    Duration closeTimeout = wandb != null ? wandb.closeTimeout() : Duration.ofSeconds(60);
    DefaultRun run = new DefaultRun(jdbc, id, s, startNanos, uploader, closeTimeout, open::remove,
        continued.map(RemoteRunStatus::lastStep).orElse(-1L),
        continued.map(RemoteRunStatus::runtimeSeconds).orElse(0.0));
    open.add(run);
    systemMonitor.ensureStarted();
    LOG.info("run {} started (project {}, store {}{})", id, s.project(), store.location(),
        uploader != null && uploader.url().isPresent() ? ", W&B " + uploader.url().get() : "");
    return run;
  }

  /** Runs are recorded for W&amp;B when streamed now, or in offline mode for a later sync. */
  private boolean recordsForWandb() {
    return client != null || (wandb != null && wandb.mode() == WandbMode.OFFLINE);
  }

  private static String hostName() {
    return dev.mnistlab.tracking.internal.store.RunLiveness.localHost();
  }

  private void interruptOpenRuns() {
    List<DefaultRun> runs = new ArrayList<>(open);
    for (DefaultRun r : runs) {
      try {
        r.finish(RunState.INTERRUPTED, 130);
        UploadStatus st = r.close(Duration.ofSeconds(5));
        if (!st.complete()) {
          LOG.warn("{}", st.describe());
        }
      } catch (RuntimeException e) {
        LOG.warn("could not close run {} at shutdown: {}", r.id(), e.toString());
      }
    }
  }

  /**
   * Ends runs still open as {@link RunState#INTERRUPTED}, releases HTTP resources and closes the
   * store if this tracker opened it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    systemMonitor.close();
    interruptOpenRuns();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    if (client != null) {
      client.shutdown();
    }
    if (ownsStore) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "Tracker{store=" + store.location() + ", wandb=" + wandb + "}";
  }

  /** Builder for {@link Tracker}. */
  public static final class Builder {
    private LocalStore store;
    private String storeLocation = LocalStore.DEFAULT_LOCATION;
    private WandbSettings wandb;
    private Map<String, String> env = Map.of();
    private boolean captureProvenance = true;
    private boolean shutdownHook = true;
    private Duration systemMetricsInterval = DEFAULT_SYSTEM_METRICS_INTERVAL;
    private boolean systemMetricsIntervalSet;

    private Builder() {}

    /**
     * How often open runs record system metrics (W&amp;B's System tab: CPU, memory, threads, JVM
     * heap, ND4J off-heap, disk of the store's volume); default 15 s as W&amp;B's client,
     * {@link Duration#ZERO} to record none. Unless set here, {@value #SAMPLING_INTERVAL_VARIABLE}
     * in the {@linkplain #environment environment} (seconds, as W&amp;B's
     * {@code x_stats_sampling_interval}) sets it.
     */
    public Builder systemMetricsInterval(Duration interval) {
      this.systemMetricsInterval = Objects.requireNonNull(interval);
      this.systemMetricsIntervalSet = true;
      return this;
    }

    /** The store to record runs in (the caller keeps ownership and closes it). */
    public Builder store(LocalStore store) {
      this.store = Objects.requireNonNull(store);
      return this;
    }

    /** Opens (and owns) the store at this path or JDBC URL; default {@value LocalStore#DEFAULT_LOCATION}. */
    public Builder storeLocation(String locationOrJdbcUrl) {
      this.storeLocation = Objects.requireNonNull(locationOrJdbcUrl);
      return this;
    }

    /** Streams runs to W&amp;B with these settings (when they have a key and mode online). */
    public Builder wandb(WandbSettings wandb) {
      this.wandb = wandb;
      return this;
    }

    /** Environment for {@code WANDB_*} run defaults (project, run id, group, tags...). */
    public Builder environment(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    /** Whether to capture {@link Provenance} automatically at start (default true). */
    public Builder captureProvenance(boolean capture) {
      this.captureProvenance = capture;
      return this;
    }

    /** Whether to end open runs as interrupted when the JVM exits (default true). */
    public Builder shutdownHook(boolean install) {
      this.shutdownHook = install;
      return this;
    }

    /**
     * Builds the tracker.
     *
     * @throws IllegalArgumentException when {@value #SAMPLING_INTERVAL_VARIABLE} is not a number of
     *     seconds between 0 and 86400
     */
    public Tracker build() {
      String interval = env.get(SAMPLING_INTERVAL_VARIABLE);
      if (!systemMetricsIntervalSet && interval != null && !interval.isBlank()) {
        double seconds;
        try {
          seconds = Double.parseDouble(interval.strip());
        } catch (NumberFormatException e) {
          seconds = Double.NaN;
        }
        if (!(seconds >= 0 && seconds <= 86_400)) {
          throw new IllegalArgumentException(SAMPLING_INTERVAL_VARIABLE + " must be a number of"
              + " seconds between 0 and 86400, was '" + interval + "'");
        }
        systemMetricsInterval = Duration.ofNanos((long) (seconds * 1e9));
      }
      return new Tracker(this);
    }
  }
}
