package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.tracking.testing.StandInSweeps;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStoreFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sweeps on W&amp;B through the tracker: registration ({@code UpsertSweep} with YAML, a local
 * controller), runs attached by {@code sweep}, states, reuse on resume, registration by sync for an
 * offline sweep, and the agent protocol's join, heartbeat commands and 404.
 */
class WandbSweepTest extends WandbStoreFixture {
  private static final String YAML = "method: grid\nmetric:\n  name: val_accuracy\n"
      + "  goal: maximize\nparameters:\n  epochs:\n    value: 1\n";

  private SweepRegistration registration(String key) {
    return SweepRegistration.builder(key).project("sweeps").configYaml(YAML).build();
  }

  @Test
  void aRegisteredSweepGetsItsRunsAndStatesAndIsReusedWhenResumed() {
    String sweepId;
    try (Tracker tracker = tracker(settings().build())) {
      RegisteredSweep sweep = tracker.registerSweep(registration("sweeps/grid/abc123"));
      sweepId = sweep.id().orElseThrow();
      assertThat(sweep.url()).contains(wandb.baseUrl() + "/" + WandbStandIn.DEFAULT_ENTITY
          + "/sweeps/sweeps/" + sweepId);
      for (int i = 0; i < 2; i++) {
        try (Run run = tracker.start(RunSpec.builder().project("sweeps").runId("r" + i)
            .sweep(sweep.key()).build())) {
          run.log(Map.of("val_accuracy", 0.5 + i));
        }
      }
      tracker.sweepState(sweep.key(), SweepState.FINISHED);
    }
    StandInSweeps.Sweep remote = wandb.sweeps().sweep(sweepId);
    assertThat(remote.configYaml).isEqualTo(YAML);
    assertThat(remote.controller).isEqualTo("{\"type\":\"local\"}");
    assertThat(remote.runs).containsExactly("r0", "r1");
    assertThat(wandb.run("sweeps", "r0").sweep).isEqualTo(sweepId);
    assertThat(remote.states).containsExactly("RUNNING", "FINISHED");

    try (Tracker tracker = tracker(settings().build())) {
      RegisteredSweep again = tracker.registerSweep(registration("sweeps/grid/abc123"));
      assertThat(again.id()).contains(sweepId);
      tracker.sweepState(again.key(), SweepState.CANCELED);
    }
    assertThat(wandb.sweeps().all()).hasSize(1);
    assertThat(remote.states).containsExactly("RUNNING", "FINISHED", "RUNNING", "CANCELED");
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void aRunNamingASweepThisStoreDoesNotHoldIsRecordedAndUploadedUnattached() {
    try (Tracker tracker = tracker(settings().build())) {
      try (Run run = tracker.start(RunSpec.builder().project("sweeps").runId("lone")
          .sweep("held/by/another/store").build())) {
        run.log(Map.of("val_accuracy", 0.6));
      }
      assertThat(tracker.store().run("lone").orElseThrow().state()).isEqualTo(RunState.FINISHED);
    }
    assertThat(wandb.run("sweeps", "lone").complete).isTrue();
    assertThat(wandb.run("sweeps", "lone").sweep).isNull();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void anOfflineSweepIsRegisteredBySyncWithItsRuns() {
    try (Tracker tracker = tracker(settings().mode(WandbMode.OFFLINE).build())) {
      RegisteredSweep sweep = tracker.registerSweep(registration("sweeps/offline/f00"));
      assertThat(sweep.id()).isEmpty();
      try (Run run = tracker.start(RunSpec.builder().project("sweeps").runId("off1")
          .sweep(sweep.key()).build())) {
        run.log(Map.of("val_accuracy", 0.7));
      }
      tracker.sweepState(sweep.key(), SweepState.FINISHED);
    }
    assertThat(wandb.sweeps().all()).isEmpty();
    SyncReport report = Syncer.builder().store(store).wandb(settings().build()).build()
        .syncAll(Duration.ofSeconds(30));
    assertThat(report.allComplete()).as(report.describe()).isTrue();
    StandInSweeps.Sweep remote = wandb.sweeps().all().get(0);
    assertThat(remote.runs).containsExactly("off1");
    assertThat(remote.state()).isEqualTo("FINISHED");
    assertThat(wandb.run("sweeps", "off1").complete).isTrue();
    assertThat(wandb.violations()).isEmpty();
  }

  @Test
  void anAgentGetsRunCommandsWithTheirParametersAndNeverTheProgram() {
    StandInSweeps.Sweep remote = wandb.sweeps().create(WandbStandIn.DEFAULT_ENTITY, "sweeps", YAML);
    wandb.sweeps().queueRun(remote.id, "run-a", Map.of("batch_size", 32, "model", "mlp"));
    try (Tracker tracker = tracker(settings().build())) {
      SweepAgent agent = tracker.sweepAgent(WandbStandIn.DEFAULT_ENTITY, "sweeps", remote.id);
      assertThat(agent.configYaml()).contains(YAML);
      List<AgentCommand> commands = agent.heartbeat(List.of());
      assertThat(commands).hasSize(1);
      AgentCommand run = commands.get(0);
      assertThat(run.type()).isEqualTo(AgentCommand.Type.RUN);
      assertThat(run.runId()).contains("run-a");
      assertThat(run.parameters()).isEqualTo(Map.of("batch_size", 32L, "model", "mlp"));
      assertThat(agent.heartbeat(List.of("run-a"))).isEmpty();
      assertThat(remote.agents.values().iterator().next().running).containsExactly("run-a");

      wandb.sweeps().delete(remote.id);
      assertThatThrownBy(() -> agent.heartbeat(List.of("run-a")))
          .isInstanceOf(SweepNotFoundException.class).hasMessageContaining(remote.id)
          .hasMessageContaining("deleted");
      assertThatThrownBy(() -> tracker.sweepAgent(null, "sweeps", "nosuchsweep"))
          .isInstanceOf(SweepNotFoundException.class).hasMessageContaining("sweeps/nosuchsweep");
    }
    assertThat(wandb.violations()).isEmpty();
  }
}
