package dev.mnistlab.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A run as recorded in the {@link LocalStore}: identity, description, state, exit code, times, how
 * many history lines it has, and where it is on W&amp;B (if it was uploaded). Immutable.
 */
public final class RunRecord {
  private final String id;
  private final String project;
  private final String name;
  private final String group;
  private final String jobType;
  private final List<String> tags;
  private final String notes;
  private final RunState state;
  private final Integer exitCode;
  private final Instant startTime;
  private final Instant endTime;
  private final long historyLines;
  private final String wandbUrl;
  private final String error;
  private final WandbState wandbState;

  /** Creates a record; used by the store. */
  public RunRecord(String id, String project, String name, String group, String jobType,
      List<String> tags, String notes, RunState state, Integer exitCode, Instant startTime,
      Instant endTime, long historyLines, String wandbUrl, String error) {
    this(id, project, name, group, jobType, tags, notes, state, exitCode, startTime, endTime,
        historyLines, wandbUrl, error, wandbUrl == null ? WandbState.OFF : WandbState.PENDING);
  }

  /** Creates a record with its W&amp;B state; used by the store. */
  public RunRecord(String id, String project, String name, String group, String jobType,
      List<String> tags, String notes, RunState state, Integer exitCode, Instant startTime,
      Instant endTime, long historyLines, String wandbUrl, String error, WandbState wandbState) {
    this.wandbState = Objects.requireNonNull(wandbState, "wandbState");
    this.id = Objects.requireNonNull(id, "id");
    this.project = Objects.requireNonNull(project, "project");
    this.name = name;
    this.group = group;
    this.jobType = jobType;
    this.tags = List.copyOf(tags);
    this.notes = notes;
    this.state = Objects.requireNonNull(state, "state");
    this.exitCode = exitCode;
    this.startTime = Objects.requireNonNull(startTime, "startTime");
    this.endTime = endTime;
    this.historyLines = historyLines;
    this.wandbUrl = wandbUrl;
    this.error = error;
  }

  /** Where the run stands with W&amp;B: off, pending upload, or uploaded. */
  public WandbState wandbState() {
    return wandbState;
  }

  /** Run id (also the W&amp;B run id). */
  public String id() {
    return id;
  }

  /** Project. */
  public String project() {
    return project;
  }

  /** Display name, if any. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** Group, if any. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /** Job type, if any. */
  public Optional<String> jobType() {
    return Optional.ofNullable(jobType);
  }

  /** Tags. */
  public List<String> tags() {
    return tags;
  }

  /** Notes, if any. */
  public Optional<String> notes() {
    return Optional.ofNullable(notes);
  }

  /** State. */
  public RunState state() {
    return state;
  }

  /** Exit code, once finished. */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** Start time. */
  public Instant startTime() {
    return startTime;
  }

  /** End time, once finished. */
  public Optional<Instant> endTime() {
    return Optional.ofNullable(endTime);
  }

  /** Run time so far (until now for a running run). */
  public Duration duration() {
    return Duration.between(startTime, endTime == null ? Instant.now() : endTime);
  }

  /** Number of history lines (logged steps). */
  public long historyLines() {
    return historyLines;
  }

  /** The W&amp;B run page, once the run was created on W&amp;B. */
  public Optional<String> wandbUrl() {
    return Optional.ofNullable(wandbUrl);
  }

  /** The error message recorded when the run failed, if any. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  @Override
  public String toString() {
    return "RunRecord{id=" + id + ", project=" + project + ", name=" + name + ", group=" + group
        + ", state=" + state.label() + ", exitCode=" + exitCode + ", historyLines=" + historyLines
        + "}";
  }
}
