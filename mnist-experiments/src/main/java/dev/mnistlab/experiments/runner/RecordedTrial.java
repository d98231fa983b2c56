package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.TrialProvenance;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.tracking.Provenance;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** The {@link TrialSpec} a recorded run was trained from, read back from its record alone. */
public final class RecordedTrial {
  private RecordedTrial() {}

  /**
   * The spec of run {@code runId}: the spec its provenance keeps; for runs recorded before specs
   * were kept, rebuilt from the sweep config in its provenance and the trial's recorded config.
   *
   * @param runId the run, for messages
   * @param provenance the run's provenance
   * @param runConfig the run's config
   * @throws IOException when the run was not recorded by a mnistlab trial, or its record is
   *     damaged
   */
  public static TrialSpec spec(String runId, Provenance provenance, Map<String, Object> runConfig)
      throws IOException {
    TrialProvenance recorded = RunRecordCodec.read(provenance);
    if (recorded.spec().isPresent()) {
      return recorded.spec().get();
    }
    Optional<String> text = recorded.sweepConfig();
    if (text.isEmpty()) {
      throw new FileNotFoundException("run " + runId + " was not recorded by a mnistlab sweep"
          + " (no sweep config in its provenance)");
    }
    SweepConfig config = SweepConfig.parse(text.get(), "run " + runId + " (recorded config)",
        String.valueOf(runConfig.getOrDefault(RunRecordCodec.CONFIG_SWEEP, "sweep")));
    int index = runConfig.get(RunRecordCodec.CONFIG_TRIAL) instanceof Number n ? n.intValue() : 0;
    TrialParameters parameters = TrialParametersCodec.fromConfig(index, runConfig,
        config.sweep().parameters());
    return TrialSpecs.of(config, parameters,
        recorded.contentChecksums(),
        String.valueOf(runConfig.get(RunRecordCodec.CONFIG_FINGERPRINT)));
  }
}
