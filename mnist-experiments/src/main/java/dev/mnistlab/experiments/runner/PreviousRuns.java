package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.sweep.TrialParameters;
import dev.mnistlab.experiments.trial.RunRecordCodec;
import dev.mnistlab.experiments.trial.TrialRunner;
import dev.mnistlab.experiments.trial.TrialStatus;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads back, for resume, the trials of a sweep that finished in earlier invocations. */
final class PreviousRuns {
  private PreviousRuns() {}

  /**
   * The finished runs of the sweep in {@code store} whose fingerprint is one of {@code
   * fingerprints}, as result rows by trial index.
   */
  static Map<Integer, TrialRecord> find(Tracker tracker, SweepConfig config,
      List<String> fingerprints) {
    LocalStore store = tracker.store();
    Map<Integer, TrialRecord> found = new TreeMap<>();
    String project = tracker.resolve(TrialRunner.projectSpec(config.runner().tracking()).build())
        .project();
    List<RunRecord> runs = new ArrayList<>();
    // a run W&B stopped is complete like a hyperband-stopped one
    for (RunState done : List.of(RunState.FINISHED, RunState.STOPPED)) {
      runs.addAll(store.runs(RunQuery.builder()
          .project(project)
          .group(config.sweep().name())
          .state(done)
          .limit(100_000)
          .build()));
    }
    for (RunRecord run : runs) {
      Map<String, Object> runConfig = store.config(run.id());
      String recorded = String.valueOf(runConfig.get(RunRecordCodec.CONFIG_FINGERPRINT));
      // runs recorded before fingerprints used content checksums still resume on the same files
      if (!fingerprints.contains(recorded)
          || !(runConfig.get(RunRecordCodec.CONFIG_TRIAL) instanceof Number trial)) {
        continue;
      }
      int index = trial.intValue();
      if (found.containsKey(index)) {
        continue;
      }
      TrialParameters parameters = TrialParametersCodec.fromConfig(index, runConfig,
          config.sweep().parameters());
      Map<String, Object> summary = store.summary(run.id());
      found.put(index, StoredTrials.record(store, run, index, parameters.toConfigMap(),
          RunRecordCodec.stoppedEarly(summary) ? TrialStatus.STOPPED_EARLY : TrialStatus.FINISHED,
          config.sweep().metric().name(), true));
    }
    return found;
  }
}
