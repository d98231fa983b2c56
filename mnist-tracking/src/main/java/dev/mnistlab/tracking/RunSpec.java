package dev.mnistlab.tracking;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a run is: project, display name, group, job type, tags, notes, configuration, an optional
 * run id and what to do if that id already exists on W&amp;B ({@link ResumeMode}). Immutable; build
 * with {@link #builder()}.
 *
 * <p>Precedence is W&amp;B's: a value set here (in code, or from a config file by the caller) wins
 * over the {@code WANDB_*} environment variable, which wins over a default. A caller with a default
 * of its own (the CLI's project {@code mnistlab}) passes it as {@link Builder#defaultProject} so
 * {@code WANDB_PROJECT} still applies.
 */
public final class RunSpec {
  /** Characters W&amp;B forbids in run ids. */
  private static final Pattern FORBIDDEN_ID_CHARS = Pattern.compile("[:;,#?/']");
  private static final Pattern FORBIDDEN_PROJECT_CHARS = Pattern.compile("[/\\\\#?%:]");

  private final String project;
  private final String name;
  private final String group;
  private final String jobType;
  private final List<String> tags;
  private final String notes;
  private final Map<String, Object> config;
  private final String runId;
  private final ResumeMode resume;
  private final boolean projectSet;
  private final String sweep;

  private RunSpec(Builder b) {
    this.resume = b.resume;
    this.projectSet = b.projectSet;
    this.project = b.project;
    this.name = b.name;
    this.group = b.group;
    this.jobType = b.jobType;
    this.tags = Collections.unmodifiableList(new ArrayList<>(b.tags));
    this.notes = b.notes;
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
    this.runId = b.runId;
    this.sweep = b.sweep;
  }

  /** A new builder; only {@code project} is required (default {@code "uncategorized"}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with this spec's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.project = project;
    b.name = name;
    b.group = group;
    b.jobType = jobType;
    b.tags.addAll(tags);
    b.notes = notes;
    b.config.putAll(config);
    b.runId = runId;
    b.resume = resume;
    b.projectSet = projectSet;
    b.sweep = sweep;
    return b;
  }

  /** Project name (W&amp;B project; also a filter in the local store). */
  public String project() {
    return project;
  }

  /** Human display name, if set. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** Run group (e.g. the sweep), if set. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  /** Job type (e.g. {@code train}), if set. */
  public Optional<String> jobType() {
    return Optional.ofNullable(jobType);
  }

  /** Tags, in order, without duplicates. */
  public List<String> tags() {
    return tags;
  }

  /** Notes (markdown), if set. */
  public Optional<String> notes() {
    return Optional.ofNullable(notes);
  }

  /** Configuration (hyperparameters); values are JSON-like: numbers, strings, booleans, lists, maps. */
  public Map<String, Object> config() {
    return config;
  }

  /** The requested run id, if any; otherwise the tracker generates one. */
  public Optional<String> runId() {
    return Optional.ofNullable(runId);
  }

  /** What to do if the run id already exists on W&amp;B; empty: refuse to write over its history. */
  public Optional<ResumeMode> resume() {
    return Optional.ofNullable(resume);
  }

  /**
   * The key of the recorded sweep the run belongs to ({@link Tracker#registerSweep}, {@link
   * Tracker#sweepAgent}), if any: on W&amp;B the run is attached to that sweep.
   */
  public Optional<String> sweep() {
    return Optional.ofNullable(sweep);
  }

  @Override
  public String toString() {
    return "RunSpec{project=" + project + ", resume=" + resume + ", name=" + name + ", group=" + group + ", jobType="
        + jobType + ", tags=" + tags + ", runId=" + runId + ", sweep=" + sweep + ", config=" + config.keySet() + "}";
  }

  /** Builder for {@link RunSpec}. */
  public static final class Builder {
    private String project = "uncategorized";
    private String name;
    private String group;
    private String jobType;
    private final List<String> tags = new ArrayList<>();
    private String notes;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private String runId;
    private ResumeMode resume;
    private boolean projectSet;
    private String sweep;

    private Builder() {}

    /**
     * Attaches the run to a sweep recorded with {@link Tracker#registerSweep} or {@link
     * Tracker#sweepAgent}, by its key (W&amp;B's {@code sweep} of the run). A key the tracker's
     * store does not hold (a scratch store on another machine) leaves the run unattached, with a
     * warning: the run itself is recorded as always.
     */
    public Builder sweep(String sweepKey) {
      this.sweep = sweepKey;
      return this;
    }

    /**
     * Project name: at most 128 characters, none of {@code / \ # ? % :} (W&amp;B's rule).
     *
     * @throws IllegalArgumentException if the name is empty, too long or has a forbidden character
     */
    public Builder project(String project) {
      Objects.requireNonNull(project, "project");
      if (project.isEmpty() || project.length() > 128
          || FORBIDDEN_PROJECT_CHARS.matcher(project).find()) {
        throw new IllegalArgumentException("invalid project name '" + project
            + "': expected 1-128 characters without / \\ # ? % :");
      }
      this.project = project;
      this.projectSet = true;
      return this;
    }

    /**
     * The project used when neither {@link #project} nor {@code WANDB_PROJECT} names one (default
     * {@code uncategorized}, as W&amp;B's).
     *
     * @throws IllegalArgumentException if the name is not a valid project name
     */
    public Builder defaultProject(String project) {
      boolean wasSet = projectSet;
      String explicit = this.project;
      project(project); // validates
      if (wasSet) {
        this.project = explicit;
      }
      this.projectSet = wasSet;
      return this;
    }

    /** What to do if the run id already exists on W&amp;B (as {@code WANDB_RESUME}). */
    public Builder resume(ResumeMode resume) {
      this.resume = resume;
      return this;
    }

    /** Display name. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Run group, e.g. the sweep id. */
    public Builder group(String group) {
      this.group = group;
      return this;
    }

    /** Job type, e.g. {@code train} or {@code eval}. */
    public Builder jobType(String jobType) {
      this.jobType = jobType;
      return this;
    }

    /** Adds tags (duplicates ignored). */
    public Builder tags(String... tags) {
      return tags(List.of(tags));
    }

    /** Adds tags (duplicates ignored). */
    public Builder tags(List<String> tags) {
      for (String t : tags) {
        Objects.requireNonNull(t, "tag");
        if (!this.tags.contains(t)) {
          this.tags.add(t);
        }
      }
      return this;
    }

    /** Notes (markdown). */
    public Builder notes(String notes) {
      this.notes = notes;
      return this;
    }

    /** Adds all entries to the configuration. */
    public Builder config(Map<String, ?> config) {
      config.forEach(this::config);
      return this;
    }

    /** Adds one configuration entry. */
    public Builder config(String key, Object value) {
      Objects.requireNonNull(key, "config key");
      this.config.put(key, value);
      return this;
    }

    /**
     * The run id. W&amp;B forbids {@code : ; , # ? / '} and leading or trailing spaces, and an id can
     * never be reused after its run was deleted.
     *
     * @throws IllegalArgumentException if the id is not acceptable to W&amp;B
     */
    public Builder runId(String runId) {
      if (runId != null) {
        if (runId.isEmpty() || runId.length() > 128 || !runId.strip().equals(runId)
            || FORBIDDEN_ID_CHARS.matcher(runId).find()) {
          throw new IllegalArgumentException("invalid run id '" + runId
              + "': expected 1-128 characters, no leading/trailing space, none of : ; , # ? / '");
        }
      }
      this.runId = runId;
      return this;
    }

    /** Builds the immutable spec. */
    public RunSpec build() {
      return new RunSpec(this);
    }
  }

  /** Returns a copy whose unset fields are filled from W&amp;B environment variables. */
  RunSpec withEnvironmentDefaults(Map<String, String> env) {
    Builder b = toBuilder();
    if (!projectSet && nonBlank(env.get("WANDB_PROJECT"))) {
      b.project(env.get("WANDB_PROJECT").strip());
    }
    if (resume == null && nonBlank(env.get("WANDB_RESUME"))) {
      b.resume(ResumeMode.parse(env.get("WANDB_RESUME")));
    }
    if (name == null && nonBlank(env.get("WANDB_NAME"))) {
      b.name(env.get("WANDB_NAME"));
    }
    if (group == null && nonBlank(env.get("WANDB_RUN_GROUP"))) {
      b.group(env.get("WANDB_RUN_GROUP"));
    }
    if (jobType == null && nonBlank(env.get("WANDB_JOB_TYPE"))) {
      b.jobType(env.get("WANDB_JOB_TYPE"));
    }
    if (notes == null && nonBlank(env.get("WANDB_NOTES"))) {
      b.notes(env.get("WANDB_NOTES"));
    }
    if (runId == null && nonBlank(env.get("WANDB_RUN_ID"))) {
      b.runId(env.get("WANDB_RUN_ID"));
    }
    if (nonBlank(env.get("WANDB_TAGS"))) {
      for (String t : env.get("WANDB_TAGS").split(",")) {
        if (!t.isBlank()) {
          b.tags(t.strip());
        }
      }
    }
    return b.build();
  }

  private static boolean nonBlank(String s) {
    return s != null && !s.isBlank();
  }
}
