package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.store.JdbcStore;
import dev.mnistlab.tracking.internal.store.RunLiveness;
import dev.mnistlab.tracking.internal.store.SinkCursor;
import dev.mnistlab.tracking.internal.store.StoredRun;
import dev.mnistlab.tracking.internal.store.StoredSweep;
import dev.mnistlab.tracking.internal.wandb.SweepUploader;
import dev.mnistlab.tracking.internal.wandb.RunUploader;
import dev.mnistlab.tracking.internal.wandb.WandbClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads to W&amp;B whatever it has not acknowledged (behind {@code mnistlab sync}): runs recorded
 * offline, runs whose upload was cut by an outage or a bounded close, and runs whose process died.
 * Each run resumes from its upload cursor in the store; history offsets are line indices, so
 * nothing is sent twice as new data and nothing is skipped. A run still marked running whose
 * process is gone (same host: its pid is dead; other hosts: no heartbeat for
 * {@link Builder#staleAfter}) is recorded as {@link RunState#CRASHED} and finished on W&amp;B with
 * exit code 1, as the official {@code wandb sync} does for a log without an exit record.
 *
 * <p>Which runs: {@link #syncAll} takes the runs recorded for W&amp;B (streamed, or recorded in
 * offline mode); a run recorded with W&amp;B disabled stays local unless it is named in
 * {@link #sync} or {@link Builder#includeRunsWithoutWandb} is set. The timeout bounds the whole
 * sync, including each HTTP call, whatever the server does.
 */
public final class Syncer {
  private static final Logger LOG = LoggerFactory.getLogger(Syncer.class);

  private final LocalStore store;
  private final WandbSettings settings;
  private final Duration staleAfter;
  private final boolean includeRunsWithoutWandb;

  private Syncer(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.settings = Objects.requireNonNull(b.wandb, "wandb settings");
    this.staleAfter = b.staleAfter;
    this.includeRunsWithoutWandb = b.includeRunsWithoutWandb;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Uploads every run recorded for W&amp;B that has unacknowledged data, within {@code timeout} in
   * all; what is left is reported and uploaded by a later sync.
   *
   * @throws TrackingException if no API key is configured
   */
  public SyncReport syncAll(Duration timeout) {
    return sync(null, timeout);
  }

  /**
   * Uploads the given runs, whether or not they were recorded for W&amp;B (ids not in the store
   * are reported as errors), within {@code timeout} in all.
   *
   * @throws TrackingException if no API key is configured
   */
  public SyncReport sync(Collection<String> runIds, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String key = settings.apiKey().orElseThrow(() -> new TrackingException(
        "no W&B API key: set WANDB_API_KEY or add a netrc entry for " + settings.baseUrl()));
    JdbcStore jdbc = store.jdbc();
    WandbClient client = new WandbClient(settings.baseUrl(), key, settings.httpTimeout());
    List<UploadStatus> results = new ArrayList<>();
    List<String> live = new ArrayList<>();
    int already = 0;
    try {
      registerSweeps(jdbc, client, deadline);
      List<StoredRun> runs = new ArrayList<>();
      if (runIds == null) {
        for (StoredRun r : jdbc.storedRuns()) {
          if (includeRunsWithoutWandb || jdbc.cursor(r.id(), JdbcStore.WANDB_SINK).isPresent()) {
            runs.add(r);
          }
        }
      } else {
        for (String id : runIds) {
          Optional<StoredRun> r = jdbc.storedRun(id);
          if (r.isPresent()) {
            runs.add(r.get());
          } else {
            results.add(new UploadStatus(id, true, 0, false, false, false, null,
                "run " + id + " is not in the store " + store.location()));
          }
        }
      }
      for (StoredRun run : runs) {
        Optional<SinkCursor> cursor = jdbc.cursor(run.id(), JdbcStore.WANDB_SINK);
        // a file or artifact that gave up in an earlier session is retried here
        if (cursor.isPresent() && uploaded(run, cursor.get())
            && jdbc.pendingUploads(run.id(), JdbcStore.WANDB_SINK).isEmpty()) {
          already++;
          continue;
        }
        if (run.state() == RunState.RUNNING) {
          if (RunLiveness.isAlive(run, staleAfter)) {
            live.add(run.id());
            continue;
          }
          LOG.info("run {} was left running by a process that is gone; recording it as crashed", run.id());
          jdbc.finishRun(run.id(), RunState.CRASHED, 1, "the process ended without finishing the run",
              run.heartbeatMillis()).get(1, TimeUnit.MINUTES);
        }
        jdbc.flush().get(1, TimeUnit.MINUTES);
        RunUploader uploader = new RunUploader(jdbc, run.id(), client, settings);
        UploadStatus st = System.nanoTime() - deadline >= 0 ? uploader.status()
            : uploader.drain(deadline);
        if (st.complete()) {
          LOG.info("{}", st.describe());
        } else {
          LOG.warn("{}", st.describe());
        }
        results.add(st);
      }
    } catch (SQLException e) {
      throw store.readFailed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("sync interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new TrackingException("writing to the run store " + store.location() + " failed: " + e.getMessage(), e);
    } finally {
      client.shutdown();
    }
    return new SyncReport(results, live, already);
  }

  /**
   * Registers the recorded sweeps W&amp;B lacks (offline sweeps) and sends the states it has not
   * taken, before the runs, so each run is attached to its sweep when it is created.
   */
  private void registerSweeps(JdbcStore jdbc, WandbClient client, long deadline)
      throws SQLException, InterruptedException {
    SweepUploader uploader = new SweepUploader(jdbc, client, settings);
    for (StoredSweep sweep : jdbc.sweeps()) {
      if (sweep.uploaded() || (sweep.remoteId() != null
          && sweep.controller() == SweepController.WANDB)) {
        continue;
      }
      try {
        StoredSweep done = uploader.upload(sweep.key(), () -> deadline);
        LOG.info("sweep {}: W&B sweep {} ({})", sweep.key(), done.remoteId(),
            done.state().wireName().toLowerCase(java.util.Locale.ROOT));
      } catch (java.io.IOException e) {
        LOG.warn("sweep {} not registered on W&B: {}; its runs are uploaded without it and"
            + " attached by a later sync", sweep.key(), e.getMessage());
      }
    }
  }

  private static boolean uploaded(StoredRun run, SinkCursor c) {
    return c.finishAcked() && c.historyAcked() >= run.historyLines()
        && c.summaryAcked() >= run.summaryVersion() && c.configAcked() >= run.configVersion();
  }

  @Override
  public String toString() {
    return "Syncer{store=" + store.location() + ", wandb=" + settings + "}";
  }

  /** Builder for {@link Syncer}. */
  public static final class Builder {
    private LocalStore store;
    private WandbSettings wandb;
    private Duration staleAfter = Duration.ofMinutes(2);
    private boolean includeRunsWithoutWandb;

    private Builder() {}

    /** The store to upload from. */
    public Builder store(LocalStore store) {
      this.store = store;
      return this;
    }

    /** Where to upload (the key is required; the mode is ignored: syncing is explicit). */
    public Builder wandb(WandbSettings wandb) {
      this.wandb = wandb;
      return this;
    }

    /**
     * A running run recorded on another host counts as crashed after this long without a heartbeat
     * (default 2 minutes; writers refresh it every 5 s).
     */
    public Builder staleAfter(Duration staleAfter) {
      this.staleAfter = Objects.requireNonNull(staleAfter);
      return this;
    }

    /**
     * Whether {@link Syncer#syncAll} also uploads runs recorded with W&amp;B disabled (default
     * false: a run kept off W&amp;B stays off unless named).
     */
    public Builder includeRunsWithoutWandb(boolean include) {
      this.includeRunsWithoutWandb = include;
      return this;
    }

    /** Builds the syncer. */
    public Syncer build() {
      return new Syncer(this);
    }
  }

}
