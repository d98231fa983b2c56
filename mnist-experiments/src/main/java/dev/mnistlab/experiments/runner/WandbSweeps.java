package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.trial.TrialData;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.tracking.RegisteredSweep;
import dev.mnistlab.tracking.SweepController;
import dev.mnistlab.tracking.SweepRegistration;
import dev.mnistlab.tracking.Tracker;

/**
 * Registers a sweep config as a W&amp;B sweep: its {@code sweep} object as YAML, in the project and
 * entity its runs go to, under a key made of the project, the sweep's name, the controller and
 * the sweep's fingerprint (config and data), so running the same config again (a resumed sweep)
 * finds the same W&amp;B sweep.
 */
public final class WandbSweeps {
  private WandbSweeps() {}

  /**
   * Records and registers the sweep for {@code controller}.
   *
   * @throws dev.mnistlab.tracking.TrackingException when W&amp;B refuses it
   */
  public static RegisteredSweep register(Tracker tracker, SweepConfig config, TrialData data,
      SweepController controller) {
    return tracker.registerSweep(registration(tracker, config, key(tracker, config,
        SweepFingerprint.of(config, data), controller), controller));
  }

  /** The project the sweep's runs are recorded in (config, else WANDB_PROJECT, else mnistlab's). */
  public static String project(Tracker tracker, SweepConfig config) {
    return tracker.resolve(TrialRunner.projectSpec(config.runner().tracking()).build()).project();
  }

  /** The store key of the sweep. */
  static String key(Tracker tracker, SweepConfig config, String fingerprint,
      SweepController controller) {
    String key = project(tracker, config) + "/" + config.sweep().name() + "/" + fingerprint;
    return controller == SweepController.LOCAL ? key : key + "/wandb-controller";
  }

  static SweepRegistration registration(Tracker tracker, SweepConfig config, String key,
      SweepController controller) {
    SweepRegistration.Builder b = SweepRegistration.builder(key)
        .project(project(tracker, config))
        .configYaml(SweepYaml.of(config.sweep().wandbConfig()))
        .controller(controller);
    config.runner().tracking().entity().ifPresent(b::entity);
    return b.build();
  }
}
