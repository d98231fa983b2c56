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
import dev.mnistlab.tracking.internal.store.StoredSweep;
import dev.mnistlab.tracking.internal.wandb.RetryPolicy;
import dev.mnistlab.tracking.internal.wandb.SweepApi;
import dev.mnistlab.tracking.internal.wandb.SweepUploader;
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
    if (s.sweep().isPresent()) {
      attachToSweep(jdbc, id, s.sweep().get());
    }
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

  private void attachToSweep(JdbcStore jdbc, String runId, String sweepKey) {
    try {
      if (jdbc.sweep(sweepKey).isEmpty()) {
        // e.g. a trial on a Spark executor recording into a scratch store: the run goes on and
        // is recorded, only not attached to the W&B sweep
        LOG.warn("run {} names sweep {}, which the store {} does not hold; the run is not attached"
            + " to a W&B sweep", runId, sweepKey, store.location());
        return;
      }
      jdbc.attachRunToSweep(runId, sweepKey).get();
    } catch (SQLException e) {
      throw store.readFailed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while attaching run " + runId + " to its sweep", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new TrackingException("cannot attach run " + runId + " to sweep " + sweepKey
          + " in the store " + store.location() + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Records a sweep for W&amp;B and, when streaming, registers it there (waiting at most the start
   * timeout): the local store first, then W&amp;B from it, as for runs. A sweep already recorded
   * under the same key (a resumed sweep) keeps its W&amp;B sweep and is set running again. Offline,
   * or when W&amp;B does not answer in time, {@code mnistlab sync} (or the first run's upload)
   * registers it later. Runs started with {@link RunSpec.Builder#sweep} and this key are attached
   * to it.
   *
   * @throws TrackingException when W&amp;B refuses the sweep (bad config, unknown entity), or the
   *     store cannot record it
   */
  public RegisteredSweep registerSweep(SweepRegistration registration) {
    Objects.requireNonNull(registration, "registration");
    JdbcStore jdbc = store.jdbc();
    StoredSweep row;
    try {
      row = jdbc.sweep(registration.key())
          .map(existing -> existing.withState(SweepState.RUNNING))
          .orElseGet(() -> new StoredSweep(registration.key(), registration.project(),
              registration.entity().orElse(wandb == null ? null : wandb.entity().orElse(null)),
              registration.configYaml(), registration.controller(), SweepState.RUNNING, null,
              null, null, null, null, null, null));
    } catch (SQLException e) {
      throw store.readFailed(e);
    }
    saveSweep(jdbc, row);
    if (client != null) {
      long deadline = System.nanoTime() + wandb.startTimeout().toNanos();
      SweepUploader uploader = new SweepUploader(jdbc, client, wandb);
      try {
        row = uploader.upload(row.key(), () -> deadline);
      } catch (java.io.IOException e) {
        if (uploader.refused(e)) {
          dev.mnistlab.tracking.internal.wandb.WandbHttpException h =
              (dev.mnistlab.tracking.internal.wandb.WandbHttpException) e;
          throw new TrackingException(h.status() == 401 || h.status() == 403
              ? dev.mnistlab.tracking.internal.wandb.WandbErrors.describe(h, registration.key(), wandb)
              : "W&B refused sweep " + registration.key() + ": " + e.getMessage(), e);
        }
        LOG.warn("W&B did not register sweep {} within the start limit ({}); runs go on locally"
            + " and `mnistlab sync` registers it", row.key(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrackingException("interrupted while registering sweep " + row.key(), e);
      }
    }
    return registered(jdbc, row.key());
  }

  /**
   * Sets a recorded sweep's state (finished at its end, canceled on Ctrl-C): in the store, then
   * on W&amp;B when streaming (waiting at most the close timeout; {@code mnistlab sync} sends what
   * W&amp;B did not take). A sweep W&amp;B's own controller drives keeps W&amp;B's state.
   */
  public RegisteredSweep sweepState(String sweepKey, SweepState state) {
    JdbcStore jdbc = store.jdbc();
    StoredSweep row;
    try {
      row = jdbc.sweep(sweepKey).orElseThrow(() -> new TrackingException("sweep " + sweepKey
          + " is not recorded in the store " + store.location()));
    } catch (SQLException e) {
      throw store.readFailed(e);
    }
    saveSweep(jdbc, row.withState(state));
    if (client != null) {
      long deadline = System.nanoTime() + wandb.closeTimeout().toNanos();
      try {
        new SweepUploader(jdbc, client, wandb).upload(sweepKey, () -> deadline);
      } catch (java.io.IOException e) {
        LOG.warn("W&B did not take the state {} of sweep {} ({}); `mnistlab sync` sends it",
            state.wireName(), sweepKey, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return registered(jdbc, sweepKey);
  }

  /** A recorded sweep, if there is one under this key. */
  public Optional<RegisteredSweep> sweep(String sweepKey) {
    try {
      return store.jdbc().sweep(sweepKey).isPresent()
          ? Optional.of(registered(store.jdbc(), sweepKey)) : Optional.empty();
    } catch (SQLException e) {
      throw store.readFailed(e);
    }
  }

  /**
   * Joins the W&amp;B sweep {@code entity/project/sweepId} as an agent: checks the sweep exists
   * (and reads its config), records it in the store (reusing the record of a sweep this store
   * registered) and sends {@code CreateAgent}.
   *
   * @param entity the sweep's entity, null for the key's default
   * @throws SweepNotFoundException when W&amp;B has no such sweep
   * @throws TrackingException when W&amp;B is not streaming (no key, offline or disabled) or refuses
   */
  public SweepAgent sweepAgent(String entity, String project, String sweepId) {
    if (client == null) {
      throw new TrackingException("a W&B sweep agent needs W&B online: set WANDB_API_KEY (or"
          + " ~/.netrc) and leave WANDB_MODE unset or online");
    }
    String path = (entity == null ? "" : entity + "/") + project + "/" + sweepId;
    SweepApi api = new SweepApi(client);
    dev.mnistlab.tracking.internal.wandb.Retrier retrier =
        new dev.mnistlab.tracking.internal.wandb.Retrier(
            dev.mnistlab.tracking.internal.wandb.Ticker.SYSTEM,
            dev.mnistlab.tracking.internal.wandb.Sleeper.system());
    RetryPolicy policy = RetryPolicy.mostFailures(wandb.minRetryWait(), wandb.maxRetryWait(),
        wandb.graphqlMaxRetries(), () -> java.util.concurrent.ThreadLocalRandom.current()
            .nextDouble());
    long deadline = System.nanoTime() + wandb.startTimeout().toNanos();
    try {
      Optional<SweepApi.RemoteSweep> remote = retrier.run("Sweep", policy, () -> deadline,
          t -> api.sweep(entity, project, sweepId, t), (a, f, w) -> { });
      if (remote.isEmpty()) {
        throw new SweepNotFoundException("W&B has no sweep " + path + " (check the sweep id,"
            + " --entity and --project; a deleted sweep is gone)");
      }
      String host = hostName();
      String agentId = retrier.run("CreateAgent", policy, () -> deadline,
          t -> api.createAgent(host, entity, project, sweepId, t), (a, f, w) -> { });
      String key = recordJoinedSweep(entity, project, remote.get());
      Optional<String> url = entity == null ? Optional.empty()
          : Optional.of(dev.mnistlab.tracking.internal.wandb.AppUrls.sweepUrl(wandb.appUrl(),
              entity, project, sweepId));
      LOG.info("W&B agent {} joined sweep {}", agentId, path);
      return new SweepAgent(api, wandb, path, key, agentId,
          Optional.ofNullable(remote.get().configYaml()), url);
    } catch (dev.mnistlab.tracking.internal.wandb.WandbHttpException e) {
      if (e.status() == 404) {
        throw new SweepNotFoundException("W&B has no sweep " + path + " (answered 404: check the"
            + " sweep id, --entity and --project; a deleted sweep is gone)");
      }
      throw new TrackingException("W&B refused the agent for sweep " + path + ": "
          + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new TrackingException("W&B did not answer at " + wandb.baseUrl() + " for sweep "
          + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while joining sweep " + path, e);
    }
  }

  /** The key of the stored sweep with this W&amp;B id, recording it if this store has none. */
  private String recordJoinedSweep(String entity, String project, SweepApi.RemoteSweep remote) {
    JdbcStore jdbc = store.jdbc();
    try {
      for (StoredSweep s : jdbc.sweeps()) {
        if (remote.id().equals(s.remoteId()) && project.equals(s.remoteProject())) {
          return s.key();
        }
      }
      String key = "wandb:" + (entity == null ? "" : entity + "/") + project + "/" + remote.id();
      String url = entity == null ? null
          : dev.mnistlab.tracking.internal.wandb.AppUrls.sweepUrl(wandb.appUrl(), entity, project,
              remote.id());
      saveSweep(jdbc, new StoredSweep(key, project, entity,
          remote.configYaml() == null ? "" : remote.configYaml(), SweepController.WANDB,
          SweepState.RUNNING, remote.id(), remote.storageId(), entity, project, SweepState.RUNNING,
          url, null));
      return key;
    } catch (SQLException e) {
      throw store.readFailed(e);
    }
  }

  private void saveSweep(JdbcStore jdbc, StoredSweep row) {
    try {
      jdbc.saveSweep(row).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while recording sweep " + row.key(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new TrackingException("cannot record sweep " + row.key() + " in the store "
          + store.location() + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private RegisteredSweep registered(JdbcStore jdbc, String key) {
    try {
      StoredSweep s = jdbc.sweep(key).orElseThrow();
      return new RegisteredSweep(key, Optional.ofNullable(s.remoteId()),
          Optional.ofNullable(s.url()), s.state());
    } catch (SQLException e) {
      throw store.readFailed(e);
    }
  }

  /**
   * True when runs are recorded for W&amp;B: streamed now, or in offline mode for a later
   * {@code mnistlab sync}.
   */
  public boolean recordsForWandb() {
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
