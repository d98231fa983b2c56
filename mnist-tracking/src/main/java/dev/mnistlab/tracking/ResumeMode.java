package dev.mnistlab.tracking;

import java.util.Locale;

/**
 * What to do when the run id already exists on W&amp;B ({@code WANDB_RESUME}, the official values).
 * Without a resume mode mnistlab refuses to write to a remote run that already has history: writing
 * from line 0 would overwrite it.
 */
public enum ResumeMode {
  /** Continue the remote run if it exists, otherwise create it. */
  ALLOW,
  /** Continue the remote run; fail if it does not exist. */
  MUST,
  /** Fail if the remote run exists. */
  NEVER,
  /**
   * As {@link #ALLOW}. (The official client resumes a crashed run of the same machine found in its
   * local files; mnistlab's store is that record, so continuing an existing id is the same thing.)
   */
  AUTO;

  /** True when an existing remote run is continued. */
  public boolean continuesExisting() {
    return this != NEVER;
  }

  /** The lower-case name, as in {@code WANDB_RESUME}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a {@code WANDB_RESUME} value: {@code allow}, {@code must}, {@code never}, {@code auto}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static ResumeMode parse(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    for (ResumeMode m : values()) {
      if (m.label().equals(v)) {
        return m;
      }
    }
    throw new IllegalArgumentException("WANDB_RESUME must be allow, must, never or auto, was '"
        + value + "'");
  }
}
