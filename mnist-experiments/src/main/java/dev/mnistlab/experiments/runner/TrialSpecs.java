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
   * The spec of a sweep's trial: the chosen parameters (unset ones: the defaults of {@link
   * TrialSpec}, or the model's for hyperparameters), the runner's seed unless the seed is swept,
   * the runner's data, split and tracking, and the sweep membership.
   */
  static TrialSpec of(SweepConfig config, TrialParameters p, Map<String, String> contentChecksums,
      String fingerprint) {
    return TrialSpec.builder(p.model().orElse(TrialSpec.DEFAULT_MODEL))
        .epochs(p.epochs().orElse(TrialSpec.DEFAULT_EPOCHS))
        .batchSize(p.batchSize().orElse(TrialSpec.DEFAULT_BATCH_SIZE))
        .seed(p.seed().orElse(config.runner().seed()))
        .learningRate(p.learningRate())
        .dropout(p.dropout())
        .l2(p.l2())
        .optimizer(p.optimizer())
        .data(config.runner().data().withContentChecksums(contentChecksums))
        .tracking(config.runner().tracking())
        .membership(new SweepMembership(config.sweep().name(), p.index(), fingerprint,
            config.sweep().description(), config.sweep().metric().name(),
            config.sweep().metric().goal() == Goal.MAXIMIZE, p.toConfigMap(), p.variant()))
        .build();
  }
}
