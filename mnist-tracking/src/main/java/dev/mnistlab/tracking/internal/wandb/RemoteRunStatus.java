package dev.mnistlab.tracking.internal.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistlab.tracking.internal.Json;
import java.io.IOException;

/**
 * What the server already holds of a run ({@code RunResumeStatus}, as the Go core reads it in
 * {@code runbranch/resume.go}): how many history lines, the last {@code _step} (from the history
 * tail, else the summary), the runtime in seconds (the larger of the summary's {@code _runtime} and
 * {@code _wandb.runtime}), and whether the run was actually started ({@code wandbConfig.t}; a
 * sweep pre-creates runs without it).
 *
 * @param entity the entity the server resolved (the key's default when none was given), or null
 * @param exists whether the server has a run of that id at all
 * @param historyLineCount lines in {@code wandb-history.jsonl}: a continuation writes from here
 * @param lastStep the last {@code _step}, or -1 when there is none
 * @param runtimeSeconds the remote runtime, added to this session's {@code _runtime}
 * @param started whether the run's config carries {@code _wandb.t}
 * @param eventsLineCount lines in {@code wandb-events.jsonl}: a continuation's system metrics go on here
 * @param logLineCount lines in {@code output.log}: a continuation's console lines go on here
 */
public record RemoteRunStatus(String entity, boolean exists, String storageId,
    long historyLineCount, long lastStep, double runtimeSeconds, boolean started,
    long eventsLineCount, long logLineCount) {

  static RemoteRunStatus absent(String entity) {
    return new RemoteRunStatus(entity, false, null, 0, -1, 0, false, 0, 0);
  }

  /** True when continuing from line 0 would overwrite history the server holds. */
  public boolean hasHistory() {
    return historyLineCount > 0;
  }

  static RemoteRunStatus fromBucket(String entity, JsonNode bucket) {
    long lines = bucket.path("historyLineCount").asLong(0);
    long lastStep = -1;
    double runtime = 0;
    JsonNode tail = jsonText(bucket.path("historyTail"));
    if (tail.isArray() && tail.size() > 0) {
      JsonNode last = jsonText(tail.get(tail.size() - 1));
      if (last.path("_step").isNumber()) {
        lastStep = last.path("_step").asLong();
      }
    }
    JsonNode summary = jsonText(bucket.path("summaryMetrics"));
    if (lastStep < 0 && summary.path("_step").isNumber()) {
      lastStep = summary.path("_step").asLong();
    }
    if (summary.path("_runtime").isNumber()) {
      runtime = summary.path("_runtime").asDouble();
    }
    if (summary.path("_wandb").path("runtime").isNumber()) {
      runtime = Math.max(runtime, summary.path("_wandb").path("runtime").asDouble());
    }
    if (lastStep < 0 && lines > 0) {
      lastStep = lines - 1; // no step to read: at least keep _step increasing
    }
    JsonNode wandbConfig = jsonText(bucket.path("wandbConfig"));
    boolean started = wandbConfig.has("t");
    JsonNode id = bucket.path("id");
    return new RemoteRunStatus(entity, true, id.isTextual() ? id.asText() : null, lines, lastStep,
        runtime, started, bucket.path("eventsLineCount").asLong(0), bucket.path("logLineCount").asLong(0));
  }

  /** GraphQL returns JSONString fields as text holding JSON; tolerate an inline object too. */
  private static JsonNode jsonText(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return Json.MAPPER.missingNode();
    }
    if (n.isTextual()) {
      try {
        return Json.MAPPER.readTree(n.asText());
      } catch (IOException e) {
        return Json.MAPPER.missingNode();
      }
    }
    return n;
  }
}
