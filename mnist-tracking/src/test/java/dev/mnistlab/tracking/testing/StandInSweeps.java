package dev.mnistlab.tracking.testing;

import dev.mnistlab.tracking.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sweep half of {@link WandbStandIn} (PROTOCOL §7): {@code UpsertSweep} (create, change
 * state), the {@code Sweep} query, {@code CreateAgent} and {@code Heartbeat} with a scripted
 * command queue per sweep, as W&amp;B's sweep server hands commands out: a {@code run} (or
 * {@code exit}) goes to the next agent that reports no running run, one per heartbeat, and W&amp;B
 * pre-creates that run (state pending, no {@code _wandb.t}); a {@code stop} goes to the agent
 * whose heartbeat reports that run. A deleted sweep answers 404. Commands carry a {@code program}
 * as real ones do, which an agent must never run. Breaches go to the stand-in's violations.
 */
public final class StandInSweeps {
  /** One sweep as the server holds it. */
  public static final class Sweep {
    public final String id;
    public final String storageId;
    public final String entity;
    public final String project;
    public final String configYaml;
    /** The {@code controller} JSON it was created with; null for W&amp;B's own. */
    public final String controller;
    /** Every state it was set to, in order. */
    public final List<String> states = Collections.synchronizedList(new ArrayList<>());
    /** Runs attached by an upsert's {@code sweep}, in order of first attachment. */
    public final Set<String> runs = Collections.synchronizedSet(new LinkedHashSet<>());
    /** Agents created for it, by id. */
    public final Map<String, Agent> agents = new ConcurrentHashMap<>();
    final List<Map<String, Object>> queue = Collections.synchronizedList(new ArrayList<>());
    volatile boolean deleted;

    Sweep(String id, String storageId, String entity, String project, String configYaml,
        String controller) {
      this.id = id;
      this.storageId = storageId;
      this.entity = entity;
      this.project = project;
      this.configYaml = configYaml;
      this.controller = controller;
    }

    /** The state it was last set to, or null. */
    public String state() {
      synchronized (states) {
        return states.isEmpty() ? null : states.get(states.size() - 1);
      }
    }
  }

  /** One agent as the server sees it. */
  public static final class Agent {
    public final String id;
    public final String host;
    /** Heartbeat arrival times (nanoTime). */
    public final List<Long> heartbeats = Collections.synchronizedList(new ArrayList<>());
    /** The runs it reported running in its last heartbeat. */
    public volatile Set<String> running = Set.of();
    /** Every command handed to it, in order. */
    public final List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());

    Agent(String id, String host) {
      this.id = id;
      this.host = host;
    }
  }

  /** Pre-creates a run (pending, no history, no {@code _wandb.t}) as the sweep server does. */
  interface RunCreator {
    void preCreate(String entity, String project, String name);
  }

  private final Map<String, Sweep> sweeps = new ConcurrentHashMap<>();
  private final List<String> violations;
  private final RunCreator runCreator;
  private final List<Map<String, Object>> nextSweepScript =
      Collections.synchronizedList(new ArrayList<>());
  private int seq;

  StandInSweeps(List<String> violations, RunCreator runCreator) {
    this.violations = violations;
    this.runCreator = runCreator;
  }

  /** A sweep created elsewhere (the W&amp;B UI, {@code wandb sweep}), driven by W&amp;B. */
  public synchronized Sweep create(String entity, String project, String configYaml) {
    Sweep s = new Sweep("sw" + (++seq) + "abc", "U3dlZXA6" + seq, entity, project, configYaml,
        null);
    s.states.add("RUNNING");
    sweeps.put(s.id, s);
    return s;
  }

  /** The sweep with this id, or null. */
  public Sweep sweep(String id) {
    return sweeps.get(id);
  }

  /** Every sweep. */
  public List<Sweep> all() {
    return List.copyOf(sweeps.values());
  }

  /** Queues a {@code run} of {@code runId} with these parameters (each sent as {"value": v}). */
  public void queueRun(String sweepId, String runId, Map<String, Object> parameters) {
    queue(sweepId, runCommand(runId, parameters));
  }

  /** Queues a {@code stop} of {@code runId}, for the agent running it. */
  public void queueStop(String sweepId, String runId) {
    queue(sweepId, Map.of("type", "stop", "run_id", runId));
  }

  /** Queues an {@code exit}, for the next idle agent. */
  public void queueExit(String sweepId) {
    queue(sweepId, Map.of("type", "exit"));
  }

  /** Commands the next sweep registered with W&amp;B's own controller starts with. */
  public void scriptNextSweep(List<Map<String, Object>> commands) {
    nextSweepScript.addAll(commands);
  }

  /** A {@code run} command as W&amp;B sends it, with a {@code program} no agent may run. */
  public static Map<String, Object> runCommand(String runId, Map<String, Object> parameters) {
    Map<String, Object> args = new LinkedHashMap<>();
    parameters.forEach((k, v) -> args.put(k, Map.of("value", v)));
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", "run");
    c.put("run_id", runId);
    c.put("args", args);
    c.put("program", "touch /tmp/mnistlab-agent-ran-the-program");
    return c;
  }

  /** An {@code exit} command. */
  public static Map<String, Object> exitCommand() {
    return Map.of("type", "exit");
  }

  /** Deletes the sweep: its agents' heartbeats answer 404 from now on. */
  public void delete(String sweepId) {
    sweeps.get(sweepId).deleted = true;
  }

  /** Waits until an agent reports {@code runId} running; false when {@code timeout} passed. */
  public boolean awaitRunning(String sweepId, String runId, Duration timeout)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (Agent a : sweeps.get(sweepId).agents.values()) {
        if (a.running.contains(runId)) {
          return true;
        }
      }
      Thread.sleep(20);
    }
    return false;
  }

  private void queue(String sweepId, Map<String, Object> command) {
    Sweep s = Objects.requireNonNull(sweeps.get(sweepId), "no sweep " + sweepId);
    s.queue.add(command);
  }

  /** Whether this stand-in answers the GraphQL operation. */
  boolean handles(String operation) {
    return List.of("UpsertSweep", "Sweep", "CreateAgent", "Heartbeat").contains(operation);
  }

  /** Answers one of the {@link #handles handled} operations: {@code {status, body}}. */
  synchronized Object[] handle(String operation, String query, Map<String, Object> vars) {
    return switch (operation) {
      case "UpsertSweep" -> upsertSweep(query, vars);
      case "Sweep" -> sweepQuery(vars);
      case "CreateAgent" -> createAgent(vars);
      default -> heartbeat(vars);
    };
  }

  /** The sweep an upsert's {@code sweep} names, checked; the run is attached to it. */
  synchronized void attach(String entity, String project, String run, Object sweepId) {
    Sweep s = sweeps.get(String.valueOf(sweepId));
    if (s == null) {
      violations.add("UpsertBucket attaches run " + run + " to unknown sweep " + sweepId);
      return;
    }
    if (!s.project.equals(project) || !s.entity.equals(entity)) {
      violations.add("run " + entity + "/" + project + "/" + run + " attached to sweep " + s.id
          + " of " + s.entity + "/" + s.project);
    }
    s.runs.add(run);
  }

  private Object[] upsertSweep(String query, Map<String, Object> vars) {
    if (!query.contains("upsertSweep(input:")) {
      violations.add("UpsertSweep without upsertSweep(input: ...)");
    }
    String entity = (String) vars.getOrDefault("entityName", WandbStandIn.DEFAULT_ENTITY);
    Sweep s;
    if (vars.get("id") != null) {
      s = sweeps.values().stream().filter(x -> x.storageId.equals(vars.get("id"))).findFirst()
          .orElse(null);
      if (s == null) {
        violations.add("UpsertSweep of unknown storage id " + vars.get("id"));
        return new Object[] {200, "{\"errors\":[{\"message\":\"sweep not found\"}]}"};
      }
      if (vars.get("config") != null) {
        violations.add("UpsertSweep state change re-sends the config");
      }
    } else {
      Object config = vars.get("config");
      if (!(config instanceof String yaml) || yaml.isBlank() || yaml.trim().startsWith("{")) {
        violations.add("UpsertSweep config is not YAML text: " + config);
        return new Object[] {400, "{\"errors\":[{\"message\":\"bad config\"}]}"};
      }
      if (!yaml.contains("method:") || !yaml.contains("parameters:")) {
        violations.add("UpsertSweep config lacks method or parameters: " + yaml);
      }
      String controller = (String) vars.get("controller");
      if (controller != null) {
        Map<String, Object> c = Json.readMap(controller);
        if (!"local".equals(c.get("type"))) {
          violations.add("UpsertSweep controller is not {type: local}: " + controller);
        }
      }
      int n = ++seq;
      s = new Sweep("sw" + n + "xyz", "U3dlZXA6" + n, entity, (String) vars.get("projectName"),
          yaml, controller);
      sweeps.put(s.id, s);
      if (controller == null) {
        s.queue.addAll(nextSweepScript);
        nextSweepScript.clear();
      }
    }
    if (vars.get("state") != null) {
      s.states.add((String) vars.get("state"));
    }
    Map<String, Object> sweep = Map.of("id", s.storageId, "name", s.id, "project",
        Map.of("id", "p-" + s.project, "name", s.project,
            "entity", Map.of("id", "e-" + s.entity, "name", s.entity)));
    return new Object[] {200, Json.write(Map.of("data", Map.of("upsertSweep",
        Map.of("sweep", sweep, "configValidationWarnings", List.of()))))};
  }

  private Object[] sweepQuery(Map<String, Object> vars) {
    Sweep s = sweeps.get(String.valueOf(vars.get("name")));
    Map<String, Object> project = new LinkedHashMap<>();
    if (s == null || s.deleted || !s.project.equals(vars.get("project"))) {
      project.put("sweep", null);
    } else {
      project.put("sweep", Map.of("id", s.storageId, "name", s.id,
          "state", Objects.requireNonNullElse(s.state(), "PENDING"), "config", s.configYaml));
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("project", project);
    return new Object[] {200, Json.write(Map.of("data", data))};
  }

  private Object[] createAgent(Map<String, Object> vars) {
    Sweep s = sweeps.get(String.valueOf(vars.get("sweep")));
    if (s == null || s.deleted) {
      return new Object[] {404, "{\"errors\":[{\"message\":\"sweep not found\"}]}"};
    }
    if (!(vars.get("host") instanceof String host) || host.isBlank()) {
      violations.add("CreateAgent without host");
      return new Object[] {400, "{}"};
    }
    Agent a = new Agent("agent-" + (++seq), host);
    s.agents.put(a.id, a);
    return new Object[] {200, Json.write(Map.of("data", Map.of("createAgent",
        Map.of("agent", Map.of("id", a.id)))))};
  }

  private Object[] heartbeat(Map<String, Object> vars) {
    Sweep sweep = null;
    Agent agent = null;
    for (Sweep s : sweeps.values()) {
      if (s.agents.containsKey(String.valueOf(vars.get("id")))) {
        sweep = s;
        agent = s.agents.get(String.valueOf(vars.get("id")));
      }
    }
    if (agent == null) {
      violations.add("Heartbeat of unknown agent " + vars.get("id"));
      return new Object[] {400, "{}"};
    }
    if (sweep.deleted) {
      return new Object[] {404, "{\"errors\":[{\"message\":\"sweep not found\"}]}"};
    }
    agent.heartbeats.add(System.nanoTime());
    if (!(vars.get("runState") instanceof String runState)) {
      violations.add("Heartbeat runState is not JSON text: " + vars.get("runState"));
      return new Object[] {400, "{}"};
    }
    Set<String> running = new LinkedHashSet<>();
    Json.readMap(runState).forEach((k, v) -> {
      if (Boolean.TRUE.equals(v)) {
        running.add(k);
      }
    });
    agent.running = Set.copyOf(running);
    List<Map<String, Object>> out = new ArrayList<>();
    synchronized (sweep.queue) {
      boolean firstInOrder = true; // run and exit commands go out in order, to idle agents
      for (var it = sweep.queue.iterator(); it.hasNext(); ) {
        Map<String, Object> c = it.next();
        boolean stop = "stop".equals(c.get("type"));
        if (stop ? running.contains(c.get("run_id")) : firstInOrder && running.isEmpty()) {
          out.add(c);
          it.remove();
        }
        if (!stop) {
          firstInOrder = false;
        }
      }
    }
    for (Map<String, Object> c : out) {
      agent.received.add(c);
      if ("run".equals(c.get("type"))) {
        runCreator.preCreate(sweep.entity, sweep.project, (String) c.get("run_id"));
      }
    }
    Map<String, Object> hb = new LinkedHashMap<>();
    hb.put("agent", Map.of("id", agent.id));
    hb.put("commands", Json.write(out));
    return new Object[] {200, Json.write(Map.of("data", Map.of("agentHeartbeat", hb)))};
  }
}
