package dev.mnistlab.tracking.internal.store;

import dev.mnistlab.tracking.SweepController;
import dev.mnistlab.tracking.SweepState;
import java.util.Objects;

/**
 * A {@code sweeps} row: a sweep as it should be on W&amp;B (config, controller, state) and what W&amp;B
 * acknowledged of it (its id, entity and project, the last state it took, the sweep page).
 *
 * @param key the local identity of the sweep (a local sweep's project, name and fingerprint; an
 *     agent's {@code entity/project/id})
 * @param project the W&amp;B project
 * @param entity the W&amp;B entity, null for the key's default
 * @param configYaml the W&amp;B sweep config as YAML
 * @param controller who chooses the parameters
 * @param state the state the sweep should have
 * @param remoteId W&amp;B's sweep id ({@code sweep.name}), null until registered
 * @param storageId W&amp;B's storage id of the sweep ({@code sweep.id}, what a state change names),
 *     null until registered
 * @param remoteEntity the entity W&amp;B answered, null until registered
 * @param remoteProject the project W&amp;B answered, null until registered
 * @param stateAcked the state W&amp;B last acknowledged, null if none
 * @param url the sweep page, null until registered
 * @param lastError the last upload error, null if none
 */
public record StoredSweep(String key, String project, String entity, String configYaml,
    SweepController controller, SweepState state, String remoteId, String storageId, String remoteEntity,
    String remoteProject, SweepState stateAcked, String url, String lastError) {

  /** Checks the required components. */
  public StoredSweep {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(configYaml, "configYaml");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(state, "state");
  }

  /** True when W&amp;B holds the sweep in its current state. */
  public boolean uploaded() {
    return remoteId != null && state == stateAcked;
  }

  /** A copy in another state (to be sent). */
  public StoredSweep withState(SweepState s) {
    return new StoredSweep(key, project, entity, configYaml, controller, s, remoteId, storageId, remoteEntity,
        remoteProject, stateAcked, url, lastError);
  }

  /** A copy after W&amp;B acknowledged the sweep in {@code acked}. */
  public StoredSweep withRemote(String id, String storage, String ent, String proj, String page,
      SweepState acked) {
    return new StoredSweep(key, project, entity, configYaml, controller, state, id, storage, ent,
        proj, acked, page, null);
  }

  /** A copy with the last upload error. */
  public StoredSweep withLastError(String error) {
    return new StoredSweep(key, project, entity, configYaml, controller, state, remoteId,
        storageId, remoteEntity, remoteProject, stateAcked, url, error);
  }
}
