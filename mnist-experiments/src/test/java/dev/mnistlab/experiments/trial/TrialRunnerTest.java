package dev.mnistlab.experiments.trial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.RunState;
import dev.mnistlab.tracking.Tracker;
import dev.mnistlab.tracking.dl4j.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialRunnerTest {
  private static TrialData data;

  @TempDir Path dir;
  private TrialSpec spec;

  @BeforeAll
  static void loadData() throws IOException {
    data = TrialData.split(MnistDataset.load(TestPaths.mnist10k()), dataSpec());
  }

  private static DataSpec dataSpec() {
    return new DataSpec("mnist", Optional.of(TestPaths.mnist10k()), OptionalInt.of(200),
        OptionalInt.of(1000), 3, Map.of());
  }

  @BeforeEach
  void describeTheTrial() {
    spec = TrialSpec.builder("mlp").epochs(3).batchSize(100).seed(5).data(dataSpec())
        .membership(new SweepMembership("s", 2, "fp", "notes", "val_accuracy", true,
            Map.of("batch_size", 100L), Optional.empty()))
        .build();
  }

  /** Trains nothing: reports {@code epochs} epochs (accuracy 0.5 + epoch/10), saves a model. */
  private static TrialExecutor scripted(AtomicBoolean failAtEpoch2) {
    return trial -> {
      int trained = 0;
      for (int epoch = 1; epoch <= trial.spec().epochs(); epoch++) {
        if (failAtEpoch2.get() && epoch == 2) {
          throw new IllegalStateException("boom at epoch 2");
        }
        trained = epoch;
        double acc = 0.5 + epoch / 10.0;
        if (!trial.epochFinished(EpochMetrics.builder(epoch).trainLoss(1 - acc)
            .validationLoss(1 - acc).validationAccuracy(acc).build())) {
          break;
        }
      }
      Path model = trial.workDir().resolve(TrialRunner.MODEL_FILE);
      Files.writeString(model, "model");
      return new ExecutionResult(trained, trained < trial.spec().epochs(),
          Map.of("test_accuracy", 0.7), Optional.of(model));
    };
  }

  private TrialResult run(TrialExecutor executor, TrialControl control) {
    try (Tracker tracker = Tracker.builder().storeLocation(dir.resolve("runs.db").toString()).captureProvenance(false)
        .shutdownHook(false).build()) {
      return TrialRunner.builder().tracker(tracker).executor(executor)
          .provenance(Provenance.builder().build()).build()
          .run(spec, data, dir.resolve("trial"), control);
    }
  }

  @Test
  void runsOneTrialAsATrackedRunThatRecordsItsSpecAndKeepsTheModel() throws IOException {
    TrialResult result = run(scripted(new AtomicBoolean()), TrialControl.NONE);

    assertThat(result.status()).isEqualTo(TrialStatus.FINISHED);
    assertThat(result.history()).hasSize(3);
    assertThat(result.lastValue("val_accuracy")).hasValue(0.8);
    assertThat(result.model()).contains(dir.resolve("trial").resolve(TrialRunner.MODEL_FILE));
    assertThat(dir.resolve("trial").resolve(TrialRunner.MODEL_FILE)).exists();
    try (LocalStore s = LocalStore.open(dir.resolve("runs.db"))) {
      assertThat(s.run(result.runId())).get().satisfies(r -> {
        assertThat(r.name()).contains("s-t3");
        assertThat(r.group()).contains("s");
        assertThat(r.state()).isEqualTo(RunState.FINISHED);
      });
      assertThat(s.config(result.runId())).containsEntry("batch_size", 100L)
          .containsEntry(RunRecordCodec.CONFIG_SWEEP, "s")
          .containsEntry(RunRecordCodec.CONFIG_TRIAL, 2L)
          .containsEntry("train_size", 800L).containsEntry("seed", 5L);
      Provenance provenance = s.provenance(result.runId()).orElseThrow();
      TrialSpec recorded = RunRecordCodec.read(provenance).spec().orElseThrow();
      assertThat(recorded).isEqualTo(result.spec());
      assertThat(recorded.data().contentChecksums()).isEqualTo(data.contentChecksums())
          .isNotEmpty();
      assertThat(recorded.toBuilder().data(spec.data()).build()).isEqualTo(spec);
    }
  }

  @Test
  void theRunsConsoleHoldsTheEpochLinesAndFinalMetricsTheCliPrints() {
    TrialResult result = run(scripted(new AtomicBoolean()), TrialControl.NONE);

    try (LocalStore s = LocalStore.open(dir.resolve("runs.db"))) {
      assertThat(s.console(result.runId()))
          .extracting(l -> l.substring(l.indexOf(' ') + 1))
          .containsExactly(
              "epoch 1/3  loss 0.4000  val_loss 0.4000  val_acc 0.6000  - s  - img/s",
              "epoch 2/3  loss 0.3000  val_loss 0.3000  val_acc 0.7000  - s  - img/s",
              "epoch 3/3  loss 0.2000  val_loss 0.2000  val_acc 0.8000  - s  - img/s",
              "test_accuracy  0.7000");
    }
  }

  @Test
  void theTrainedNetworksLayerSummaryIsStoredAsARunFile() {
    spec = spec.toBuilder().epochs(1).build();
    TrialResult result = run(new ZooTrialExecutor(), TrialControl.NONE);

    assertThat(result.status()).isEqualTo(TrialStatus.FINISHED);
    try (LocalStore s = LocalStore.open(dir.resolve("runs.db"))) {
      assertThat(s.file(result.runId(), ZooTrialExecutor.MODEL_SUMMARY_FILE)).get()
          .extracting(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).asString()
          .contains("DenseLayer").contains("OutputLayer").contains("Total Parameters");
    }
  }

  @Test
  void aFailedTrialsConsoleEndsWithItsErrorAsAStandardErrorLine() {
    TrialResult result = run(scripted(new AtomicBoolean(true)), TrialControl.NONE);

    try (LocalStore s = LocalStore.open(dir.resolve("runs.db"))) {
      assertThat(s.console(result.runId())).hasSize(2).last().asString()
          .startsWith("ERROR ").endsWith(" trial failed: IllegalStateException: boom at epoch 2");
    }
  }

  @Test
  void aTrialThatThrowsIsRecordedAsFailedWithItsErrorAndKeepsNoModel() {
    TrialResult result = run(scripted(new AtomicBoolean(true)), TrialControl.NONE);

    assertThat(result.status()).isEqualTo(TrialStatus.FAILED);
    assertThat(result.error()).contains("IllegalStateException: boom at epoch 2");
    assertThat(result.history()).hasSize(1);
    assertThat(result.model()).isEmpty();
    try (LocalStore s = LocalStore.open(dir.resolve("runs.db"))) {
      assertThat(s.run(result.runId()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }
  }

  @Test
  void theControlStopsATrialEarlyAsFinishedOrInterruptsIt() {
    TrialResult early = run(scripted(new AtomicBoolean()), new TrialControl() {
      @Override
      public boolean epochFinished(TrialSpec s, EpochMetrics m) {
        return m.epoch() < 2;
      }
    });
    assertThat(early.status()).isEqualTo(TrialStatus.STOPPED_EARLY);
    assertThat(early.history()).hasSize(2);
    assertThat(early.model()).isPresent();

    AtomicBoolean stop = new AtomicBoolean();
    TrialResult interrupted = run(scripted(new AtomicBoolean()), new TrialControl() {
      @Override
      public boolean epochFinished(TrialSpec s, EpochMetrics m) {
        stop.set(true);
        return true;
      }

      @Override
      public boolean stopRequested() {
        return stop.get();
      }
    });
    assertThat(interrupted.status()).isEqualTo(TrialStatus.INTERRUPTED);
    assertThat(interrupted.history()).hasSize(1);
    assertThat(interrupted.model()).isEmpty();
    assertThat(dir.resolve("trial").resolve(TrialRunner.MODEL_FILE)).doesNotExist();
    try (LocalStore s = LocalStore.open(dir.resolve("runs.db"))) {
      assertThat(s.run(interrupted.runId()).orElseThrow().state())
          .isEqualTo(RunState.INTERRUPTED);
    }
  }

  @Test
  void anInterruptDuringAnEpochStopsTheRealTrainerAtTheNextBatch() {
    // 800 training images at batch 100: 8 batches an epoch; the user interrupts after the third
    AtomicInteger batches = new AtomicInteger();
    TrialResult interrupted = run(new ZooTrialExecutor(), new TrialControl() {
      @Override
      public void batchFinished(TrialSpec s, int epoch, int done, int total) {
        batches.incrementAndGet();
      }

      @Override
      public boolean stopRequested() {
        return batches.get() >= 3;
      }
    });
    assertThat(batches.get()).isEqualTo(3);
    assertThat(interrupted.status()).isEqualTo(TrialStatus.INTERRUPTED);
    assertThat(interrupted.history()).hasSize(1); // the partial epoch, validated
  }

  @Test
  void aLossThatBecomesNaNFailsTheTrialAsDivergedInsteadOfFinishingAtChance() {
    TrialExecutor diverging = trial -> {
      for (int epoch = 1; epoch <= trial.spec().epochs(); epoch++) {
        double loss = epoch == 1 ? 2.3 : Double.NaN;
        if (!trial.epochFinished(EpochMetrics.builder(epoch).trainLoss(loss)
            .validationLoss(loss).validationAccuracy(0.1).build())) {
          break;
        }
      }
      Path model = trial.workDir().resolve(TrialRunner.MODEL_FILE);
      Files.writeString(model, "model");
      return new ExecutionResult(2, true, Map.of("test_accuracy", 0.1), Optional.of(model));
    };
    TrialResult result = run(diverging, TrialControl.NONE);

    assertThat(result.status()).isEqualTo(TrialStatus.FAILED);
    assertThat(result.history()).as("stopped at the first non-finite loss").hasSize(2);
    assertThat(result.error()).get().asString()
        .startsWith("TrialDivergedException: training diverged: loss NaN after epoch 2 of mlp");
    assertThat(result.failure()).get().isInstanceOf(TrialDivergedException.class);
    assertThat(result.model()).isEmpty();
    assertThat(dir.resolve("trial").resolve(TrialRunner.MODEL_FILE)).doesNotExist();
    try (LocalStore s = LocalStore.open(dir.resolve("runs.db"))) {
      assertThat(s.run(result.runId()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }
  }
}
