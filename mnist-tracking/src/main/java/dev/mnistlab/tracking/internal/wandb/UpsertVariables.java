package dev.mnistlab.tracking.internal.wandb;

import dev.mnistlab.tracking.Provenance;
import dev.mnistlab.tracking.internal.DefaultRun;
import dev.mnistlab.tracking.internal.Json;
import dev.mnistlab.tracking.internal.store.SinkCursor;
import dev.mnistlab.tracking.internal.store.StoredRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@code UpsertBucket} variables from a stored run: identity, description, provenance
 * ({@code commit}, {@code host}, {@code program}, {@code repo}) and the config as JSON text in W&amp;B's
 * wrapped form {@code {"key": {"value": v}}}, with the reserved {@code _wandb} entry carrying
 * {@code t} (marks the run as started), {@code m} (metric definitions), {@code e} (the environment
 * record, keyed by writer id as the Go core does), {@code start_time} (Unix seconds) and client
 * metadata. The provenance a reviewer looks for (commit, mnistlab version, dataset checksums,
 * seed) is also an ordinary {@value #PROVENANCE_KEY} config entry: the UI hides {@code _} keys.
 *
 * <p>{@link #changes} reduces the variables to what an update needs, as the official client does
 * (only dirty fields): fields people edit in the UI (tags, notes, display name, group, job type) go
 * only into the request that creates the run, and tags only when there are any, so a later upsert
 * never overwrites an edit.
 */
public final class UpsertVariables {
  /** The version string reported as {@code cli_version}. */
  static final String CLIENT = "mnistlab-tracking/" + Optional.ofNullable(
      UpsertVariables.class.getPackage().getImplementationVersion()).orElse("dev");

  /** The ordinary config key holding the reviewer-facing provenance. */
  static final String PROVENANCE_KEY = "provenance";
  /** Variables that identify the run: in every upsert. */
  private static final List<String> IDENTITY = List.of("id", "name", "project", "entity");
  /** Variables people may edit in the UI: only when creating the run. */
  private static final List<String> EDITABLE = List.of("groupName", "displayName", "notes", "jobType", "tags");
  /** Provenance extras also shown as ordinary config (small values only). */
  private static final List<String> SHOWN_EXTRAS = List.of("dataset", "dataset_checksums",
      "dataset_content_checksums", "seed");

  private UpsertVariables() {}

  /**
   * The part of {@code desired} an upsert must send: the identity always; when {@code creating},
   * every other field (tags only if not empty); otherwise the config only when it changed since
   * the last acknowledged upsert ({@code configDirty}), and provenance fields that differ from
   * {@code acked} (all of them when nothing was acknowledged in this session).
   */
  public static Map<String, Object> changes(Map<String, Object> desired, Map<String, Object> acked,
      boolean creating, boolean configDirty) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : desired.entrySet()) {
      String k = e.getKey();
      boolean send;
      if (IDENTITY.contains(k)) {
        send = true;
      } else if ("tags".equals(k)) {
        send = creating && e.getValue() instanceof List<?> l && !l.isEmpty();
      } else if (EDITABLE.contains(k)) {
        send = creating;
      } else if ("config".equals(k)) {
        send = creating || configDirty;
      } else if ("sweep".equals(k)) {
        // a sweep registered after the run was created (offline, or W&B was late) attaches it
        send = creating || acked == null || !e.getValue().equals(acked.get(k));
      } else {
        send = creating || (configDirty && (acked == null || !e.getValue().equals(acked.get(k))));
      }
      if (send) {
        v.put(k, e.getValue());
      }
    }
    return v;
  }

  /** What the server holds after acknowledging {@code sent} on top of {@code acked}. */
  public static Map<String, Object> merge(Map<String, Object> acked, Map<String, Object> sent) {
    Map<String, Object> m = acked == null ? new LinkedHashMap<>() : new LinkedHashMap<>(acked);
    m.putAll(sent);
    return m;
  }

  /** The variables for a run; {@code entity} may be null (the key's default entity). */
  public static Map<String, Object> of(StoredRun run, SinkCursor cursor, String entity,
      Map<String, Object> config, Optional<Provenance> provenance) {
    Map<String, Object> v = new LinkedHashMap<>();
    if (cursor.storageId() != null) {
      v.put("id", cursor.storageId());
    }
    v.put("name", run.id());
    v.put("project", cursor.project() != null ? cursor.project() : run.project());
    String e = cursor.entity() != null ? cursor.entity() : entity;
    if (e != null) {
      v.put("entity", e);
    }
    put(v, "groupName", run.group());
    put(v, "displayName", run.name());
    put(v, "notes", run.notes());
    put(v, "jobType", run.jobType());
    v.put("tags", run.tags());
    provenance.ifPresent(p -> {
      p.gitCommit().ifPresent(c -> v.put("commit", c));
      p.hostName().ifPresent(h -> v.put("host", h));
      p.program().filter(s -> !s.isBlank()).ifPresent(s -> v.put("program", s));
      p.gitRemote().ifPresent(r -> v.put("repo", r));
    });
    v.put("config", configJson(run, config, provenance));
    return v;
  }

  private static void put(Map<String, Object> v, String key, String value) {
    if (value != null) {
      v.put(key, value);
    }
  }

  /** The config JSON text: every key wrapped as {@code {"value": v}}, plus {@code _wandb}. */
  static String configJson(StoredRun run, Map<String, Object> config, Optional<Provenance> provenance) {
    Map<String, Object> wrapped = new LinkedHashMap<>();
    config.forEach((k, val) -> {
      if (!"_wandb".equals(k)) {
        wrapped.put(k, wrap(val));
      }
    });
    if (!config.containsKey(PROVENANCE_KEY)) {
      wrapped.put(PROVENANCE_KEY, wrap(shownProvenance(provenance)));
    }
    Map<String, Object> internal = new LinkedHashMap<>();
    internal.put("t", Map.of());
    internal.put("m", metricDefinitions(run.metricDefinitionsJson()));
    internal.put("cli_version", CLIENT);
    internal.put("java_version", System.getProperty("java.version"));
    internal.put("framework", "deeplearning4j");
    internal.put("start_time", run.startTimeMillis() / 1000.0); // Unix seconds, as sender.py
    internal.put("e", Map.of(writerId(run), environment(run, provenance)));
    provenance.ifPresent(p -> internal.put("provenance", p.toMap()));
    // custom charts the run logged (e.g. the confusion matrix), PROTOCOL §11.4
    if (config.get(DefaultRun.WANDB_CONFIG) instanceof Map<?, ?> own
        && own.get(DefaultRun.VISUALIZE) instanceof Map<?, ?> charts && !charts.isEmpty()) {
      internal.put(DefaultRun.VISUALIZE, charts);
    }
    wrapped.put("_wandb", wrap(internal));
    return Json.write(wrapped);
  }

  private static Map<String, Object> wrap(Object value) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("value", value);
    return w;
  }

  /** The writer id the environment record is keyed by: one per run and process. */
  static String writerId(StoredRun run) {
    return run.id() + "-" + (run.pid() == null ? 0 : run.pid());
  }

  /**
   * The environment record ({@code EnvironmentRecord} as the Go core puts it in {@code _wandb.e},
   * fields named as in {@code wandb-metadata.json}); the JVM goes into its own {@code java} key
   * where a Python client writes {@code python}.
   */
  static Map<String, Object> environment(StoredRun run, Optional<Provenance> provenance) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("os", provenance.map(Provenance::os).orElse(System.getProperty("os.name") + "-"
        + System.getProperty("os.version") + "-" + System.getProperty("os.arch")));
    e.put("java", provenance.map(Provenance::javaVersion).orElse(System.getProperty("java.version")));
    e.put("startedAt", java.time.Instant.ofEpochMilli(run.startTimeMillis()).toString());
    provenance.flatMap(Provenance::program).filter(p -> !p.isBlank()).ifPresent(p -> e.put("program", p));
    Map<String, Object> git = new LinkedHashMap<>();
    provenance.flatMap(Provenance::gitRemote).ifPresent(r -> git.put("remote", r));
    provenance.flatMap(Provenance::gitCommit).ifPresent(c -> git.put("commit", c));
    if (!git.isEmpty()) {
      e.put("git", git);
    }
    String host = provenance.flatMap(Provenance::hostName).orElse(run.host());
    if (host != null) {
      e.put("host", host);
    }
    e.put("cpu_count_logical", provenance.map(Provenance::cpuCores)
        .orElse(Runtime.getRuntime().availableProcessors()));
    provenance.flatMap(Provenance::cpuModel).ifPresent(m -> e.put("cpu", m));
    e.put("memory", Map.of("total", Runtime.getRuntime().maxMemory()));
    e.put("writerId", writerId(run));
    return e;
  }

  /** The provenance a reviewer reads in the config panel (small values only). */
  static Map<String, Object> shownProvenance(Optional<Provenance> provenance) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mnistlab_version", CLIENT);
    provenance.ifPresent(p -> {
      p.gitCommit().ifPresent(c -> m.put("commit", c));
      p.gitDirty().ifPresent(d -> m.put("git_dirty", d));
      m.put("java", p.javaVersion());
      p.nd4jBackend().ifPresent(b -> m.put("nd4j_backend", b));
      for (String k : SHOWN_EXTRAS) {
        if (p.extras().containsKey(k)) {
          m.put(k, p.extras().get(k));
        }
      }
    });
    return m;
  }

  /**
   * Converts stored definitions {@code [{"name": n, "step": s}]} to W&amp;B's {@code _wandb.m}: a
   * list of maps keyed by MetricRecord field numbers ({@code "1"} name, {@code "5"} 1-based index of
   * the step metric in the list, {@code "6"} options, 3 = defined). Step metrics come first.
   */
  static List<Map<String, Object>> metricDefinitions(String json) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    List<Object> defs = Json.readList(json);
    List<String> stepMetrics = new ArrayList<>();
    for (Object o : defs) {
      if (o instanceof Map<?, ?> m && m.get("step") != null && !stepMetrics.contains(m.get("step").toString())) {
        stepMetrics.add(m.get("step").toString());
      }
    }
    for (String s : stepMetrics) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("1", s);
      d.put("6", List.of(3));
      out.add(d);
    }
    for (Object o : defs) {
      if (!(o instanceof Map<?, ?> m) || m.get("name") == null) {
        continue;
      }
      String name = m.get("name").toString();
      if (stepMetrics.contains(name)) {
        continue;
      }
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("1", name);
      if (m.get("step") != null) {
        d.put("5", stepMetrics.indexOf(m.get("step").toString()) + 1);
      }
      d.put("6", List.of(3));
      out.add(d);
    }
    return out;
  }
}
