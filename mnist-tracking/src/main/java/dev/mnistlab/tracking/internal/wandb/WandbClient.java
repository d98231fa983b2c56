package dev.mnistlab.tracking.internal.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistlab.tracking.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The W&amp;B operations a run needs, over OkHttp: {@code RunResumeStatus} and {@code UpsertBucket}
 * (GraphQL) and {@code file_stream} POSTs. One attempt per call as far as the server is concerned;
 * retrying after a server answer or an outage is the caller's job ({@link Retrier}), with backoff.
 *
 * <p>One failure is not the server's answer and is not worth a backoff: a pooled keep-alive
 * connection the server (or a proxy) already closed. OkHttp's {@code retryOnConnectionFailure}
 * retries exactly that at once on a fresh connection (it only retries when the failure is on a
 * reused connection or another route is left), as the official client's HTTP layer does; a server
 * that is really down still fails the call and is backed off by the {@link Retrier}. Every request
 * we send is idempotent (file_stream offsets, upserts by name), so a silent resend is safe.
 *
 * <p>Each call takes a time limit, applied as OkHttp's call timeout (connect, write and read
 * together), so a caller's deadline bounds a call against a server that accepts and never answers.
 * The API key is only inside the {@link AuthInterceptor}.
 */
public final class WandbClient {
  private static final MediaType JSON = MediaType.get("application/json");
  static final String USER_AGENT = "mnistlab-tracking";

  static final String UPSERT_BUCKET = "mutation UpsertBucket($id: String, $name: String,"
      + " $project: String, $entity: String, $groupName: String, $description: String,"
      + " $displayName: String, $notes: String, $commit: String, $config: JSONString,"
      + " $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String,"
      + " $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) {\n"
      + "  upsertBucket(input: {id: $id, name: $name, groupName: $groupName, modelName: $project,"
      + " entityName: $entity, description: $description, displayName: $displayName,"
      + " notes: $notes, config: $config, commit: $commit, host: $host, debug: $debug,"
      + " jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state, sweep: $sweep,"
      + " tags: $tags, summaryMetrics: $summaryMetrics}) {\n"
      + "    bucket { id name displayName description config sweepName"
      + " project { id name entity { id name } } historyLineCount }\n"
      + "    inserted\n"
      + "  }\n"
      + "}\n";

  static final String RUN_RESUME_STATUS = "query RunResumeStatus($project: String, $entity: String,"
      + " $name: String!) {\n"
      + "  model(name: $project, entityName: $entity) {\n"
      + "    id name entity { id name }\n"
      + "    bucket(name: $name, missingOk: true) { id name summaryMetrics displayName logLineCount"
      + " historyLineCount eventsLineCount historyTail eventsTail config tags notes"
      + " wandbConfig(keys: [\"t\"]) }\n"
      + "  }\n"
      + "}\n";

  private final HttpUrl base;
  private final OkHttpClient http;

  /** Creates a client for {@code baseUrl} authenticating with {@code apiKey}. */
  public WandbClient(String baseUrl, String apiKey, Duration readTimeout) {
    this.base = Objects.requireNonNull(HttpUrl.parse(baseUrl), "base URL");
    this.http = new OkHttpClient.Builder()
        .addNetworkInterceptor(new AuthInterceptor(base, Objects.requireNonNull(apiKey, "apiKey")))
        .connectTimeout(Duration.ofSeconds(20))
        .readTimeout(readTimeout)
        .writeTimeout(readTimeout)
        .retryOnConnectionFailure(true) // a stale pooled connection is retried at once, not backed off
        .build();
  }

  /**
   * Runs {@code UpsertBucket} once.
   *
   * @param timeout bound of the whole call; {@link Duration#ZERO} means the client's read timeout
   */
  public UpsertResult upsertBucket(Map<String, Object> variables, Duration timeout) throws IOException {
    JsonNode json = graphql("UpsertBucket", UPSERT_BUCKET, variables, timeout);
    JsonNode upsert = json.path("data").path("upsertBucket");
    JsonNode bucket = upsert.path("bucket");
    if (bucket.isMissingNode() || bucket.isNull()) {
      throw new WandbHttpException("UpsertBucket", 200, "response has no bucket", null);
    }
    return new UpsertResult(text(bucket, "id"), text(bucket, "name"), text(bucket, "displayName"),
        text(bucket.path("project").path("entity"), "name"), text(bucket.path("project"), "name"),
        bucket.path("historyLineCount").asLong(0), upsert.path("inserted").asBoolean(false));
  }

  /**
   * Runs {@code RunResumeStatus} once: what the server already holds of a run (the official client
   * asks this before deciding to resume); {@link RemoteRunStatus#exists()} is false when it has none.
   */
  public RemoteRunStatus runResumeStatus(String entity, String project,
      String name, Duration timeout) throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("project", project);
    if (entity != null) {
      vars.put("entity", entity);
    }
    vars.put("name", name);
    JsonNode json = graphql("RunResumeStatus", RUN_RESUME_STATUS, vars, timeout);
    JsonNode model = json.path("data").path("model");
    String resolved = text(model.path("entity"), "name");
    if (resolved == null) {
      resolved = entity;
    }
    JsonNode bucket = model.path("bucket");
    if (bucket.isMissingNode() || bucket.isNull()) {
      return RemoteRunStatus.absent(resolved);
    }
    return RemoteRunStatus.fromBucket(resolved, bucket);
  }

  static final String CREATE_RUN_FILES = "mutation CreateRunFiles($entity: String!, $project:"
      + " String!, $run: String!, $files: [String!]!) {\n"
      + "  createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run,"
      + " files: $files}) {\n"
      + "    runID uploadHeaders files { name uploadUrl }\n"
      + "  }\n"
      + "}\n";

  /**
   * Runs {@code CreateRunFiles} once: a signed upload URL per file, and the headers every upload
   * must carry (PROTOCOL §2.5).
   */
  public List<RunFileUpload> createRunFiles(String entity, String project, String run,
      List<String> files, Duration timeout) throws IOException {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("entity", entity);
    vars.put("project", project);
    vars.put("run", run);
    vars.put("files", files);
    JsonNode created = graphql("CreateRunFiles", CREATE_RUN_FILES, vars, timeout)
        .path("data").path("createRunFiles");
    List<String> headers = new java.util.ArrayList<>();
    for (JsonNode h : created.path("uploadHeaders")) {
      headers.add(h.asText());
    }
    List<RunFileUpload> out = new java.util.ArrayList<>();
    for (JsonNode f : created.path("files")) {
      String url = text(f, "uploadUrl");
      if (url == null || HttpUrl.parse(url) == null) {
        throw new WandbHttpException("CreateRunFiles", 200, "no valid upload URL for "
            + text(f, "name"), null);
      }
      out.add(new RunFileUpload(text(f, "name"), url, List.copyOf(headers)));
    }
    return out;
  }

  /**
   * PUTs a run file's bytes to its signed URL with exactly the given headers. The URL is on the
   * storage host, so the {@link AuthInterceptor} sends no W&amp;B key there.
   */
  public void upload(RunFileUpload target, byte[] content, Duration timeout) throws IOException {
    Request.Builder b = new Request.Builder().url(target.uploadUrl());
    MediaType type = null;
    for (String h : target.headers()) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Type")) {
        type = MediaType.parse(value);
      } else {
        b.addHeader(name, value);
      }
    }
    Call call = http.newCall(b.put(RequestBody.create(content, type)).build());
    if (!timeout.isZero()) {
      call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }
    try (Response response = call.execute()) {
      if (!response.isSuccessful()) {
        ResponseBody rb = response.body();
        throw new WandbHttpException("upload of " + target.name(), response.code(),
            clip(rb == null ? "" : rb.string()), retryAfter(response.header("Retry-After")));
      }
    }
  }

  JsonNode graphql(String operation, String document, Map<String, Object> variables,
      Duration timeout) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", document);
    body.put("variables", variables);
    body.put("operationName", operation);
    HttpUrl url = base.newBuilder().addPathSegment("graphql").build();
    JsonNode json = post(url, Json.write(body), operation, timeout);
    JsonNode errors = json.path("errors");
    if (errors.isArray() && errors.size() > 0) {
      throw new WandbHttpException(operation, 200, errors.get(0).path("message").asText(), null);
    }
    return json;
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /**
   * POSTs one file_stream request body; returns the parsed response.
   *
   * @param timeout bound of the whole call; {@link Duration#ZERO} means the client's read timeout
   */
  public JsonNode fileStream(String entity, String project, String runId, String body,
      Duration timeout) throws IOException {
    HttpUrl url = base.newBuilder().addPathSegment("files").addPathSegment(entity)
        .addPathSegment(project).addPathSegment(runId).addPathSegment("file_stream").build();
    return post(url, body, "file_stream", timeout);
  }

  private JsonNode post(HttpUrl url, String body, String operation, Duration timeout)
      throws IOException {
    Request request = new Request.Builder().url(url)
        .header("User-Agent", USER_AGENT)
        .post(RequestBody.create(body, JSON))
        .build();
    Call call = http.newCall(request);
    if (!timeout.isZero()) {
      call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }
    try (Response response = call.execute()) {
      ResponseBody rb = response.body();
      String text = rb == null ? "" : rb.string();
      if (!response.isSuccessful()) {
        throw new WandbHttpException(operation, response.code(), errorMessage(text),
            retryAfter(response.header("Retry-After")));
      }
      if (text.isBlank()) {
        return Json.MAPPER.createObjectNode();
      }
      try {
        return Json.MAPPER.readTree(text);
      } catch (IOException e) {
        throw new WandbHttpException(operation, response.code(), "response is not JSON", null);
      }
    }
  }

  /** The server's error text from {@code {"error": ...}} or {@code {"errors": [{"message": ...}]}}. */
  static String errorMessage(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n.path("errors").isArray() && n.path("errors").size() > 0) {
        JsonNode first = n.path("errors").get(0);
        return clip(first.isTextual() ? first.asText() : first.path("message").asText());
      }
      if (n.hasNonNull("error")) {
        return clip(n.get("error").isTextual() ? n.get("error").asText() : n.get("error").toString());
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: fall through to the raw text
    }
    return clip(body.strip());
  }

  private static String clip(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  /** Parses {@code Retry-After}: seconds or an HTTP date; null if absent or invalid. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** Releases connections and threads. */
  public void shutdown() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "WandbClient{" + base + "}";
  }
}
