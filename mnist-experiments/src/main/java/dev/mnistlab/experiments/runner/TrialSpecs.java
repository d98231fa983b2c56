package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.Goal;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.SweepMembership;
import dev.mnistlab.experiments.trial.TrialSpec;
import java.util.Map;

/** Turns what a sweep's search chose into the {@link TrialSpec} the trial runner runs. */
final class TrialSpecs {
  private TrialSpecs() {}

  /**
   * The spec of a sweep's trial: the chosen parameters (unset ones: the model's recipe; the model
   * itself defaults to {@link TrialSpec#DEFAULT_MODEL}), the runner's seed unless the seed is swept,
   * the runner's data, split and tracking, and the sweep membership.
   */
  static TrialSpec of(SweepConfig config, TrialParameters p, Map<String, String> contentChecksums,
      String fingerprint) {
    TrialSpec.Builder b = TrialSpec.builder(p.model().orElse(TrialSpec.DEFAULT_MODEL));
    p.epochs().ifPresent(b::epochs);
    p.batchSize().ifPresent(b::batchSize);
    return b.seed(p.seed().orElse(config.runner().seed()))
        .learningRate(p.learningRate())
        .dropout(p.dropout())
        .l2(p.l2())
        .optimizer(p.optimizer())
        .lrSchedule(p.lrSchedule())
        .augment(p.augment())
        .data(config.runner().data().withContentChecksums(contentChecksums))
        .tracking(config.runner().tracking())
        .membership(new SweepMembership(config.sweep().name(), p.index(), fingerprint,
            config.sweep().description(), config.sweep().metric().name(),
            config.sweep().metric().goal() == Goal.MAXIMIZE, p.toConfigMap(), p.variant()))
        .build();
  }
}
