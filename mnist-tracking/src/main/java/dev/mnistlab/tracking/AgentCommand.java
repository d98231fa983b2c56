package dev.mnistlab.tracking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One command a W&amp;B sweep agent received in a heartbeat answer (PROTOCOL §7.3): train a run W&amp;B
 * created, stop a run, or exit. Only the type, the run id and the parameters are kept: the
 * {@code program} or command line W&amp;B may send is dropped on arrival, so nothing can run it.
 *
 * @param type what to do
 * @param typeName the type as W&amp;B sent it (kept to name an unknown one)
 * @param runId the run the command is about ({@code run}, {@code resume}, {@code stop})
 * @param parameters the run's parameters as W&amp;B chose them, by name, unwrapped from
 *     {@code {"value": v}} (JSON-like values: numbers, strings, booleans, lists, maps); it stays a
 *     map because it is W&amp;B's open record, checked by the caller as a sweep config is
 */
public record AgentCommand(Type type, String typeName, Optional<String> runId,
    Map<String, Object> parameters) {

  /** The command types. */
  public enum Type {
    /** Train the run W&amp;B pre-created, under its id, with its parameters. */
    RUN,
    /** Continue a run (treated as {@link #RUN}: W&amp;B resumes it). */
    RESUME,
    /** Stop the running run at its next batch, as stopped. */
    STOP,
    /** Stop everything and quit. */
    EXIT,
    /** Anything else (logged and ignored). */
    UNKNOWN
  }

  /** Copies the parameters. */
  public AgentCommand {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(typeName, "typeName");
    Objects.requireNonNull(runId, "runId");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** A command from W&amp;B's type name ({@code run}, {@code stop}, ...). */
  public static AgentCommand of(String typeName, String runId, Map<String, Object> parameters) {
    Type type;
    try {
      type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      type = Type.UNKNOWN;
    }
    return new AgentCommand(type, typeName, Optional.ofNullable(runId), parameters);
  }
}
