package dev.mnistlab.tracking.internal.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistlab.tracking.AgentCommand;
import dev.mnistlab.tracking.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep operations of W&amp;B's GraphQL API (PROTOCOL §7): {@code UpsertSweep} (register a
 * sweep, change its state), the {@code Sweep} query (a sweep's config and state), and the agent
 * protocol's {@code CreateAgent} and {@code Heartbeat}. One attempt per call, as
 * {@link WandbClient}; retrying is the caller's ({@link Retrier}).
 */
public final class SweepApi {
  static final String UPSERT_SWEEP = "mutation UpsertSweep($id: ID, $config: String,"
      + " $description: String, $entityName: String, $projectName: String,"
      + " $controller: JSONString, $scheduler: JSONString, $state: String,"
      + " $priorRunsFilters: JSONString, $displayName: String) {\n"
      + "  upsertSweep(input: {id: $id, config: $config, description: $description,"
      + " entityName: $entityName, projectName: $projectName, controller: $controller,"
      + " scheduler: $scheduler, state: $state, priorRunsFilters: $priorRunsFilters,"
      + " displayName: $displayName}) {\n"
      + "    sweep { id name project { id name entity { id name } } }\n"
      + "    configValidationWarnings\n"
      + "  }\n"
      + "}\n";

  static final String SWEEP = "query Sweep($entity: String, $project: String, $name: String!) {\n"
      + "  project(name: $project, entityName: $entity) {\n"
      + "    sweep(sweepName: $name) { id name state config }\n"
      + "  }\n"
      + "}\n";

  static final String CREATE_AGENT = "mutation CreateAgent($host: String!, $projectName: String,"
      + " $entityName: String, $sweep: String!) {\n"
      + "  createAgent(input: {host: $host, projectName: $projectName, entityName: $entityName,"
      + " sweep: $sweep}) {\n"
      + "    agent { id }\n"
      + "  }\n"
      + "}\n";

  static final String HEARTBEAT = "mutation Heartbeat($id: ID!, $metrics: JSONString,"
      + " $runState: JSONString) {\n"
      + "  agentHeartbeat(input: {id: $id, metrics: $metrics, runState: $runState}) {\n"
      + "    agent { id }\n"
      + "    commands\n"
      + "  }\n"
      + "}\n";

  /** What {@code UpsertSweep} answered: the sweep's id, storage id, entity and project. */
  public record UpsertedSweep(String id, String storageId, String entity, String project,
      List<String> warnings) {}

  /** What the {@code Sweep} query answered. */
  public record RemoteSweep(String id, String storageId, String state, String configYaml) {}

  private final WandbClient client;

  /** The sweep operations over {@code client}. */
  public SweepApi(WandbClient client) {
    this.client = client;
  }

  /**
   * Runs {@code UpsertSweep} once: creates a sweep ({@code storageId} null, with its config) or
   * changes one ({@code storageId} given, e.g. only its state).
   *
   * @param controller W&amp;B's {@code controller} JSON ({@code {"type":"local"}}), null for W&amp;B's
   */
  public UpsertedSweep upsertSweep(String storageId, String entity, String project,
      String configYaml, Map<String, Object> controller, String state, Duration timeout)
      throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    if (storageId != null) {
      vars.put("id", storageId);
    }
    if (configYaml != null) {
      vars.put("config", configYaml);
    }
    if (entity != null) {
      vars.put("entityName", entity);
    }
    vars.put("projectName", project);
    if (controller != null) {
      vars.put("controller", Json.write(controller));
    }
    if (state != null) {
      vars.put("state", state);
    }
    JsonNode upsert = client.graphql("UpsertSweep", UPSERT_SWEEP, vars, timeout)
        .path("data").path("upsertSweep");
    JsonNode sweep = upsert.path("sweep");
    String name = WandbClient.text(sweep, "name");
    if (name == null) {
      throw new WandbHttpException("UpsertSweep", 200, "response has no sweep", null);
    }
    List<String> warnings = new ArrayList<>();
    upsert.path("configValidationWarnings").forEach(w -> warnings.add(w.asText()));
    return new UpsertedSweep(name, WandbClient.text(sweep, "id"),
        WandbClient.text(sweep.path("project").path("entity"), "name"),
        WandbClient.text(sweep.path("project"), "name"), warnings);
  }

  /** Runs the {@code Sweep} query once; empty when the project has no such sweep. */
  public Optional<RemoteSweep> sweep(String entity, String project, String id, Duration timeout)
      throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    if (entity != null) {
      vars.put("entity", entity);
    }
    vars.put("project", project);
    vars.put("name", id);
    JsonNode sweep = client.graphql("Sweep", SWEEP, vars, timeout)
        .path("data").path("project").path("sweep");
    if (sweep.isMissingNode() || sweep.isNull()) {
      return Optional.empty();
    }
    return Optional.of(new RemoteSweep(WandbClient.text(sweep, "name"),
        WandbClient.text(sweep, "id"), WandbClient.text(sweep, "state"),
        WandbClient.text(sweep, "config")));
  }

  /** Runs {@code CreateAgent} once; returns the agent's id. */
  public String createAgent(String host, String entity, String project, String sweep,
      Duration timeout) throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("host", host);
    if (entity != null) {
      vars.put("entityName", entity);
    }
    vars.put("projectName", project);
    vars.put("sweep", sweep);
    String id = WandbClient.text(client.graphql("CreateAgent", CREATE_AGENT, vars, timeout)
        .path("data").path("createAgent").path("agent"), "id");
    if (id == null) {
      throw new WandbHttpException("CreateAgent", 200, "response has no agent id", null);
    }
    return id;
  }

  /**
   * Runs {@code Heartbeat} once, reporting the runs still running, and returns the commands W&amp;B
   * answered, in order. A command's {@code program} or command line is never read: the agent
   * only runs its own trials.
   */
  public List<AgentCommand> heartbeat(String agentId, List<String> runningRuns, Duration timeout)
      throws IOException {
    Map<String, Object> runState = new LinkedHashMap<>();
    runningRuns.forEach(r -> runState.put(r, Boolean.TRUE));
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("id", agentId);
    vars.put("metrics", "{}");
    vars.put("runState", Json.write(runState));
    JsonNode commands = client.graphql("Heartbeat", HEARTBEAT, vars, timeout)
        .path("data").path("agentHeartbeat").path("commands");
    return commands(commands);
  }

  /** Parses the {@code commands} JSON string (or, leniently, an inline list). */
  static List<AgentCommand> commands(JsonNode node) throws IOException {
    JsonNode list = node;
    if (node.isTextual()) {
      String text = node.asText();
      if (text.isBlank()) {
        return List.of();
      }
      try {
        list = Json.MAPPER.readTree(text);
      } catch (IOException e) {
        throw new WandbHttpException("Heartbeat", 200, "commands are not JSON", null);
      }
    }
    if (list == null || list.isNull() || list.isMissingNode()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new WandbHttpException("Heartbeat", 200, "commands are not a list", null);
    }
    List<AgentCommand> out = new ArrayList<>();
    for (JsonNode c : list) {
      String type = WandbClient.text(c, "type");
      Map<String, Object> parameters = new LinkedHashMap<>();
      JsonNode args = c.path("args");
      for (var it = args.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode v = e.getValue();
        // W&B wraps each value as {"value": v}
        JsonNode value = v.isObject() && v.has("value") ? v.get("value") : v;
        parameters.put(e.getKey(), Json.MAPPER.convertValue(value, Object.class));
      }
      out.add(AgentCommand.of(type == null ? "" : type, WandbClient.text(c, "run_id"),
          parameters));
    }
    return out;
  }
}
