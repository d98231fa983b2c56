package dev.mnistlab.tracking;

import java.util.Optional;

/**
 * A filter for {@link LocalStore#runs(RunQuery)}: project, group and state (each optional), newest
 * first, at most {@link #limit()} runs. Immutable; build with {@link #builder()}.
 */
public final class RunQuery {
  private static final RunQuery ALL = builder().build();

  private final String project;
  private final String group;
  private final RunState state;
  private final int limit;

  private RunQuery(Builder b) {
    this.project = b.project;
    this.group = b.group;
    this.state = b.state;
    this.limit = b.limit;
  }

  /** Every run, newest first. */
  public static RunQuery all() {
    return ALL;
  }

  /** A new builder (no filters, no limit). */
  public static Builder builder() {
    return new Builder();
  }

  /** Only runs of this project, if set. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** Only runs of this group, if set. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /** Only runs in this state, if set. */
  public Optional<RunState> state() {
    return Optional.ofNullable(state);
  }

  /** Maximum number of runs returned; {@link Integer#MAX_VALUE} when unlimited. */
  public int limit() {
    return limit;
  }

  @Override
  public String toString() {
    return "RunQuery{project=" + project + ", group=" + group + ", state=" + state + ", limit="
        + limit + "}";
  }

  /** Builder for {@link RunQuery}. */
  public static final class Builder {
    private String project;
    private String group;
    private RunState state;
    private int limit = Integer.MAX_VALUE;

    private Builder() {}

    /** Keep only runs of this project ({@code null}: any). */
    public Builder project(String project) {
      this.project = project;
      return this;
    }

    /** Keep only runs of this group ({@code null}: any). */
    public Builder group(String group) {
      this.group = group;
      return this;
    }

    /** Keep only runs in this state ({@code null}: any). */
    public Builder state(RunState state) {
      this.state = state;
      return this;
    }

    /** Return at most this many runs (newest first). */
    public Builder limit(int limit) {
      if (limit <= 0) {
        throw new IllegalArgumentException("limit must be positive, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** Builds the query. */
    public RunQuery build() {
      return new RunQuery(this);
    }
  }
}
