package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.Tracker;
import java.util.Objects;

/**
 * What a {@link TrialSchedulerProvider} is given to run a sweep's trials elsewhere.
 *
 * @param master where to run them, e.g. {@code local[2]} or {@code spark://host:7077}
 * @param sweepName the sweep's name (the application's name)
 * @param data the sweep's data, loaded and verified on this machine: what executors train on
 * @param tracker the sweep's tracker on this machine (its store receives every trial's run)
 * @param provenance what every trial's run records as provenance
 */
public record SchedulerRequest(String master, String sweepName, TrialData data, Tracker tracker,
    Provenance provenance) {

  /** Checks the components. */
  public SchedulerRequest {
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(sweepName, "sweepName");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(tracker, "tracker");
    Objects.requireNonNull(provenance, "provenance");
  }
}
