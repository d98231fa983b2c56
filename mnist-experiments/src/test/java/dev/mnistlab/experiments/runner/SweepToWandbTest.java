package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.trial.TrialData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.data.MnistDataset;
import dev.mnistlab.experiments.TestPaths;
import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with W&amp;B online streams every trial as a run of the sweep's group to a W&amp;B
 * stand-in on loopback (UpsertBucket + file_stream), with the swept parameters in the config and
 * the per-epoch metric in the history.
 */
public class SweepToWandbTest {
  /** The API key the stand-in accepts. */
  public static final String KEY = "local0123456789abcdefghijklmnopqrstuvwxyzKEY";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /**
   * Records what the client sends; answers like W&amp;B ({@code RunResumeStatus}: no such run;
   * {@code UpsertSweep}: sweep {@code sweep1}; {@code UpsertBucket}; file_stream); rejects requests without the key. With
   * {@link #stopFirstRun}, file_stream answers for the first run created carry
   * {@code "stopped": true}, as when someone presses Stop in the UI.
   */
  public static final class WandbStandIn extends Dispatcher {
    public final List<JsonNode> upserts = new CopyOnWriteArrayList<>();
    /** The variables of every UpsertSweep (the sweep registered, its states). */
    public final List<JsonNode> sweepUpserts = new CopyOnWriteArrayList<>();
    public volatile boolean stopFirstRun;
    public volatile String stoppedRunId;
    /** Close every connection after its response without saying so (HTTP/1.0-style servers). */
    public volatile boolean closeEveryConnection;
    /** Statuses (with an optional Retry-After after a colon) the next file_stream requests get. */
    public final java.util.Queue<String> fileStreamFaults = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      MockResponse r = answer(request);
      return closeEveryConnection ? r.setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AT_END) : r;
    }
    public final List<String> fileStreamPaths = new CopyOnWriteArrayList<>();
    public final List<JsonNode> fileStreams = new CopyOnWriteArrayList<>();
    public final List<String> unauthorized = new CopyOnWriteArrayList<>();

    private MockResponse answer(RecordedRequest request) {
      String auth = "Basic " + Base64.getEncoder()
          .encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8));
      if (!auth.equals(request.getHeader("Authorization"))) {
        unauthorized.add(request.getPath());
        return new MockResponse().setResponseCode(401);
      }
      try {
        JsonNode body = JSON.readTree(request.getBody().readUtf8());
        if (request.getPath().equals("/graphql")
            && "RunResumeStatus".equals(body.path("operationName").asText())) {
          return new MockResponse().setHeader("Content-Type", "application/json")
              .setBody("{\"data\":{\"model\":{\"id\":\"p\",\"name\":\"p\","
                  + "\"entity\":{\"id\":\"e\",\"name\":\"tester\"},\"bucket\":null}}}");
        }
        if (request.getPath().equals("/graphql")
            && "UpsertSweep".equals(body.path("operationName").asText())) {
          sweepUpserts.add(body.path("variables"));
          return new MockResponse().setHeader("Content-Type", "application/json")
              .setBody("{\"data\":{\"upsertSweep\":{\"sweep\":{\"id\":\"U3c6MQ==\","
                  + "\"name\":\"sweep1\",\"project\":{\"id\":\"p\",\"name\":\""
                  + body.path("variables").path("projectName").asText("p") + "\","
                  + "\"entity\":{\"id\":\"e\",\"name\":\"tester\"}}},"
                  + "\"configValidationWarnings\":[]}}}");
        }
        if (request.getPath().equals("/graphql")
            && !"UpsertBucket".equals(body.path("operationName").asText())) {
          // e.g. CreateRunFiles: this stand-in has no storage host (run files are tested in
          // mnist-tracking's WandbRunFilesTest); the files give up without holding the runs back
          return new MockResponse().setHeader("Content-Type", "application/json")
              .setBody("{\"data\":{}}");
        }
        if (request.getPath().equals("/graphql")) {
          JsonNode vars = body.path("variables");
          upserts.add(vars);
          synchronized (this) {
            if (stopFirstRun && stoppedRunId == null) {
              stoppedRunId = vars.path("name").asText();
            }
          }
          String project = vars.path("project").asText("uncategorized");
          Map<String, Object> bucket = Map.of("id", "storage-" + vars.path("name").asText(),
              "name", vars.path("name").asText(), "displayName", vars.path("displayName").asText(""),
              "project", Map.of("id", "p", "name", project, "entity", Map.of("id", "e", "name", "tester")),
              "historyLineCount", 0);
          return new MockResponse().setHeader("Content-Type", "application/json").setBody(
              JSON.writeValueAsString(Map.of("data", Map.of("upsertBucket",
                  Map.of("bucket", bucket, "inserted", true)))));
        }
        if (request.getPath().endsWith("/file_stream")) {
          String fault = fileStreamFaults.poll();
          if (fault != null) {
            String[] f = fault.split(":");
            MockResponse r = new MockResponse().setResponseCode(Integer.parseInt(f[0]))
                .setBody("{\"error\":\"stand-in fault\"}");
            return f.length > 1 ? r.setHeader("Retry-After", f[1]) : r;
          }
          fileStreamPaths.add(request.getPath());
          fileStreams.add(body);
          boolean stop = stoppedRunId != null && request.getPath().contains("/" + stoppedRunId + "/");
          return new MockResponse().setHeader("Content-Type", "application/json")
              .setBody(stop ? "{\"exitcode\":null,\"limits\":{},\"stopped\":true}"
                  : "{\"exitcode\":null,\"limits\":{}}");
        }
      } catch (Exception e) {
        return new MockResponse().setResponseCode(400);
      }
      return new MockResponse().setResponseCode(404);
    }
  }

  @Test
  void aRejectedApiKeyStopsTheSweepWithTheTrackersMessage() throws Exception {
    WandbStandIn wandb = new WandbStandIn();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb);
      server.start();
      SweepConfig config = SweepConfig.parse("""
          {"sweep": {"name": "bad-key", "method": "grid",
             "metric": {"name": "val_accuracy", "goal": "maximize"},
             "parameters": {"epochs": {"value": 1}}},
           "runner": {"train_subset": 1000, "validation_size": 200, "output_dir": "%s",
             "tracking": {"store": "%s", "wandb": "online"}}}
          """.formatted(dir.resolve("out"), dir.resolve("runs.db")), "bad.json", "bad");
      Map<String, String> env = Map.of("WANDB_API_KEY", "wrong0123456789abcdefghijklmnopqrstuvwxyzKEY",
          "WANDB_BASE_URL", server.url("/").toString().replaceAll("/$", ""));
      try (Tracker tracker = Trackers.open(config.runner().tracking(), env)) {
        SweepRunner runner = SweepRunner.builder().config(config)
            .data(TrialData.split(MnistDataset.load(TestPaths.mnist10k()), config.runner().data()))
            .executor(ScriptedExecutor.accuracyBy((t, e) -> 0.9)).tracker(tracker).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(runner::run)
            .isInstanceOf(dev.mnistlab.tracking.TrackingException.class)
            .hasMessageNotContaining("wrong0123456789");
      }
      assertThat(wandb.unauthorized).isNotEmpty();
    }
  }

  @Test
  void everyTrialIsAnOnlineRunOfTheSweepGroupWithItsParametersAndEpochs() throws Exception {
    WandbStandIn wandb = new WandbStandIn();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb);
      server.start();
      String baseUrl = server.url("/").toString().replaceAll("/$", "");
      SweepConfig config = SweepConfig.parse("""
          {"sweep": {"name": "wb-sweep", "method": "grid",
             "metric": {"name": "val_accuracy", "goal": "maximize"},
             "parameters": {"batch_size": {"values": [32, 64]}, "epochs": {"value": 2}}},
           "runner": {"train_subset": 1000, "validation_size": 200, "output_dir": "%s",
             "tracking": {"store": "%s", "wandb": "online", "project": "mnist-sweeps"}}}
          """.formatted(dir.resolve("out"), dir.resolve("runs.db")), "wb.json", "wb");
      Map<String, String> env = Map.of("WANDB_API_KEY", KEY, "WANDB_BASE_URL", baseUrl);
      SweepResult result;
      try (Tracker tracker = Trackers.open(config.runner().tracking(), env)) {
        assertThat(tracker.streaming()).isTrue();
        result = SweepRunner.builder().config(config)
            .data(TrialData.split(MnistDataset.load(TestPaths.mnist10k()), config.runner().data()))
            .executor(ScriptedExecutor.accuracyBy((t, e) -> 0.9 + 0.01 * e)).tracker(tracker)
            .build().run();
      }
      assertThat(wandb.unauthorized).isEmpty();
      // registered with its sweep object as YAML, mnistlab as local controller; finished at the end
      JsonNode created = wandb.sweepUpserts.get(0);
      assertThat(created.path("config").asText()).contains("method: grid", "batch_size:")
          .doesNotStartWith("{");
      assertThat(created.path("controller").asText()).isEqualTo("{\"type\":\"local\"}");
      assertThat(wandb.sweepUpserts).extracting(v -> v.path("state").asText(""))
          .containsExactly("", "RUNNING", "FINISHED");
      List<String> runIds = result.trials().stream().map(TrialRecord::runId).toList();
      assertThat(wandb.upserts).extracting(v -> v.path("name").asText()).containsAll(runIds);
      for (JsonNode upsert : wandb.upserts) {
        assertThat(upsert.path("project").asText()).isEqualTo("mnist-sweeps");
        if (!upsert.has("id")) {
          // the request creating the run carries its fields; updates only what changed
          assertThat(upsert.path("groupName").asText()).isEqualTo("wb-sweep");
          // and is attached to the W&B sweep mnistlab registered for it
          assertThat(upsert.path("sweep").asText()).isEqualTo("sweep1");
        }
        if (!upsert.has("config")) {
          continue;
        }
        JsonNode runConfig = JSON.readTree(upsert.path("config").asText());
        assertThat(runConfig.path("batch_size").path("value").asInt()).isIn(32, 64);
        assertThat(runConfig.path("sweep").path("value").asText()).isEqualTo("wb-sweep");
      }
      for (String runId : runIds) {
        List<String> history = new ArrayList<>();
        boolean complete = false;
        for (int i = 0; i < wandb.fileStreams.size(); i++) {
          if (!wandb.fileStreamPaths.get(i).contains("/" + runId + "/")) {
            continue;
          }
          JsonNode body = wandb.fileStreams.get(i);
          body.path("files").path("wandb-history.jsonl").path("content")
              .forEach(line -> history.add(line.asText()));
          if (body.path("complete").asBoolean()) {
            complete = true;
            assertThat(body.path("exitcode").asInt()).isZero();
          }
        }
        assertThat(complete).as("run %s completed on W&B", runId).isTrue();
        assertThat(history).hasSize(2);
        assertThat(JSON.readTree(history.get(1)).path("val_accuracy").asDouble())
            .isEqualTo(0.92, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(String.join("\n", history)).doesNotContain(KEY);
      }
    }
  }

  @Test
  void wandbProjectFromTheEnvironmentBeatsMnistlabsDefaultButNotAConfiguredProject() throws Exception {
    WandbStandIn wandb = new WandbStandIn();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(wandb);
      server.start();
      Map<String, String> env = Map.of("WANDB_API_KEY", KEY, "WANDB_PROJECT", "from-env",
          "WANDB_BASE_URL", server.url("/").toString().replaceAll("/$", ""));
      for (String tracking : List.of("", ", \"project\": \"configured\"")) {
        SweepConfig config = SweepConfig.parse("""
            {"sweep": {"name": "proj", "method": "grid",
               "metric": {"name": "val_accuracy", "goal": "maximize"},
               "parameters": {"epochs": {"value": 1}}},
             "runner": {"train_subset": 1000, "validation_size": 200, "output_dir": "%s",
               "tracking": {"store": "%s", "wandb": "online"%s}}}
            """.formatted(dir.resolve("out" + tracking.length()), dir.resolve("runs.db"), tracking),
            "p.json", "p");
        try (Tracker tracker = Trackers.open(config.runner().tracking(), env)) {
          SweepRunner.builder().config(config)
              .data(TrialData.split(MnistDataset.load(TestPaths.mnist10k()), config.runner().data()))
              .executor(ScriptedExecutor.accuracyBy((t, e) -> 0.9)).tracker(tracker).build().run();
        }
      }
    }
    assertThat(wandb.upserts).extracting(v -> v.path("project").asText())
        .contains("from-env", "configured").doesNotContain("mnistlab");
  }
}
