package dev.mnistlab.tracking;

import java.util.Locale;

/** {@code WANDB_MODE}: whether runs are streamed to W&amp;B now, later, or never. */
public enum WandbMode {
  /** Stream to W&amp;B while the run is going (the default when an API key is available). */
  ONLINE,
  /** Record locally only; {@code mnistlab sync} uploads later ({@code offline} or {@code dryrun}). */
  OFFLINE,
  /** No W&amp;B at all (the local store still records every run). */
  DISABLED;

  /**
   * Parses a {@code WANDB_MODE} value: {@code online}, {@code offline}, {@code dryrun},
   * {@code disabled} ({@code shared} is treated as {@code online}).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static WandbMode parse(String value) {
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "online":
      case "shared":
      case "run":
        return ONLINE;
      case "offline":
      case "dryrun":
        return OFFLINE;
      case "disabled":
        return DISABLED;
      default:
        throw new IllegalArgumentException("WANDB_MODE must be online, offline or disabled, was '"
            + value + "'");
    }
  }
}
