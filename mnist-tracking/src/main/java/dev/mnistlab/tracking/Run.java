package dev.mnistlab.tracking;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tracked run, started by {@link Tracker#start(RunSpec)}. Everything is written to the local
 * store first; a W&amp;B sink, if configured, streams from there in the background. Methods never
 * wait for the network, and {@link #log} only enqueues (typically a few microseconds). Thread-safe.
 *
 * <pre>{@code
 * try (Run run = tracker.start(RunSpec.builder().project("mnist").name("cnn-basic").build())) {
 *   run.log(Map.of("epoch", 1, "loss", 0.21, "val_accuracy", 0.975));
 *   run.summary("test_accuracy", 0.981);
 *   run.finish(0);
 * }
 * }</pre>
 */
public interface Run extends AutoCloseable {
  /** The run id (also the W&amp;B run id). */
  String id();

  /** The spec the run was started with (after environment defaults). */
  RunSpec spec();

  /**
   * Logs one step with the next step number ({@code _step}: 0, 1, 2...).
   *
   * @param metrics keys must not start with {@code _} (reserved by W&amp;B); values are numbers
   *     (non-finite allowed), strings, booleans, lists or maps, and as top-level values media: an
   *     {@link Image}, a list of images, a {@link Table} or a {@link ConfusionMatrix} (stored as
   *     run files under {@code media/} and referenced from the row, as W&amp;B's client does)
   * @throws IllegalArgumentException for a reserved key or an unsupported value type
   * @throws IllegalStateException after the run finished
   * @throws TrackingException if the store failed (a write could not be committed: full disk,
   *     I/O error, a lock held past the lock timeout); the message names the store and the cause
   */
  void log(Map<String, ?> metrics);

  /**
   * Logs one step with an explicit step number, which must be greater than every earlier step
   * (W&amp;B drops non-increasing steps; mnistlab refuses them at once).
   *
   * @throws IllegalArgumentException if {@code step} is not greater than the last step
   */
  void log(long step, Map<String, ?> metrics);

  /** The last logged step, or -1 before the first {@code log}. */
  long lastStep();

  /** Sets a summary value (e.g. best or test metrics); later {@code log}s of the same key replace it. */
  void summary(String key, Object value);

  /** Sets summary values. */
  void summary(Map<String, ?> values);

  /** Adds or replaces configuration entries (re-sent to W&amp;B). */
  void config(Map<String, ?> values);

  /**
   * Declares that {@code metric} is plotted against {@code stepMetric} (W&amp;B {@code define_metric}),
   * e.g. {@code defineMetric("val_accuracy", "epoch")}.
   */
  void defineMetric(String metric, String stepMetric);

  /** Replaces the run's provenance (e.g. the captured one plus dataset checksums and seed). */
  void provenance(Provenance provenance);

  /** Stores test-set predictions (inputs and outputs of the network) with the run. */
  void predictions(List<TestPrediction> predictions);

  /**
   * Adds a line to the run's console ({@code output.log}, W&amp;B's Logs tab), as if printed to
   * standard output; a text with line breaks becomes several lines. mnistlab does not capture
   * {@code System.out}: what the program wants on the dashboard it passes here (the mnistlab CLI
   * passes its epoch lines, warnings and final metrics).
   *
   * @throws IllegalStateException after the run finished
   */
  void console(String text);

  /** {@link #console(String)} for a standard-error line (W&amp;B marks it as an error line). */
  void consoleError(String text);

  /**
   * Stores a file with the run (e.g. a model summary), shown in W&amp;B's Files tab; a later call
   * with the same name replaces it (and uploads the new version).
   *
   * @param name a relative path ({@code model-summary.txt}, {@code plots/loss.svg}); not one of the
   *     files mnistlab writes itself ({@code wandb-metadata.json}, {@code config.yaml},
   *     {@code dependencies.txt}, {@code output.log}, ...)
   * @throws IllegalArgumentException for an absolute path, {@code ..} or a reserved name
   * @throws IllegalStateException after the run finished
   */
  void file(String name, byte[] content);

  /**
   * Logs an artifact (e.g. the trained model as type {@code model}) with the run: stored with its
   * files at once, uploaded to W&amp;B's Artifacts by the background sender (offline: by {@code
   * mnistlab sync}); a version whose content W&amp;B already holds is not uploaded again.
   *
   * @throws IllegalStateException after the run finished
   */
  void artifact(Artifact artifact);

  /** The W&amp;B run page, once W&amp;B created the run. */
  Optional<String> url();

  /**
   * True once W&amp;B asked the run to stop ({@code {"stopped": true}} in a file_stream answer: Stop
   * in the UI, or a W&amp;B sweep's early termination). A training loop checks it at its iteration
   * or epoch boundary and ends normally; a run asked to stop that then finishes with exit code 0
   * is recorded as {@link RunState#STOPPED}. Always false without W&amp;B.
   */
  boolean isStopRequested();

  /**
   * Calls {@code listener} once when W&amp;B asks the run to stop (at once if it already has). It
   * runs on the upload thread and must return quickly (set a flag, interrupt a wait).
   */
  void onStopRequested(Runnable listener);

  /**
   * Ends the run: exit code 0 is {@link RunState#FINISHED} ({@link RunState#STOPPED} if W&amp;B asked
   * it to stop), anything else {@link RunState#FAILED}.
   *
   * @throws TrackingException if the store failed: the run is not recorded as ended (it was marked
   *     failed with the reason if the database took that write, else it shows as crashed)
   */
  void finish(int exitCode);

  /** Ends the run in an explicit state, e.g. {@link RunState#INTERRUPTED} with 130 on Ctrl-C. */
  void finish(RunState state, int exitCode);

  /**
   * Ends the run as {@link RunState#FAILED} (exit code 1), recording the error's message. Never
   * throws for a failed store (it is called while handling an error).
   */
  void fail(Throwable error);

  /**
   * Finishes the run (exit code 0) if it was not finished, commits it to the store and waits at
   * most {@code timeout} for the sink to acknowledge everything. Never waits longer; what remains
   * is kept in the store for {@code mnistlab sync}, and the result says what it is.
   *
   * @throws TrackingException if a write of the run could not be committed: the run is then not
   *     recorded as finished
   */
  UploadStatus close(Duration timeout);

  /** {@link #close(Duration)} with the sink's default close timeout. */
  @Override
  void close();
}
