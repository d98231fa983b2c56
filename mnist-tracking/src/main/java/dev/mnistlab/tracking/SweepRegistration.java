package dev.mnistlab.tracking;

import java.util.Objects;
import java.util.Optional;

/**
 * A sweep to register on W&amp;B ({@link Tracker#registerSweep}): its local key (what a resumed
 * sweep is found by in the store), project and entity, its W&amp;B sweep config as YAML and who
 * chooses its parameters. Immutable; build with {@link #builder(String)}.
 */
public final class SweepRegistration {
  private final String key;
  private final String project;
  private final String entity;
  private final String configYaml;
  private final SweepController controller;

  private SweepRegistration(Builder b) {
    this.key = b.key;
    this.project = Objects.requireNonNull(b.project, "project");
    this.entity = b.entity;
    this.configYaml = Objects.requireNonNull(b.configYaml, "configYaml");
    this.controller = b.controller;
  }

  /**
   * A builder for the sweep known locally as {@code key}: the same key finds the same W&amp;B sweep
   * again (e.g. a local sweep's project, name and fingerprint).
   *
   * @throws IllegalArgumentException if the key is empty or longer than 255 characters
   */
  public static Builder builder(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.length() > 255) {
      throw new IllegalArgumentException("sweep key must have 1-255 characters: " + key);
    }
    return new Builder(key);
  }

  /** The local key. */
  public String key() {
    return key;
  }

  /** The W&amp;B project. */
  public String project() {
    return project;
  }

  /** The W&amp;B entity, when not the key's default. */
  public Optional<String> entity() {
    return Optional.ofNullable(entity);
  }

  /** The W&amp;B sweep config, as YAML text (W&amp;B's {@code UpsertSweep} takes YAML). */
  public String configYaml() {
    return configYaml;
  }

  /** Who chooses the parameters. */
  public SweepController controller() {
    return controller;
  }

  @Override
  public String toString() {
    return "SweepRegistration{key=" + key + ", project=" + project + ", entity=" + entity
        + ", controller=" + controller + "}";
  }

  /** Builder for {@link SweepRegistration}. */
  public static final class Builder {
    private final String key;
    private String project;
    private String entity;
    private String configYaml;
    private SweepController controller = SweepController.LOCAL;

    private Builder(String key) {
      this.key = key;
    }

    /** The W&amp;B project (required). */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The W&amp;B entity (default: the key's). */
    public Builder entity(String entity) {
      this.entity = entity;
      return this;
    }

    /** The W&amp;B sweep config as YAML (required). */
    public Builder configYaml(String yaml) {
      this.configYaml = Objects.requireNonNull(yaml, "configYaml");
      return this;
    }

    /** Who chooses the parameters (default {@link SweepController#LOCAL}). */
    public Builder controller(SweepController controller) {
      this.controller = Objects.requireNonNull(controller, "controller");
      return this;
    }

    /** The registration. */
    public SweepRegistration build() {
      return new SweepRegistration(this);
    }
  }
}
