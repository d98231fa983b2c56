package dev.mnistlab.tracking.internal.wandb;

import dev.mnistlab.tracking.Provenance;
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
 * {@code t} (marks the run as started), {@code m} (metric definitions) and client metadata.
 */
public final class UpsertVariables {
  /** The version string reported as {@code cli_version}. */
  static final String CLIENT = "mnistlab-tracking/" + Optional.ofNullable(
      UpsertVariables.class.getPackage().getImplementationVersion()).orElse("dev");

  private UpsertVariables() {}

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
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("value", val);
        wrapped.put(k, w);
      }
    });
    Map<String, Object> internal = new LinkedHashMap<>();
    internal.put("t", Map.of());
    internal.put("m", metricDefinitions(run.metricDefinitionsJson()));
    internal.put("cli_version", CLIENT);
    internal.put("java_version", System.getProperty("java.version"));
    internal.put("framework", "deeplearning4j");
    internal.put("start_time", run.startTimeMillis());
    provenance.ifPresent(p -> internal.put("provenance", p.toMap()));
    wrapped.put("_wandb", Map.of("value", internal));
    return Json.write(wrapped);
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
