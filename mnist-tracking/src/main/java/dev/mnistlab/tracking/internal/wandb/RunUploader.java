package dev.mnistlab.tracking.internal.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.TrackingException;
import dev.mnistlab.tracking.UploadStatus;
import dev.mnistlab.tracking.WandbSettings;
import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.internal.store.ArtifactState;
import dev.mnistlab.tracking.internal.store.ConsoleLine;
import dev.mnistlab.tracking.internal.store.JdbcStore;
import dev.mnistlab.tracking.internal.store.RunFileState;
import dev.mnistlab.tracking.internal.store.SinkCursor;
import dev.mnistlab.tracking.internal.store.StoredLine;
import dev.mnistlab.tracking.internal.store.StoredRun;
import dev.mnistlab.tracking.internal.store.StoredSweep;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import com.google.common.base.Utf8;
import dev.mnistlab.tracking.ResumeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one run from the local store to W&amp;B and records in the store what W&amp;B acknowledged
 * (the run's {@link SinkCursor}). The store is the write-ahead log: every request is built from
 * stored rows starting at the acknowledged offset, history offsets are stored line indices (so a
 * re-sent request overwrites identical lines and never duplicates), and the cursor only advances
 * after a 2xx. A run interrupted by an outage, a crash or a bounded close resumes from its cursor,
 * in this process or in {@code mnistlab sync}.
 *
 * <p>Cadence as the Go core: the first data request at once, then at most one per transmit
 * interval (immediately when finishing), a {@code {}} heartbeat after the heartbeat interval
 * without requests, counted from the run's creation (so a long first epoch that logs nothing is
 * not shown as crashed), and the final request carrying {@code complete} and {@code exitcode} once
 * every line and the summary are acknowledged.
 *
 * <p>Server signals: {@code {"stopped": true}} in a file_stream answer (the UI's Stop button, a
 * sweep's early termination) is passed to the stop listeners, once. A request the server refuses
 * as too large (413) is split in halves until it fits. A run id that already has history on the
 * server is continued only when the run's {@link ResumeMode} allows it (after the remote lines, with
 * {@code _step} and {@code _runtime} continuing), and otherwise refused, never overwritten.
 */
public final class RunUploader {
  private static final Logger LOG = LoggerFactory.getLogger(RunUploader.class);
  static final String HISTORY = "wandb-history.jsonl";
  static final String SUMMARY = "wandb-summary.json";
  static final String EVENTS = "wandb-events.jsonl";
  static final String CONSOLE = "output.log";
  /** System-metrics or console lines per request, before any 413 halves it. */
  static final int MAX_AUX_LINES_PER_REQUEST = 1_000;
  /** Characters of system-metrics or console lines per request (each well below W&amp;B's cap). */
  static final long MAX_AUX_CHARS_PER_REQUEST = 1024L * 1024;
  static final int MAX_LINES_PER_REQUEST = 10_000;
  /**
   * History bytes (UTF-8) per request: below W&amp;B's 10 MiB request cap even if JSON escaping
   * doubled every byte, leaving room for the summary.
   */
  static final long MAX_BYTES_PER_REQUEST = 4L * 1024 * 1024;
  private static final long NONE = Long.MIN_VALUE;
  /** Run-file PUTs in flight at once (W&amp;B's client also uploads files concurrently). */
  static final int PARALLEL_PUTS = 8;

  /** What one {@link #step} did. */
  public enum Step { SENT, HEARTBEAT, IDLE, DONE }

  private final JdbcStore store;
  private final String runId;
  private final WandbClient client;
  private final WandbSettings settings;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Retrier retrier;
  private final RetryPolicy fileStreamPolicy;
  private final RetryPolicy upsertPolicy;
  private final RetryPolicy startPolicy;
  private RetryPolicy currentUpsertPolicy;
  private volatile SinkCursor cursor;
  private boolean upsertedThisSession;
  private long lastRequestNanos = NONE;
  private long lastDataNanos = NONE;
  private volatile long deadlineNanos = Long.MAX_VALUE;
  private volatile boolean finishing;
  private volatile boolean stopped;
  private volatile boolean stopRequested;
  private final List<Runnable> stopListeners = new CopyOnWriteArrayList<>();
  /** True when the last request was capped by size and more lines are waiting. */
  private boolean backlog;
  /** Lines per request; halved when the server answers 413. */
  private int lineLimit = MAX_LINES_PER_REQUEST;
  /** System-metrics and console lines per request; halved when the server answers 413. */
  private int auxLineLimit = MAX_AUX_LINES_PER_REQUEST;
  /** After a 413 for one line plus the summary: the summary is sent in a request of its own. */
  private boolean summaryAlone;
  /** What the server acknowledged in this session's last upsert (to send only changes). */
  private Map<String, Object> ackedVariables;
  private ResumeMode resume;
  /** Whether this session asked the server about an existing run of the same id. */
  private boolean remoteChecked;
  /** True only inside {@link #start}: a continuation can still shift this run's steps. */
  private boolean starting;
  private RemoteRunStatus continued;
  private final java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();
  private Thread thread;
  /** Uploads run files off the stream thread, so a slow storage host delays no history line. */
  private java.util.concurrent.ExecutorService fileUploads;
  private final Retrier fileRetrier;
  private final java.util.concurrent.atomic.AtomicBoolean filesInFlight =
      new java.util.concurrent.atomic.AtomicBoolean();
  /** Files whose upload gave up in this session (retried by the next session or sync). */
  private final java.util.Set<String> filesGivenUp = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The errors of the files in {@link #filesGivenUp}, by name. */
  private final Map<String, String> givenUpErrors = new java.util.concurrent.ConcurrentHashMap<>();
  /** Artifacts (by number) whose upload gave up in this session (retried by sync). */
  private final java.util.Set<Integer> artifactsGivenUp = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Creates an uploader on the system clock. */
  public RunUploader(JdbcStore store, String runId, WandbClient client, WandbSettings settings) {
    this(store, runId, client, settings, Ticker.SYSTEM, Sleeper.system(),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Creates an uploader on an injected clock and jitter source (tests). */
  public RunUploader(JdbcStore store, String runId, WandbClient client, WandbSettings settings,
      Ticker ticker, Sleeper sleeper, java.util.function.DoubleSupplier jitter) {
    this.store = store;
    this.runId = runId;
    this.client = client;
    this.settings = settings;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.retrier = new Retrier(ticker, sleeper);
    this.fileRetrier = new Retrier(ticker, Sleeper.system());
    this.fileStreamPolicy = RetryPolicy.mostFailures(settings.minRetryWait(),
        settings.maxRetryWait(), settings.fileStreamMaxRetries(), jitter);
    // At start the official GraphQL budget applies (bounded further by the start timeout); once the
    // run is recorded, creating it remotely is retried as patiently as file_stream: its data is safe.
    this.startPolicy = RetryPolicy.upsertBucket(settings.minRetryWait(), settings.maxRetryWait(),
        settings.graphqlMaxRetries(), jitter);
    this.upsertPolicy = RetryPolicy.upsertBucket(settings.minRetryWait(), settings.maxRetryWait(),
        settings.fileStreamMaxRetries(), jitter);
    this.currentUpsertPolicy = upsertPolicy;
    try {
      this.cursor = store.cursor(runId, JdbcStore.WANDB_SINK)
          .orElse(SinkCursor.initial(runId, JdbcStore.WANDB_SINK));
    } catch (SQLException e) {
      throw new TrackingException("cannot read the upload cursor of run " + runId + ": " + e.getMessage(), e);
    }
  }

  /** The run. */
  public String runId() {
    return runId;
  }

  /** The run page, once W&amp;B created the run. */
  public Optional<String> url() {
    return Optional.ofNullable(cursor.url());
  }

  /** How this upload treats a run id that already exists on W&amp;B (null: refuse if it has history). */
  public RunUploader resume(ResumeMode mode) {
    this.resume = mode;
    return this;
  }

  /**
   * Calls {@code listener} (on the upload thread, once) when W&amp;B asks the run to stop. It must
   * return quickly: set a flag the training loop reads.
   */
  public void onStopRequested(Runnable listener) {
    stopListeners.add(listener);
    if (stopRequested) {
      listener.run();
    }
  }

  /** True once W&amp;B answered {@code {"stopped": true}}. */
  public boolean isStopRequested() {
    return stopRequested;
  }

  /**
   * Creates (or re-attaches to) the run on W&amp;B, waiting at most {@code timeout} whatever the
   * server does (every call is bounded by what is left of it). Definite refusals throw; an
   * unreachable or silent server only logs a warning, and the background uploader keeps trying
   * while the run goes on locally ({@code mnistlab sync} uploads it otherwise).
   *
   * @return the remote run this run continues (its last step and runtime), when the run id
   *     existed on W&amp;B with history and the resume mode allows continuing it
   * @throws TrackingException for a bad key, unknown entity/project, a deleted run's id, a remote
   *     run the resume mode does not allow to continue, or another non-retryable refusal
   */
  public Optional<RemoteRunStatus> start(Duration timeout) {
    deadlineNanos = ticker.nanoTime() + timeout.toNanos();
    currentUpsertPolicy = startPolicy;
    starting = true;
    try {
      StoredRun run = storedRun();
      ensureUpserted(run);
    } catch (RemoteRunConflict e) {
      recordError(e.getMessage());
      throw new TrackingException(e.getMessage());
    } catch (WandbHttpException e) {
      if (!upsertPolicy.retryable(e)) {
        String msg = WandbErrors.describe(e, runId, settings);
        recordError(msg);
        throw new TrackingException(msg);
      }
      warnUnreachable(e);
    } catch (IOException e) {
      warnUnreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while creating run " + runId + " on W&B", e);
    } finally {
      deadlineNanos = Long.MAX_VALUE;
      currentUpsertPolicy = upsertPolicy;
      starting = false;
    }
    return Optional.ofNullable(continued);
  }

  private void warnUnreachable(IOException e) {
    String msg = "W&B did not answer at " + settings.baseUrl() + " within the start limit ("
        + redact(e.getMessage()) + "); run " + runId + " is recorded locally and goes on; it is"
        + " uploaded when W&B answers, or by `mnistlab sync`";
    recordError(msg);
    LOG.warn(msg);
  }

  /** Starts the background upload thread. */
  public synchronized void startBackground() {
    if (thread != null) {
      return;
    }
    fileUploads = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mnistlab-wandb-files-" + runId);
      t.setDaemon(true);
      return t;
    });
    thread = new Thread(this::loop, "mnistlab-wandb-" + runId);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Tells the background thread the run is over (its end is committed in the store) and waits at
   * most {@code timeout} for everything to be acknowledged.
   */
  public UploadStatus finish(Duration timeout) {
    deadlineNanos = ticker.nanoTime() + timeout.toNanos();
    finishing = true;
    sleeper.wakeUp();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(Math.max(1, timeout.toMillis() + 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        stopped = true;
        sleeper.wakeUp();
        t.interrupt();
      }
      fileUploads.shutdownNow();
    } else {
      drain(deadlineNanos);
    }
    commitCursor();
    return status();
  }

  /** Waits (briefly) until the latest cursor is committed, so a later reader sees it. */
  private void commitCursor() {
    try {
      store.flush().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("upload cursor of run {} not committed: {}", runId, e.toString());
    }
  }

  /**
   * Uploads everything the store holds for the run and, if the run has ended, finishes it on
   * W&amp;B, until done or {@code deadline} ({@link Ticker} nanoseconds). Used by the syncer.
   */
  public UploadStatus drain(long deadline) {
    deadlineNanos = deadline;
    finishing = true;
    try {
      while (true) {
        Step s = step(true);
        if (s == Step.DONE || s == Step.IDLE) {
          break;
        }
      }
    } catch (WandbHttpException e) {
      recordError(WandbErrors.describe(e, runId, settings));
    } catch (IOException e) {
      recordError(redact(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      recordError(e.toString());
    }
    commitCursor();
    return status();
  }

  private void loop() {
    while (!stopped) {
      try {
        Step s = step(finishing);
        if (s == Step.DONE) {
          return;
        }
        if ((finishing && s != Step.IDLE) || backlog) {
          continue;
        }
        if (ticker.nanoTime() - deadlineNanos >= 0) {
          return;
        }
        sleeper.sleep(nanosUntilDue());
      } catch (Retrier.DeadlineExceeded e) {
        return;
      } catch (RemoteRunConflict e) {
        recordError(e.getMessage());
        LOG.error("W&B upload of run {} stopped: {}", runId, e.getMessage());
        return;
      } catch (WandbHttpException e) {
        String msg = WandbErrors.describe(e, runId, settings);
        recordError(msg);
        LOG.error("W&B upload of run {} stopped: {}. The run continues in the local store; "
            + "`mnistlab sync` uploads the rest.", runId, msg);
        return;
      } catch (IOException e) {
        recordError(redact(e.getMessage()));
        LOG.error("W&B upload of run {} gave up after {} retries: {}. The run continues in the local"
            + " store; `mnistlab sync` uploads the rest.", runId, settings.fileStreamMaxRetries(),
            redact(e.getMessage()));
        return;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // e.g. the store was busy: keep the data and try again at the next tick
        LOG.warn("W&B upload of run {}: {}", runId, e.toString());
        try {
          sleeper.sleep(settings.transmitInterval().toNanos() + 1_000_000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private long nanosUntilDue() {
    long now = ticker.nanoTime();
    // new data is looked for every transmit interval; a heartbeat is due after the heartbeat interval
    long next = lastDataNanos != NONE
        ? lastDataNanos + settings.transmitInterval().toNanos() - now
        : settings.transmitInterval().toNanos();
    if (lastRequestNanos != NONE) {
      next = Math.min(next, lastRequestNanos + settings.heartbeatInterval().toNanos() - now);
    }
    // poll the store at least every 100 ms when the interval is short, at most once per interval
    return Math.max(1_000_000, next);
  }

  /**
   * Does the next piece of work: create/update the run, send one data request, or a heartbeat.
   *
   * @param urgent ignore the transmit interval (finishing, syncing)
   */
  public Step step(boolean urgent) throws IOException, InterruptedException {
    if (cursor.finishAcked()) {
      return fileUploads == null ? uploadLeftOvers() : Step.DONE;
    }
    StoredRun run = storedRun();
    ensureUpserted(run);
    List<RunFileState> runFiles = sql(() -> store.runFiles(runId, JdbcStore.WANDB_SINK));
    List<ArtifactState> artifacts = sql(() -> store.artifacts(runId, JdbcStore.WANDB_SINK));
    startFileUploads(runFiles, artifacts);
    long now = ticker.nanoTime();
    // Like the Go core: a full request goes out at once, the rest waits for the transmit interval.
    boolean dataDue = urgent || backlog || lastDataNanos == NONE
        || now - lastDataNanos >= settings.transmitInterval().toNanos();
    if (dataDue) {
      long from = cursor.historyAcked();
      List<StoredLine> fetched = sql(() -> store.lines(runId, from, lineLimit, MAX_BYTES_PER_REQUEST));
      // the store caps by characters; W&B's cap is in bytes
      List<StoredLine> lines = new ArrayList<>(fetched.size());
      long bytes = 0;
      for (StoredLine l : fetched) {
        long b = Utf8.encodedLength(l.line());
        if (!lines.isEmpty() && bytes + b > MAX_BYTES_PER_REQUEST) {
          break;
        }
        lines.add(l);
        bytes += b;
      }
      // after a 413, the summary travels alone (it repeats the latest value of every key)
      boolean summaryDirty = run.summaryVersion() > cursor.summaryAcked()
          && !(summaryAlone && !lines.isEmpty());
      long eventsFrom = cursor.eventsAcked();
      long consoleFrom = cursor.consoleAcked();
      List<String> events = sql(() -> store.events(runId, eventsFrom, auxLineLimit,
          MAX_AUX_CHARS_PER_REQUEST));
      List<ConsoleLine> console = sql(() -> store.console(runId, consoleFrom, auxLineLimit,
          MAX_AUX_CHARS_PER_REQUEST));
      boolean allLines = from + lines.size() >= run.historyLines();
      boolean allAux = true;
      if (run.state().isTerminal()) {
        // the run's end is committed after its last sample and console line: the counts are final
        long[] counts = sql(() -> store.eventAndConsoleLines(runId));
        allAux = eventsFrom + events.size() >= counts[0] && consoleFrom + console.size() >= counts[1];
      }
      // files reported in this request: those uploaded since the last acknowledged request
      runFiles = sql(() -> store.runFiles(runId, JdbcStore.WANDB_SINK));
      List<RunFileState> reporting = new ArrayList<>();
      boolean filesDone = true;
      for (RunFileState f : runFiles) {
        if (f.reportPending()) {
          reporting.add(f);
        }
        // a file whose upload gave up in this session does not hold back the run's finish (as
        // in W&B's client); its error stays in the store and in the upload status
        if (f.uploadPending() && !filesGivenUp.contains(f.name())) {
          filesDone = false;
        }
      }
      for (ArtifactState a : sql(() -> store.artifacts(runId, JdbcStore.WANDB_SINK))) {
        if (!a.committed() && !artifactsGivenUp.contains(a.seq())) {
          filesDone = false; // like W&B's client: the run finishes after its artifacts
        }
      }
      boolean complete = run.state().isTerminal() && allLines && allAux && filesDone
          && (summaryDirty || run.summaryVersion() <= cursor.summaryAcked());
      // a request filled to its cap means more lines are (or may be) waiting
      boolean full = lines.size() >= lineLimit || lines.size() < fetched.size()
          || bytes >= MAX_BYTES_PER_REQUEST / 2
          || events.size() >= auxLineLimit || console.size() >= auxLineLimit;
      if (lines.isEmpty()) {
        backlog = false;
      }
      boolean aux = !events.isEmpty() || !console.isEmpty() || !reporting.isEmpty();
      if (!lines.isEmpty() || summaryDirty || complete || aux) {
        Map<String, Object> files = new LinkedHashMap<>();
        if (!lines.isEmpty()) {
          List<String> content = new ArrayList<>(lines.size());
          for (StoredLine l : lines) {
            content.add(l.line());
          }
          files.put(HISTORY, Map.of("offset", cursor.historyBase() + from, "content", content));
        }
        if (!events.isEmpty()) {
          files.put(EVENTS, Map.of("offset", cursor.eventsBase() + eventsFrom, "content", events));
        }
        if (!console.isEmpty()) {
          List<String> content = new ArrayList<>(console.size());
          for (ConsoleLine l : console) {
            content.add(l.outputLogLine());
          }
          files.put(CONSOLE, Map.of("offset", cursor.consoleBase() + consoleFrom, "content", content));
        }
        if (summaryDirty) {
          files.put(SUMMARY, Map.of("offset", 0, "content", List.of(summaryLine(run))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!files.isEmpty()) {
          body.put("files", files);
        }
        if (!reporting.isEmpty()) {
          List<String> names = new ArrayList<>(reporting.size());
          for (RunFileState f : reporting) {
            names.add(f.name());
          }
          body.put("uploaded", names);
        }
        if (complete) {
          body.put("complete", true);
          body.put("exitcode", run.exitCode() == null ? 1 : run.exitCode());
        }
        String json = Json.write(body);
        SinkCursor c = cursor;
        JsonNode response;
        try {
          response = retrier.run("file_stream", fileStreamPolicy, () -> deadlineNanos,
              t -> client.fileStream(c.entity(), c.project(), c.remoteName(), json, t), this::onRetry);
        } catch (WandbHttpException e) {
          if (e.status() != 413) {
            throw e;
          }
          boolean auxSplittable = events.size() > 1 || console.size() > 1;
          if (lines.size() > 1 || auxSplittable || (summaryDirty && !lines.isEmpty())) {
            // too large for this server: split, and send the parts at once
            if (lines.size() > 1) {
              lineLimit = Math.max(1, lines.size() / 2);
            } else if (auxSplittable) {
              auxLineLimit = Math.max(1, Math.max(events.size(), console.size()) / 2);
            } else {
              summaryAlone = true;
            }
            backlog = true;
            LOG.info("W&B refused a request of {} history lines{} of run {} as too large (HTTP 413);"
                + " sending at most {} per request{}", lines.size(), summaryDirty ? " and the summary" : "",
                runId, lineLimit, summaryAlone ? ", the summary alone" : "");
            return Step.SENT;
          }
          throw new WandbHttpException("file_stream", 413, (lines.isEmpty() ? "the summary"
              : "history line " + from) + " of run " + runId + " is larger than the server"
              + " accepts even alone; it is kept in the local store", null);
        }
        noticeStop(response);
        SinkCursor next = cursor.withHistoryAcked(from + lines.size())
            .withEventsAcked(eventsFrom + events.size()).withConsoleAcked(consoleFrom + console.size())
            .withLastError(null);
        if (summaryDirty) {
          next = next.withSummaryAcked(run.summaryVersion());
        }
        if (complete) {
          next = next.withFinishAcked();
        }
        for (RunFileState f : runFiles) {
          // this session's error first: its write to the store may still be queued
          String error = givenUpErrors.getOrDefault(f.name(), f.lastError());
          if (f.uploadPending() && filesGivenUp.contains(f.name()) && error != null) {
            next = next.withLastError("run file " + f.name() + " not uploaded: " + error);
            break;
          }
        }
        for (ArtifactState a : artifacts) {
          if (artifactsGivenUp.contains(a.seq())) {
            ArtifactState latest = sql(() -> store.artifacts(runId, JdbcStore.WANDB_SINK)).stream()
                .filter(x -> x.seq() == a.seq()).findFirst().orElse(a);
            if (!latest.committed() && latest.lastError() != null) {
              next = next.withLastError("artifact " + a.name() + " not uploaded: " + latest.lastError());
              break;
            }
          }
        }
        cursor = next;
        store.saveCursor(next);
        if (!reporting.isEmpty()) {
          // committed before the next request is built from the store, so none is listed twice
          List<java.util.concurrent.CompletableFuture<Void>> saved = new ArrayList<>();
          for (RunFileState f : reporting) {
            saved.add(store.saveSinkFile(runId, JdbcStore.WANDB_SINK, f.reported()));
          }
          try {
            java.util.concurrent.CompletableFuture.allOf(
                saved.toArray(new java.util.concurrent.CompletableFuture<?>[0])).get();
          } catch (java.util.concurrent.ExecutionException e) {
            throw new TrackingException("recording the reported run files of run " + runId
                + " failed: " + e.getCause().getMessage(), e.getCause());
          }
        }
        lastDataNanos = lastRequestNanos = ticker.nanoTime();
        backlog = !allLines || full || !allAux;
        return complete ? Step.DONE : Step.SENT;
      }
    }
    if (lastRequestNanos != NONE && now - lastRequestNanos >= settings.heartbeatInterval().toNanos()) {
      SinkCursor c = cursor;
      JsonNode response = retrier.run("file_stream heartbeat", fileStreamPolicy, () -> deadlineNanos,
          t -> client.fileStream(c.entity(), c.project(), c.remoteName(), "{}", t), this::onRetry);
      noticeStop(response);
      lastRequestNanos = ticker.nanoTime();
      return Step.HEARTBEAT;
    }
    return Step.IDLE;
  }

  /**
   * For a run W&amp;B already finished (syncing): uploads the files and artifacts an earlier
   * session gave up on, each tried once per session. No file_stream request follows: the stream
   * ended with {@code complete}, and a request after it could reopen the run; such a file is
   * recorded on W&amp;B by {@code CreateRunFiles} and its PUT alone, so it is recorded here as
   * reported too (nothing is left to tell the stream).
   */
  private Step uploadLeftOvers() throws IOException, InterruptedException {
    List<RunFileState> files = sql(() -> store.runFiles(runId, JdbcStore.WANDB_SINK));
    List<ArtifactState> artifacts = sql(() -> store.artifacts(runId, JdbcStore.WANDB_SINK));
    boolean toUpload = files.stream().anyMatch(f -> f.uploadPending() && !filesGivenUp.contains(f.name()))
        || artifacts.stream().anyMatch(a -> !a.committed() && !artifactsGivenUp.contains(a.seq()));
    List<RunFileState> unreported = files.stream().filter(RunFileState::reportPending).toList();
    if (!toUpload && unreported.isEmpty()) {
      return Step.DONE;
    }
    if (toUpload) {
      startFileUploads(files, artifacts); // inline: no file thread when syncing
    }
    for (RunFileState f : sql(() -> store.runFiles(runId, JdbcStore.WANDB_SINK))) {
      if (f.reportPending()) {
        try {
          store.saveSinkFile(runId, JdbcStore.WANDB_SINK, f.reported()).get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new TrackingException("recording the uploaded run files of run " + runId
              + " failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
    }
    String left = String.join("; ", sql(() -> store.pendingUploads(runId, JdbcStore.WANDB_SINK)));
    cursor = cursor.withLastError(left.isEmpty() ? null : left);
    store.saveCursor(cursor);
    return Step.SENT;
  }

  /**
   * Uploads the run files whose stored version W&amp;B does not have: on the file thread while the
   * run streams, inline when syncing. A file is marked uploaded only after its PUT succeeded; the
   * next file_stream request reports it in {@code uploaded}.
   */
  private void startFileUploads(List<RunFileState> files, List<ArtifactState> artifacts)
      throws InterruptedException {
    SinkCursor c = cursor;
    if (c.storageId() == null || filesInFlight.get()) {
      return;
    }
    List<RunFileState> pending = new ArrayList<>();
    for (RunFileState f : files) {
      if (f.uploadPending() && !filesGivenUp.contains(f.name())) {
        pending.add(f);
      }
    }
    List<ArtifactState> pendingArtifacts = new ArrayList<>();
    for (ArtifactState a : artifacts) {
      if (!a.committed() && !artifactsGivenUp.contains(a.seq())) {
        pendingArtifacts.add(a);
      }
    }
    if ((pending.isEmpty() && pendingArtifacts.isEmpty()) || !filesInFlight.compareAndSet(false, true)) {
      return;
    }
    java.util.concurrent.ExecutorService executor = fileUploads;
    if (executor == null) {
      uploadFiles(c, pending, pendingArtifacts);
      return;
    }
    try {
      executor.execute(() -> {
        try {
          uploadFiles(c, pending, pendingArtifacts);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          // e.g. the store closed under a bounded close: the file stays pending for sync
          LOG.warn("W&B file upload of run {} stopped: {}", runId, e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      filesInFlight.set(false); // finishing: the next session or sync uploads them
    }
  }

  private void uploadFiles(SinkCursor c, List<RunFileState> pending, List<ArtifactState> artifacts)
      throws InterruptedException {
    try {
      uploadRunFiles(c, pending);
      uploadArtifacts(c, artifacts);
    } finally {
      filesInFlight.set(false);
      sleeper.wakeUp();
    }
  }

  /** Saves the artifacts W&amp;B does not have yet (PROTOCOL §8), one after the other. */
  private void uploadArtifacts(SinkCursor c, List<ArtifactState> artifacts) throws InterruptedException {
    ArtifactSaver saver = new ArtifactSaver(client, fileRetrier, upsertPolicy, fileStreamPolicy,
        () -> deadlineNanos, this::onFileRetry);
    for (ArtifactState a : artifacts) {
      try {
        int puts = saver.save(c, a, x -> sql(() -> store.artifactFiles(runId, x.seq())));
        store.saveSinkArtifact(runId, JdbcStore.WANDB_SINK, a.committedNow()).get();
        LOG.info("W&B artifact {} ({}) of run {} committed{}", a.name(), a.type(), runId,
            puts == 0 ? ": W&B already had its content" : "");
      } catch (IOException e) {
        String msg = e instanceof WandbHttpException w ? WandbErrors.describe(w, runId, settings)
            : redact(e.getMessage());
        artifactsGivenUp.add(a.seq());
        LOG.warn("W&B upload of artifact {} of run {} failed: {}; it is kept in the local store and"
            + " uploaded by `mnistlab sync`", a.name(), runId, msg);
        try {
          store.saveSinkArtifact(runId, JdbcStore.WANDB_SINK, a.failed(msg)).get();
        } catch (java.util.concurrent.ExecutionException | RuntimeException re) {
          LOG.debug("cannot record the artifact upload error: {}", re.toString());
        }
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.warn("upload state of artifact {} of run {} not recorded: {}", a.name(), runId,
            e.getCause().toString());
        return;
      }
    }
  }

  private void uploadRunFiles(SinkCursor c, List<RunFileState> pending) throws InterruptedException {
    if (pending.isEmpty()) {
      return;
    }
    {
      List<String> names = new ArrayList<>(pending.size());
      for (RunFileState f : pending) {
        names.add(f.name());
      }
      List<RunFileUpload> targets;
      try {
        targets = fileRetrier.run("CreateRunFiles", upsertPolicy, () -> deadlineNanos,
            t -> client.createRunFiles(c.entity(), c.project(), c.remoteName(), names, t),
            this::onFileRetry);
      } catch (IOException e) {
        for (RunFileState f : pending) {
          giveUp(f, e);
        }
        return;
      }
      Map<String, RunFileUpload> byName = new LinkedHashMap<>();
      for (RunFileUpload u : targets) {
        byName.put(u.name(), u);
      }
      // several PUTs at once, as W&B's client does: a trial's table holds hundreds of images, and
      // one after the other they would outlast the close timeout against a real storage host
      java.util.concurrent.ExecutorService puts = java.util.concurrent.Executors.newFixedThreadPool(
          Math.min(PARALLEL_PUTS, pending.size()), r -> {
            Thread t = new Thread(r, "mnistlab-wandb-put-" + runId);
            t.setDaemon(true);
            return t;
          });
      try {
        List<java.util.concurrent.Future<?>> started = new ArrayList<>(pending.size());
        for (RunFileState f : pending) {
          RunFileUpload target = byName.get(f.name());
          started.add(puts.submit(() -> {
            uploadRunFile(f, target);
            return null;
          }));
        }
        for (java.util.concurrent.Future<?> put : started) {
          try {
            put.get();
          } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("W&B upload of a run file of run {} stopped: {}", runId, e.getCause().toString());
          }
        }
      } finally {
        puts.shutdownNow();
      }
    }
  }

  /** One run file's PUT to its signed URL, then its new upload state in the store. */
  private void uploadRunFile(RunFileState f, RunFileUpload target) throws InterruptedException {
    Optional<byte[]> content = sql(() -> store.runFileContent(runId, f.name()));
    if (target == null || content.isEmpty()) {
      giveUp(f, new IOException(target == null ? "CreateRunFiles returned no URL for it"
          : "it is no longer in the store"));
      return;
    }
    try {
      fileRetrier.run("upload of " + f.name(), fileStreamPolicy, () -> deadlineNanos, t -> {
        client.upload(target, content.get(), t);
        return Boolean.TRUE;
      }, this::onFileRetry);
      // the version uploaded is the one read; a newer one stays pending
      String md5 = JdbcStore.md5Hex(content.get());
      RunFileState done = new RunFileState(f.name(), md5, f.size(), md5, f.reportedMd5(),
          f.attempts() + 1, null);
      store.saveSinkFile(runId, JdbcStore.WANDB_SINK, done).get();
    } catch (IOException e) {
      giveUp(f, e);
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("upload state of run file {} of run {} not recorded: {}", f.name(), runId,
          e.getCause().toString());
    }
  }

  private void giveUp(RunFileState f, IOException e) {
    String msg = e instanceof WandbHttpException w ? WandbErrors.describe(w, runId, settings)
        : redact(e.getMessage());
    givenUpErrors.put(f.name(), msg == null ? "" : msg); // before it counts as given up
    filesGivenUp.add(f.name());
    LOG.warn("W&B upload of run file {} of run {} failed: {}; it is kept in the local store and"
        + " uploaded by `mnistlab sync`", f.name(), runId, msg);
    try {
      store.saveSinkFile(runId, JdbcStore.WANDB_SINK, f.failed(msg));
    } catch (RuntimeException re) {
      LOG.debug("cannot record the upload error: {}", re.toString());
    }
  }

  private void onFileRetry(int attempt, Exception failure, Duration wait) {
    retries.incrementAndGet();
    if (attempt == 0 || attempt % 10 == 0) {
      LOG.warn("W&B file upload for run {} failed ({}); retry {} in {} ms; the file is safe in the"
          + " local store", runId, redact(failure.getMessage()), attempt + 1, wait.toMillis());
    }
  }

  private void noticeStop(JsonNode response) {
    if (response != null && response.path("stopped").asBoolean(false) && !stopRequested) {
      stopRequested = true;
      LOG.warn("W&B asked run {} to stop (Stop in the UI or the sweep's early termination); the"
          + " training loop ends it at its next boundary", runId);
      for (Runnable l : stopListeners) {
        try {
          l.run();
        } catch (RuntimeException e) {
          LOG.warn("stop listener of run {} failed: {}", runId, e.toString());
        }
      }
    }
  }

  /**
   * Retries spent so far in this session: each one is a server's error answer or an outage, never a
   * stale keep-alive connection (that is retried at once by the HTTP client).
   */
  public int retries() {
    return retries.get();
  }

  private void onRetry(int attempt, Exception failure, Duration wait) {
    retries.incrementAndGet();
    String msg = redact(failure.getMessage());
    recordError(msg);
    if (attempt == 0 || attempt % 10 == 0) {
      LOG.warn("W&B request for run {} failed ({}); retry {} in {} ms; data is safe in the local store",
          runId, msg, attempt + 1, wait.toMillis());
    }
  }

  private void ensureUpserted(StoredRun run) throws IOException, InterruptedException {
    if (upsertedThisSession && cursor.storageId() != null && cursor.configAcked() >= run.configVersion()) {
      return;
    }
    checkExistingRemoteRun(run);
    Map<String, Object> config = sql(() -> store.config(runId));
    Optional<Provenance> provenance = sql(() -> store.provenance(runId)).map(Provenance::fromJson);
    Map<String, Object> desired = UpsertVariables.of(run, cursor, settings.entity().orElse(null), config, provenance);
    sweepId().ifPresent(id -> desired.put("sweep", id));
    Map<String, Object> vars = UpsertVariables.changes(desired, ackedVariables,
        cursor.storageId() == null, cursor.configAcked() < run.configVersion());
    boolean creating = cursor.storageId() == null;
    UpsertResult r = retrier.run("UpsertBucket", currentUpsertPolicy, () -> deadlineNanos,
        t -> client.upsertBucket(vars, t), this::onRetry);
    if (creating && r.historyLineCount() > cursor.historyBase()) {
      // safety net behind the resume check: history we did not write is never written over
      throw new RemoteRunConflict("run " + runId + " already has " + r.historyLineCount()
          + " history lines on W&B that this store did not write; mnistlab does not overwrite them."
          + " Set WANDB_RESUME=allow (or RunSpec.resume(ResumeMode.ALLOW)) and start it again to"
          + " continue it, or choose a new run id. The run is kept in the local store.");
    }
    boolean firstUrl = cursor.url() == null;
    String entity = r.entity() != null ? r.entity() : (String) vars.get("entity");
    String project = r.project() != null ? r.project() : (String) vars.get("project");
    String name = r.runName() != null ? r.runName() : runId;
    String url = AppUrls.runUrl(settings.appUrl(), entity, project, name);
    SinkCursor next = cursor.withUpsert(run.configVersion(), r.storageId(), entity, project, name, url)
        .withLastError(null);
    long remoteAcked = next.historyBase() + next.historyAcked();
    if (!upsertedThisSession && r.historyLineCount() < remoteAcked) {
      // The server holds fewer lines than we recorded as acknowledged: resend from its count.
      long local = Math.max(0, r.historyLineCount() - next.historyBase());
      LOG.warn("W&B has {} history lines of run {}, the store recorded {} as acknowledged; resending"
          + " from line {}", r.historyLineCount(), runId, remoteAcked, r.historyLineCount());
      next = next.withHistoryAcked(local);
    }
    cursor = next;
    store.saveCursor(next);
    ackedVariables = UpsertVariables.merge(ackedVariables, desired);
    upsertedThisSession = true;
    if (lastRequestNanos == NONE) {
      // heartbeats are due from the run's creation on, not from the first data request
      lastRequestNanos = ticker.nanoTime();
    }
    if (firstUrl) {
      LOG.info("W&B run {}: {}", runId, url);
    }
  }

  /**
   * The W&amp;B id of the sweep the run is attached to, registering the sweep first when it is
   * recorded but not yet on W&amp;B (offline, or W&amp;B was late when the sweep started); empty when
   * the run has no sweep or W&amp;B does not take it yet (the next upsert tries again).
   */
  private Optional<String> sweepId() throws InterruptedException {
    Optional<String> key = sql(() -> store.sweepKeyOfRun(runId));
    if (key.isEmpty()) {
      return Optional.empty();
    }
    Optional<StoredSweep> sweep = sql(() -> store.sweep(key.get()));
    if (sweep.isEmpty()) {
      return Optional.empty();
    }
    if (sweep.get().remoteId() != null) {
      return Optional.of(sweep.get().remoteId());
    }
    try {
      return Optional.ofNullable(new SweepUploader(store, client, settings)
          .upload(key.get(), () -> deadlineNanos).remoteId());
    } catch (IOException e) {
      LOG.warn("W&B did not register sweep {} of run {} ({}); the run is attached once it does",
          key.get(), runId, redact(e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * Before this store first creates the run on W&amp;B: asks the server whether the id already
   * exists (as the official client does before resuming) and applies the resume mode. A run with
   * remote history is continued only when the mode allows it and the run has logged nothing yet
   * (inside {@link #start}), so its steps and runtime can continue the remote ones.
   */
  private void checkExistingRemoteRun(StoredRun run) throws IOException, InterruptedException {
    if (cursor.storageId() != null || cursor.historyBase() > 0 || remoteChecked) {
      return;
    }
    String entity = settings.entity().orElse(null);
    RemoteRunStatus r;
    try {
      r = retrier.run("RunResumeStatus", currentUpsertPolicy,
          () -> deadlineNanos, t -> client.runResumeStatus(entity, run.project(), run.id(), t),
          this::onRetry);
    } catch (WandbHttpException e) {
      if (e.status() != 200 || resume != null) {
        throw e;
      }
      // a GraphQL error (e.g. a server without this query): the upsert's historyLineCount guards
      LOG.warn("W&B could not say whether run {} exists ({}); relying on the upsert's answer",
          runId, redact(e.getMessage()));
      remoteChecked = true;
      return;
    }
    remoteChecked = true;
    String where = (r.entity() == null ? "" : r.entity() + "/") + run.project() + "/" + run.id();
    if (!r.exists()) {
      if (resume == ResumeMode.MUST) {
        throw new RemoteRunConflict("WANDB_RESUME=must but W&B has no run " + where
            + " to continue; check the run id and project, or use WANDB_RESUME=allow");
      }
      return;
    }
    if (resume == ResumeMode.NEVER && (r.started() || r.hasHistory())) {
      throw new RemoteRunConflict("run " + where + " already exists on W&B and WANDB_RESUME=never;"
          + " choose a new run id (RunSpec.runId or WANDB_RUN_ID)");
    }
    if (!r.hasHistory()) {
      return; // nothing to overwrite (e.g. a run a sweep pre-created)
    }
    if (resume == null) {
      throw new RemoteRunConflict("run " + where + " already exists on W&B with "
          + r.historyLineCount() + " history lines; mnistlab does not overwrite it. Set"
          + " WANDB_RESUME=allow (or RunSpec.resume(ResumeMode.ALLOW)) to continue it, or choose"
          + " a new run id (RunSpec.runId or WANDB_RUN_ID). The run is kept in the local store.");
    }
    if (!starting || run.historyLines() > 0) {
      throw new RemoteRunConflict("run " + where + " already has " + r.historyLineCount()
          + " history lines on W&B, found only after this run had logged steps of its own, so it"
          + " cannot continue them; it is kept in the local store. Start it again with W&B"
          + " reachable to continue the remote run, or choose a new run id.");
    }
    LOG.info("continuing W&B run {} after its {} history lines (last step {}, runtime {} s)",
        where, r.historyLineCount(), r.lastStep(), r.runtimeSeconds());
    continued = r;
    cursor = cursor.withRemoteBases(r.historyLineCount(), r.eventsLineCount(), r.logLineCount());
  }

  /** The summary line: every stored summary value plus {@code _wandb.runtime} (whole seconds). */
  private String summaryLine(StoredRun run) {
    Map<String, Object> summary = new LinkedHashMap<>(sql(() -> store.summary(runId)));
    long end = run.endTimeMillis() != null ? run.endTimeMillis()
        : run.state().isTerminal() ? run.heartbeatMillis() : System.currentTimeMillis();
    summary.put("_wandb", Map.of("runtime", Math.max(0, (end - run.startTimeMillis()) / 1000)));
    return Json.write(summary);
  }

  private StoredRun storedRun() {
    return sql(() -> store.storedRun(runId))
        .orElseThrow(() -> new TrackingException("run " + runId + " is not in the store " + store.location()));
  }

  /** What remains unacknowledged. */
  public UploadStatus status() {
    StoredRun run = storedRun();
    SinkCursor c = cursor;
    long[] aux = sql(() -> store.eventAndConsoleLines(runId));
    return new UploadStatus(runId, true, Math.max(0, run.historyLines() - c.historyAcked()),
        Math.max(0, aux[0] - c.eventsAcked()), Math.max(0, aux[1] - c.consoleAcked()),
        run.summaryVersion() > c.summaryAcked(),
        c.storageId() == null || c.configAcked() < run.configVersion(), !c.finishAcked(), c.url(),
        c.lastError());
  }

  private void recordError(String msg) {
    cursor = cursor.withLastError(msg);
    try {
      store.saveCursor(cursor);
    } catch (RuntimeException e) {
      LOG.debug("cannot record upload error: {}", e.toString());
    }
  }

  /** Removes the API key from a message, should a server or library ever echo it. */
  private String redact(String message) {
    if (message == null) {
      return "";
    }
    return settings.apiKey().map(k -> message.replace(k, "***")).orElse(message);
  }

  private interface SqlCall<T> {
    T run() throws SQLException;
  }

  private <T> T sql(SqlCall<T> call) {
    try {
      return call.run();
    } catch (SQLException e) {
      throw new TrackingException("reading run " + runId + " from the store failed: " + e.getMessage(), e);
    }
  }
}
