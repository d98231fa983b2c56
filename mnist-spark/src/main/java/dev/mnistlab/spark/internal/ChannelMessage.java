package dev.mnistlab.spark.internal;

import dev.mnistlab.tracking.RunExport;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a trial on an executor says to the driver's sweep over the {@link ControlChannel}, and what
 * it hears back. Every request names the channel's token (known only to tasks of this sweep), the
 * trial and the Spark task attempt.
 */
public sealed interface ChannelMessage extends Serializable {

  /** The channel's secret token. */
  String token();

  /** The trial's index in the sweep (0-based). */
  int trial();

  /** The Spark task attempt (0 first). */
  int attempt();

  /** A task attempt begins: it asks for the store location and the W&amp;B environment. */
  record Hello(String token, int trial, int attempt) implements ChannelMessage {
    @Serial private static final long serialVersionUID = 1L;
  }

  /**
   * The attempt's run started.
   *
   * @param runId the run's id
   * @param stub the run as first recorded, when the executor records to a scratch store the
   *     driver imports from
   */
  record Started(String token, int trial, int attempt, String runId, Optional<RunExport> stub)
      implements ChannelMessage {
    @Serial private static final long serialVersionUID = 1L;

    /** Checks the components. */
    public Started {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(stub, "stub");
    }

    // Optional is not Serializable: it travels as a nullable field
    @Serial
    private Object writeReplace() {
      return new StartedForm(token, trial, attempt, runId, stub.orElse(null));
    }
  }

  /** {@link Started} as it travels. */
  record StartedForm(String token, int trial, int attempt, String runId, RunExport stub)
      implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Serial
    private Object readResolve() {
      return new Started(token, trial, attempt, runId, Optional.ofNullable(stub));
    }
  }

  /**
   * An epoch of the attempt's run finished.
   *
   * @param numbers the epoch's metrics ({@code EpochMetrics#toNumbers()})
   */
  record Epoch(String token, int trial, int attempt, Map<String, Double> numbers)
      implements ChannelMessage {
    @Serial private static final long serialVersionUID = 1L;

    /** Copies the metrics. */
    public Epoch {
      numbers = new LinkedHashMap<>(numbers);
    }
  }

  /**
   * The driver's answer to {@link Hello}.
   *
   * @param store where the executor records the run: the sweep's PostgreSQL store, or the empty
   *     string for a scratch SQLite file the driver imports from
   * @param environment the {@code WANDB_*} variables the trial's tracker reads
   */
  record Welcome(String store, Map<String, String> environment) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
      return "Welcome{variables " + environment.keySet() + "}";  // never the values
    }
  }

  /**
   * The driver's answer to {@link Started} and {@link Epoch}.
   *
   * @param goOn false: stop the trial after this epoch as finished early (hyperband)
   * @param stop the sweep was interrupted (Ctrl-C), or this attempt is not the trial's current one
   */
  record Reply(boolean goOn, boolean stop) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
  }
}
