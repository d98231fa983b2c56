package dev.mnistlab.experiments.trial;

import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.WandbMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a trial's run is recorded: the local store (always) and Weights &amp; Biases.
 *
 * @param store the local store: a SQLite file path or a {@code jdbc:postgresql:} URL
 * @param wandbMode the W&amp;B mode; empty for {@code auto} (online when an API key is present)
 * @param project the W&amp;B project
 * @param entity the W&amp;B entity (user or team), when not the key's default
 * @param tags tags put on every run
 * @param projectSet whether {@code project} was configured (it then wins over {@code
 *     WANDB_PROJECT}) or is mnistlab's default (which {@code WANDB_PROJECT} replaces)
 */
public record TrackingSettings(
    String store, Optional<WandbMode> wandbMode, String project, Optional<String> entity,
    List<String> tags, boolean projectSet) {

  /** mnistlab's project when neither the config nor {@code WANDB_PROJECT} names one. */
  public static final String DEFAULT_PROJECT = "mnistlab";

  /** The default local store, relative to the working directory (the tracking module's default). */
  public static final String DEFAULT_STORE = LocalStore.DEFAULT_LOCATION;

  /** Settings with an explicitly configured project. */
  public TrackingSettings(String store, Optional<WandbMode> wandbMode, String project,
      Optional<String> entity, List<String> tags) {
    this(store, wandbMode, project, entity, tags, true);
  }

  /** Copies and checks the components. */
  public TrackingSettings {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(wandbMode, "wandbMode");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(entity, "entity");
    tags = List.copyOf(tags);
  }

  /** Local store at {@link #DEFAULT_STORE}, W&amp;B when a key is present, project mnistlab. */
  public static TrackingSettings defaults() {
    return new TrackingSettings(DEFAULT_STORE, Optional.empty(), DEFAULT_PROJECT, Optional.empty(),
        List.of(), false);
  }

  /** A copy with another local store (the {@code --store} override). */
  public TrackingSettings withStore(String newStore) {
    return new TrackingSettings(newStore, wandbMode, project, entity, tags, projectSet);
  }

  /**
   * The mode as written in configs: {@code auto}, {@code online}, {@code offline} or {@code
   * disabled}.
   */
  public String wandbModeName() {
    return wandbMode.map(m -> m.name().toLowerCase(java.util.Locale.ROOT)).orElse("auto");
  }
}
