package dev.mnistlab.tracking;

import java.util.Objects;
import java.util.Optional;

/**
 * A sweep recorded in the local store for W&amp;B, and what W&amp;B acknowledged of it. Runs started
 * with {@link RunSpec.Builder#sweep(String) its key} are attached to it on W&amp;B.
 *
 * @param key the local key (what {@link RunSpec.Builder#sweep} names)
 * @param id W&amp;B's sweep id, once registered (offline: after {@code mnistlab sync})
 * @param url the sweep page {@code …/{entity}/{project}/sweeps/{id}}, once registered
 * @param state the state it is recorded in
 */
public record RegisteredSweep(String key, Optional<String> id, Optional<String> url,
    SweepState state) {

  /** Checks the components. */
  public RegisteredSweep {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(state, "state");
  }
}
