package dev.mnistlab.tracking;

import java.util.Locale;

/** Where a run stands with W&amp;B, as {@code mnistlab runs list} shows it. */
public enum WandbState {
  /** Recorded with W&amp;B disabled: {@code mnistlab sync} leaves it alone unless it is named. */
  OFF,
  /** Recorded for W&amp;B (streamed or offline) and not yet completely uploaded. */
  PENDING,
  /** Everything, including the finish, acknowledged by W&amp;B. */
  UPLOADED;

  /** The lower-case name shown to users. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
