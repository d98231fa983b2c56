package dev.mnistlab.tracking.internal.wandb;

import java.io.IOException;

/**
 * The run id already exists on W&amp;B in a way the run's resume mode does not allow (or a
 * {@code must} resume finds no run). Never retried: the answer will not change; the message says
 * what to do. The run's data stays in the local store.
 */
public final class RemoteRunConflict extends IOException {
  private static final long serialVersionUID = 1L;

  RemoteRunConflict(String message) {
    super(message);
  }
}
