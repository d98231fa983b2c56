package dev.mnistlab.tracking.internal.wandb;

import dev.mnistlab.tracking.SweepController;
import dev.mnistlab.tracking.TrackingException;
import dev.mnistlab.tracking.WandbSettings;
import dev.mnistlab.tracking.internal.store.JdbcStore;
import dev.mnistlab.tracking.internal.store.StoredSweep;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one recorded sweep to W&amp;B from its {@code sweeps} row, as the run uploader does for a
 * run: registers it ({@code UpsertSweep} with its YAML config; {@code controller: {type: local}}
 * when mnistlab chooses the parameters) when it has no W&amp;B id yet, then sends its state when
 * W&amp;B has not acknowledged it. What W&amp;B answered is written back to the row, so a resumed
 * sweep, a later run of it and {@code mnistlab sync} reuse the same W&amp;B sweep. A sweep W&amp;B's
 * own controller drives keeps the state W&amp;B gives it.
 */
public final class SweepUploader {
  private static final Logger LOG = LoggerFactory.getLogger(SweepUploader.class);

  private final JdbcStore store;
  private final SweepApi api;
  private final WandbSettings settings;
  private final Retrier retrier;
  private final RetryPolicy policy;

  /** An uploader of the sweeps in {@code store}, on the system clock. */
  public SweepUploader(JdbcStore store, WandbClient client, WandbSettings settings) {
    this.store = store;
    this.api = new SweepApi(client);
    this.settings = settings;
    this.retrier = new Retrier(Ticker.SYSTEM, Sleeper.system());
    this.policy = RetryPolicy.mostFailures(settings.minRetryWait(), settings.maxRetryWait(),
        settings.graphqlMaxRetries(), () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * Uploads what W&amp;B lacks of the sweep {@code key}, retrying until {@code deadlineNanos}
   * ({@link System#nanoTime()}).
   *
   * @return the row as it is now (with its W&amp;B id once registered)
   * @throws IOException when W&amp;B refused or did not answer in time (recorded in the row)
   * @throws InterruptedException when interrupted while waiting to retry
   */
  public StoredSweep upload(String key, LongSupplier deadlineNanos)
      throws IOException, InterruptedException {
    StoredSweep s = read(key);
    try {
      if (s.remoteId() == null) {
        Map<String, Object> controller = s.controller() == SweepController.LOCAL
            ? Map.of("type", "local") : null;
        StoredSweep row = s;
        SweepApi.UpsertedSweep r = retrier.run("UpsertSweep", policy, deadlineNanos,
            t -> api.upsertSweep(null, row.entity(), row.project(), row.configYaml(), controller,
                null, t), this::onRetry);
        r.warnings().forEach(w -> LOG.warn("W&B about sweep {}: {}", key, w));
        String entity = r.entity() != null ? r.entity() : s.entity();
        String project = r.project() != null ? r.project() : s.project();
        String url = entity == null ? null
            : AppUrls.sweepUrl(settings.appUrl(), entity, project, r.id());
        // a sweep W&B's controller drives gets its state from W&B
        s = s.withRemote(r.id(), r.storageId(), entity, project, url,
            s.controller() == SweepController.WANDB ? s.state() : null);
        save(s);
        LOG.info("W&B sweep {} registered: {}", r.id(), url);
      }
      if (s.stateAcked() != s.state() && s.controller() == SweepController.LOCAL) {
        StoredSweep row = s;
        retrier.run("UpsertSweep state", policy, deadlineNanos,
            t -> api.upsertSweep(row.storageId(), row.remoteEntity(), row.remoteProject(), null,
                null, row.state().wireName(), t), this::onRetry);
        s = s.withRemote(s.remoteId(), s.storageId(), s.remoteEntity(), s.remoteProject(), s.url(),
            s.state());
        save(s);
      }
      return s;
    } catch (IOException e) {
      String msg = e instanceof WandbHttpException h
          ? "W&B refused sweep " + key + " (" + h.getMessage() + ")"
          : "W&B did not take sweep " + key + ": " + e.getMessage();
      save(s.withLastError(msg));
      throw e;
    }
  }

  /** True when W&amp;B answered {@code e} as a definite refusal (not an outage worth retrying). */
  public boolean refused(IOException e) {
    return e instanceof WandbHttpException && !policy.retryable(e);
  }

  private StoredSweep read(String key) {
    try {
      return store.sweep(key).orElseThrow(() -> new TrackingException("sweep " + key
          + " is not in the store " + store.location()));
    } catch (SQLException e) {
      throw new TrackingException("reading sweep " + key + " from the store failed: "
          + e.getMessage(), e);
    }
  }

  private void save(StoredSweep s) {
    try {
      store.saveSweep(s).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrackingException("interrupted while recording sweep " + s.key(), e);
    } catch (ExecutionException e) {
      throw new TrackingException("recording sweep " + s.key() + " in the store failed: "
          + e.getCause().getMessage(), e.getCause());
    }
  }

  private void onRetry(int attempt, Exception failure, java.time.Duration wait) {
    if (attempt == 0 || attempt % 10 == 0) {
      LOG.warn("W&B sweep request failed ({}); retry {} in {} ms", failure.getMessage(),
          attempt + 1, wait.toMillis());
    }
  }
}
