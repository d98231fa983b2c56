package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.testing.WandbStandIn;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in's checks catch the mistakes a real server would punish (so the other tests can fail). */
class WandbStandInSelfTest {
  WandbStandIn wandb;
  final OkHttpClient http = new OkHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    wandb = new WandbStandIn();
  }

  @AfterEach
  void tearDown() throws Exception {
    wandb.close();
  }

  int post(String path, Object body, String key) throws Exception {
    Request r = new Request.Builder().url(wandb.baseUrl() + path)
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8)))
        .post(RequestBody.create(Json.write(body), MediaType.get("application/json"))).build();
    try (Response resp = http.newCall(r).execute()) {
      return resp.code();
    }
  }

  int upsert(String config) throws Exception {
    return post("/graphql", Map.of("operationName", "UpsertBucket",
        "query", "mutation UpsertBucket { upsertBucket(input: {}) { bucket { id } } }",
        "variables", Map.of("name", "r1", "project", "p", "config", config)), WandbStandIn.KEY);
  }

  int history(long offset, String... lines) throws Exception {
    return post("/files/" + WandbStandIn.DEFAULT_ENTITY + "/p/r1/file_stream",
        Map.of("files", Map.of("wandb-history.jsonl", Map.of("offset", offset, "content", List.of(lines)))),
        WandbStandIn.KEY);
  }

  static String line(long step) {
    return "{\"_step\":" + step + ",\"_runtime\":1.0,\"_timestamp\":2.0,\"loss\":0.5}";
  }

  @Test
  void rejectsAWrongKeyWith401() throws Exception {
    assertThat(post("/graphql", Map.of(), "not-the-key")).isEqualTo(401);
    assertThat(wandb.unauthorizedRequests()).isEqualTo(1);
  }

  @Test
  void flagsUnwrappedConfigAndMissingWandbT() throws Exception {
    assertThat(upsert("{\"lr\":0.1}")).isEqualTo(200);
    assertThat(wandb.violations()).anySatisfy(v -> assertThat(v).contains("config key lr is not wrapped"))
        .anySatisfy(v -> assertThat(v).contains("lacks _wandb.value.t"));
  }

  @Test
  void flagsGapsChangedResendsAndNonIncreasingSteps() throws Exception {
    upsert("{\"_wandb\":{\"value\":{\"t\":{}}}}");
    assertThat(wandb.violations()).isEmpty();
    history(0, line(0), line(1));
    history(0, line(0)); // identical re-send: fine
    assertThat(wandb.violations()).isEmpty();
    history(1, line(5)); // different content at an acknowledged offset
    history(5, line(6)); // gap
    history(2, line(1)); // step not increasing
    assertThat(wandb.violations()).anySatisfy(v -> assertThat(v).contains("overwritten with different content"))
        .anySatisfy(v -> assertThat(v).contains("history gap"))
        .anySatisfy(v -> assertThat(v).contains("not increasing"));
  }

  @Test
  void flagsRequestsAfterCompleteAndCompleteWithoutExitCode() throws Exception {
    upsert("{\"_wandb\":{\"value\":{\"t\":{}}}}");
    post("/files/" + WandbStandIn.DEFAULT_ENTITY + "/p/r1/file_stream", Map.of("complete", true), WandbStandIn.KEY);
    post("/files/" + WandbStandIn.DEFAULT_ENTITY + "/p/r1/file_stream", Map.of(), WandbStandIn.KEY);
    assertThat(wandb.violations()).anySatisfy(v -> assertThat(v).contains("complete without exitcode"))
        .anySatisfy(v -> assertThat(v).contains("request after complete"));
  }

  @Test
  void flagsStartTimeInMillisecondsAndAMalformedEnvironmentRecord() throws Exception {
    upsert("{\"_wandb\":{\"value\":{\"t\":{},\"start_time\":1764633600000,\"e\":{\"w1\":{}}}}}");
    assertThat(wandb.violations()).anySatisfy(v -> assertThat(v).contains("start_time is not Unix seconds"))
        .anySatisfy(v -> assertThat(v).contains("_wandb.e record lacks os/startedAt"));
  }

  @Test
  void writingFromLineZeroOverAnExistingRunsHistoryIsFlagged() throws Exception {
    wandb.existingRun("p", "r1", 3);
    history(0, line(0));
    assertThat(wandb.violations()).anySatisfy(v -> assertThat(v).contains("overwritten with different content"));
  }

  @Test
  void keepsFieldsAnUpsertLeavesOutAndRefusesOversizeRequests() throws Exception {
    post("/graphql", Map.of("operationName", "UpsertBucket",
        "query", "mutation UpsertBucket { upsertBucket(input: {}) { bucket { id } } }",
        "variables", Map.of("name", "r1", "project", "p", "tags", List.of("a"),
            "config", "{\"_wandb\":{\"value\":{\"t\":{}}}}")), WandbStandIn.KEY);
    post("/graphql", Map.of("operationName", "UpsertBucket",
        "query", "mutation UpsertBucket { upsertBucket(input: {}) { bucket { id } } }",
        "variables", Map.of("id", "storage-1", "name", "r1", "project", "p")), WandbStandIn.KEY);
    assertThat(wandb.run("p", "r1").tags).containsExactly("a");
    wandb.maxRequestBytes(50);
    assertThat(history(0, line(0))).isEqualTo(413);
    assertThat(wandb.tooLargeRequests()).isEqualTo(1);
    assertThat(wandb.violations()).isEmpty();
  }
}
