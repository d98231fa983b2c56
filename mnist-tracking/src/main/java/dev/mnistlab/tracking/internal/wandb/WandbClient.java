package dev.mnistlab.tracking.internal.wandb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistlab.tracking.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The two W&amp;B operations a run needs, over OkHttp: {@code UpsertBucket} (GraphQL) and
 * {@code file_stream} POSTs. One attempt per call; retrying is the caller's job
 * ({@link Retrier}). The API key is only inside the {@link AuthInterceptor}.
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
        .retryOnConnectionFailure(false) // retries are ours, counted and backed off
        .build();
  }

  /** Runs {@code UpsertBucket} once. */
  public UpsertResult upsertBucket(Map<String, Object> variables) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", UPSERT_BUCKET);
    body.put("variables", variables);
    body.put("operationName", "UpsertBucket");
    HttpUrl url = base.newBuilder().addPathSegment("graphql").build();
    JsonNode json = post(url, Json.write(body), "UpsertBucket");
    JsonNode errors = json.path("errors");
    if (errors.isArray() && errors.size() > 0) {
      throw new WandbHttpException("UpsertBucket", 200, errors.get(0).path("message").asText(), null);
    }
    JsonNode upsert = json.path("data").path("upsertBucket");
    JsonNode bucket = upsert.path("bucket");
    if (bucket.isMissingNode() || bucket.isNull()) {
      throw new WandbHttpException("UpsertBucket", 200, "response has no bucket", null);
    }
    return new UpsertResult(text(bucket, "id"), text(bucket, "name"), text(bucket, "displayName"),
        text(bucket.path("project").path("entity"), "name"), text(bucket.path("project"), "name"),
        bucket.path("historyLineCount").asLong(0), upsert.path("inserted").asBoolean(false));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  /** POSTs one file_stream request body; returns the parsed response. */
  public JsonNode fileStream(String entity, String project, String runId, String body) throws IOException {
    HttpUrl url = base.newBuilder().addPathSegment("files").addPathSegment(entity)
        .addPathSegment(project).addPathSegment(runId).addPathSegment("file_stream").build();
    return post(url, body, "file_stream");
  }

  private JsonNode post(HttpUrl url, String body, String operation) throws IOException {
    Request request = new Request.Builder().url(url)
        .header("User-Agent", USER_AGENT)
        .post(RequestBody.create(body, JSON))
        .build();
    try (Response response = http.newCall(request).execute()) {
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
