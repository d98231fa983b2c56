package dev.mnistlab.tracking.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistlab.tracking.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * A W&amp;B server stand-in on loopback implementing {@code UpsertBucket} and {@code file_stream}
 * and checking what the real server relies on: the Basic auth header, the wrapped config with
 * {@code _wandb.t}, contiguous history offsets (re-sends must be identical), increasing
 * {@code _step}, reserved keys on every line, a one-line summary at offset 0, and
 * {@code complete} + {@code exitcode} as the last request, {@code _wandb.start_time} in Unix
 * seconds and a {@code _wandb.e} environment record. Every breach is recorded in
 * {@link #violations()}. Faults can be queued per endpoint; an outage answers 503 to everything.
 *
 * <p>Like a real server it keeps each run's fields between upserts (a field an upsert leaves out is
 * unchanged; {@link #editInUi} changes tags and notes as a person would), answers
 * {@code RunResumeStatus}, can hold {@link #existingRun runs with history} already, answer
 * {@code {"stopped": true}} ({@link #requestStop}), refuse requests over a size with 413
 * ({@link #maxRequestBytes}), accept connections and never answer ({@link #neverAnswer}), and
 * misbehave at the connection level: close every connection after its response without saying so
 * (HTTP/1.0-style servers and proxies, {@link #closeEveryConnection}) or close keep-alive
 * connections idle for longer than a limit ({@link #withIdleClose}). Sweeps and agents are in
 * {@link #sweeps()}.
 */
public final class WandbStandIn implements AutoCloseable {
  /** The only key the stand-in accepts (40+ characters, like a real one). */
  public static final String KEY = "local0123456789abcdefghijklmnopqrstuvwxyzKEY";
  public static final String DEFAULT_ENTITY = "standin-user";

  /** One run as the server holds it. */
  public static final class RemoteRun {
    public final String storageId;
    public final String entity;
    public final String project;
    public final String name;
    public volatile Map<String, Object> config;
    public volatile Map<String, Object> variables;
    public final List<String> history = Collections.synchronizedList(new ArrayList<>());
    /** {@code wandb-events.jsonl}: system-metrics lines by line index. */
    public final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** Run files as the storage host received them (last PUT of each name). */
    public final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** PUTs per run file name. */
    public final Map<String, Integer> fileUploads = new ConcurrentHashMap<>();
    /** Names listed in file_stream's {@code uploaded}, in order, one entry per listing. */
    public final List<String> reportedFiles = Collections.synchronizedList(new ArrayList<>());
    /** {@code output.log}: console lines by line index (a re-sent line replaces the old one). */
    public final List<String> console = Collections.synchronizedList(new ArrayList<>());
    public volatile String summary;
    public volatile boolean complete;
    public volatile Integer exitCode;
    public volatile long lastStep = -1;
    public volatile int heartbeats;
    public volatile int upserts;
    public volatile int fileStreamRequests;
    public volatile boolean stopRequested;
    public volatile List<String> tags = List.of();
    public volatile String notes;
    public volatile String displayName;
    public volatile String group;
    public volatile double runtime;
    /** The sweep it was attached to ({@code sweep} of an upsert), or null. */
    public volatile String sweep;
    /** The variables of every upsert, in order. */
    public final List<Map<String, Object>> upsertLog = Collections.synchronizedList(new ArrayList<>());

    RemoteRun(String storageId, String entity, String project, String name) {
      this.storageId = storageId;
      this.entity = entity;
      this.project = project;
      this.name = name;
    }
  }

  /** How a queued fault answers. */
  public enum Endpoint { GRAPHQL, FILE_STREAM }

  private record Fault(Endpoint endpoint, Supplier<MockResponse> response, boolean applyFirst) {}

  private final MockWebServer server = new MockWebServer();
  /** The storage host of signed upload URLs: another loopback address, never sent the W&B key. */
  private final MockWebServer storage = new MockWebServer();
  private final Map<String, String> uploadTokens = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger failUploads = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger storageRequests = new java.util.concurrent.atomic.AtomicInteger();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, RemoteRun> runs = new ConcurrentHashMap<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Set<String> deletedRunIds = ConcurrentHashMap.newKeySet();
  private final Set<String> unknownEntities = ConcurrentHashMap.newKeySet();
  private final List<String> requestLog = Collections.synchronizedList(new ArrayList<>());
  private final StandInSweeps sweeps = new StandInSweeps(violations, this::preCreateRun);
  private volatile boolean outage;
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration storageLatency = Duration.ZERO;
  private volatile int unauthorized;
  private volatile int tooLarge;
  private volatile boolean closeEveryConnection;
  private volatile boolean neverAnswer;
  private volatile boolean resumeStatusUnsupported;
  private volatile long maxRequestBytes = Long.MAX_VALUE;
  private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
  private final Set<IdleClosingSocket> idleWatch = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ScheduledExecutorService idleWatcher;
  private int storageSeq;

  /**
   * A server-side socket that notes when bytes last went in or out, so a watcher can close it
   * after a keep-alive idle time as real servers and proxies do.
   */
  private static final class IdleClosingSocket extends java.net.Socket {
    private final long idleNanos;
    private volatile long lastActivity = System.nanoTime();

    IdleClosingSocket(long idleNanos) {
      this.idleNanos = idleNanos;
    }

    boolean closeIfIdle() {
      if (isClosed()) {
        return true;
      }
      if (System.nanoTime() - lastActivity < idleNanos) {
        return false;
      }
      try {
        // a request already arriving is not idle: a server closes only connections with nothing
        // pending (else the stand-in, not the client, would make the keep-alive race)
        if (super.getInputStream().available() > 0) {
          lastActivity = System.nanoTime();
          return false;
        }
        close();
      } catch (IOException e) {
        // closed anyway
      }
      return true;
    }

    @Override
    public java.io.InputStream getInputStream() throws IOException {
      java.io.InputStream in = super.getInputStream();
      return new java.io.FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          lastActivity = System.nanoTime();
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          lastActivity = System.nanoTime();
          return n;
        }
      };
    }

    @Override
    public java.io.OutputStream getOutputStream() throws IOException {
      java.io.OutputStream out = super.getOutputStream();
      return new java.io.FilterOutputStream(out) {
        @Override
        public void write(int b) throws IOException {
          out.write(b);
          lastActivity = System.nanoTime();
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
          out.write(buf, off, len);
          lastActivity = System.nanoTime();
        }
      };
    }
  }

  /** MockWebServer creates its server socket unbound and binds it itself: only that form exists. */
  private abstract static class UnboundServerSockets extends javax.net.ServerSocketFactory {
    @Override
    public abstract java.net.ServerSocket createServerSocket() throws IOException;

    @Override
    public java.net.ServerSocket createServerSocket(int port) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port, int backlog) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.net.ServerSocket createServerSocket(int port, int backlog,
        java.net.InetAddress address) {
      throw new UnsupportedOperationException();
    }
  }

  public WandbStandIn() throws IOException {
    this(null);
  }

  /** A stand-in that closes keep-alive connections idle for longer than {@code idleClose}. */
  public static WandbStandIn withIdleClose(Duration idleClose) throws IOException {
    return new WandbStandIn(idleClose);
  }

  private WandbStandIn(Duration idleClose) throws IOException {
    long idleNanos = idleClose == null ? 0 : idleClose.toNanos();
    server.setServerSocketFactory(new UnboundServerSockets() {
      @Override
      public java.net.ServerSocket createServerSocket() throws IOException {
        return new java.net.ServerSocket() {
          @Override
          public java.net.Socket accept() throws IOException {
            IdleClosingSocket s = new IdleClosingSocket(idleNanos);
            implAccept(s);
            connections.incrementAndGet();
            if (idleNanos > 0) {
              idleWatch.add(s);
            }
            return s;
          }
        };
      }

    });
    if (idleNanos > 0) {
      idleWatcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "standin-idle-close");
        t.setDaemon(true);
        return t;
      });
      idleWatcher.scheduleWithFixedDelay(() -> idleWatch.removeIf(IdleClosingSocket::closeIfIdle),
          50, 50, TimeUnit.MILLISECONDS);
    } else {
      idleWatcher = null;
    }
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return handle(request);
      }
    });
    server.start();
    storage.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return storagePut(request);
      }
    });
    // The storage host is 127.0.0.2, which no hosts file names: MockWebServer looks up the host
    // name of each request's local address, and on an offline machine that reverse lookup waits
    // for an unreachable DNS server (seconds per PUT). Addresses carrying their literal as host
    // name need no lookup.
    java.net.InetAddress storageAddress =
        java.net.InetAddress.getByAddress("127.0.0.2", new byte[] {127, 0, 0, 2});
    storage.setServerSocketFactory(new UnboundServerSockets() {
      @Override
      public java.net.ServerSocket createServerSocket() throws IOException {
        return new java.net.ServerSocket() {
          @Override
          public java.net.Socket accept() throws IOException {
            java.net.Socket s = new java.net.Socket() {
              @Override
              public java.net.InetAddress getLocalAddress() {
                return storageAddress;
              }
            };
            implAccept(s);
            return s;
          }
        };
      }

    });
    storage.start(storageAddress, 0);
  }

  /** The artifact side of the server (§8): versions, aliases, blobs. */
  public final ArtifactStandIn artifacts = new ArtifactStandIn(p -> storage.url(p).toString(),
      key -> runs.containsKey(key));

  private volatile long uploadStallMillis;
  private final java.util.concurrent.atomic.AtomicInteger uploadStalls = new java.util.concurrent.atomic.AtomicInteger();

  /** The next {@code n} PUTs to the storage host are answered only after {@code d}. */
  public void stallNextUploads(int n, Duration d) {
    uploadStallMillis = d.toMillis();
    uploadStalls.set(n);
  }

  /** The next {@code n} PUTs to the storage host answer 503. */
  public void failNextUploads(int n) {
    failUploads.set(n);
  }

  /** Requests the storage host received (PUTs and anything else). */
  public int storageRequests() {
    return storageRequests.get();
  }

  private MockResponse storagePut(RecordedRequest request) {
    storageRequests.incrementAndGet();
    long stall = uploadStalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? uploadStallMillis : 0;
    if (stall > 0) {
      try {
        Thread.sleep(stall); // a slow storage host: this PUT's answer comes late
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String path = request.getPath() == null ? "" : request.getPath();
    if (request.getHeader("Authorization") != null) {
      violations.add("the storage host received an Authorization header on " + path);
    }
    if (!"PUT".equals(request.getMethod())) {
      violations.add("storage host: unexpected method " + request.getMethod() + " " + path);
      return new MockResponse().setResponseCode(405);
    }
    if (path.startsWith("/artifact/")) {
      if (failUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return new MockResponse().setResponseCode(503);
      }
      return artifacts.put(request, path);
    }
    String token = uploadTokens.get(path);
    if (token == null) {
      violations.add("storage host: PUT to a URL CreateRunFiles never issued: " + path);
      return new MockResponse().setResponseCode(403);
    }
    if (!token.equals(request.getHeader("X-Upload-Token"))
        || !"application/octet-stream".equals(request.getHeader("Content-Type"))) {
      violations.add("storage host: PUT without the headers CreateRunFiles returned: " + path);
      return new MockResponse().setResponseCode(403);
    }
    if (failUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new MockResponse().setResponseCode(503);
    }
    // /upload/{entity}/{project}/{run}/{name...}?sig=...
    String[] parts = path.substring(0, path.indexOf('?')).split("/", 6);
    RemoteRun run = runs.get(parts[2] + "/" + parts[3] + "/" + parts[4]);
    String name = parts[5];
    run.files.put(name, request.getBody().readByteArray());
    run.fileUploads.merge(name, 1, Integer::sum);
    return new MockResponse().setResponseCode(200)
        .setHeadersDelay(storageLatency.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized MockResponse createRunFiles(Map<String, Object> vars) {
    String key = vars.get("entity") + "/" + vars.get("project") + "/" + vars.get("run");
    if (!runs.containsKey(key)) {
      violations.add("CreateRunFiles for a run never upserted: " + key);
      return json(200, "{\"errors\":[{\"message\":\"run not found\"}]}");
    }
    String token = java.util.UUID.randomUUID().toString();
    List<Map<String, Object>> files = new ArrayList<>();
    for (Object f : (List<?>) vars.get("files")) {
      String path = "/upload/" + key + "/" + f + "?sig=" + java.util.UUID.randomUUID();
      uploadTokens.put(path, token);
      files.add(Map.of("name", f, "uploadUrl", storage.url(path).toString()));
    }
    return json(200, Json.write(Map.of("data", Map.of("createRunFiles", Map.of("runID", key,
        "uploadHeaders", List.of("Content-Type: application/octet-stream", "X-Upload-Token: " + token),
        "files", files)))));
  }

  /** The base URL to configure the client with. */
  public String baseUrl() {
    String u = server.url("/").toString();
    return u.substring(0, u.length() - 1);
  }

  public List<String> violations() {
    List<String> all = new ArrayList<>(violations);
    all.addAll(artifacts.violations());
    return List.copyOf(all);
  }

  public int unauthorizedRequests() {
    return unauthorized;
  }

  /** Requests answered 413. */
  public int tooLargeRequests() {
    return tooLarge;
  }

  /** Requests in arrival order, as "METHOD path body". */
  public List<String> requestLog() {
    return List.copyOf(requestLog);
  }

  public RemoteRun run(String project, String name) {
    return runs.values().stream().filter(r -> r.project.equals(project) && r.name.equals(name))
        .findFirst().orElse(null);
  }

  public Map<String, RemoteRun> runs() {
    return Map.copyOf(runs);
  }

  public void outage(boolean on) {
    outage = on;
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Close every connection after its response, without a {@code Connection: close} header. */
  public void closeEveryConnection(boolean on) {
    closeEveryConnection = on;
  }

  /** Answer {@code RunResumeStatus} with a GraphQL error, as an older server might. */
  public void resumeStatusUnsupported(boolean on) {
    resumeStatusUnsupported = on;
  }

  /** Accept requests and never answer them (while on). */
  public void neverAnswer(boolean on) {
    neverAnswer = on;
  }

  /** Answer 413 to file_stream requests whose body is larger than {@code bytes} (UTF-8). */
  public void maxRequestBytes(long bytes) {
    maxRequestBytes = bytes;
  }

  /** From now on, file_stream answers for this run carry {@code "stopped": true}. */
  public void requestStop(String project, String name) {
    RemoteRun r = run(project, name);
    if (r == null) {
      throw new IllegalStateException("no run " + project + "/" + name);
    }
    r.stopRequested = true;
  }

  /** The sweeps: UpsertSweep, the Sweep query, CreateAgent and scripted agent heartbeats. */
  public StandInSweeps sweeps() {
    return sweeps;
  }

  /** A run a sweep pre-created for an agent: pending, no history, no {@code _wandb.t}. */
  private synchronized void preCreateRun(String entity, String project, String name) {
    String key = entity + "/" + project + "/" + name;
    if (!runs.containsKey(key)) {
      RemoteRun run = new RemoteRun("storage-" + (++storageSeq), entity, project, name);
      run.config = Map.of();
      runs.put(key, run);
    }
  }

  /** Changes a run's tags and notes as a person in the UI would. */
  public void editInUi(String project, String name, List<String> tags, String notes) {
    RemoteRun r = run(project, name);
    r.tags = List.copyOf(tags);
    r.notes = notes;
  }

  /**
   * Creates a run that already holds {@code lines} history lines ({@code _step} 0..lines-1, one
   * second of runtime each), as another machine, store or an earlier use of the id left it.
   */
  public synchronized RemoteRun existingRun(String project, String name, int lines) {
    RemoteRun run = new RemoteRun("storage-" + (++storageSeq), DEFAULT_ENTITY, project, name);
    for (int i = 0; i < lines; i++) {
      run.history.add(Json.write(Map.of("old", i, "_step", i, "_runtime", (double) i + 1,
          "_timestamp", 1.7e9 + i)));
    }
    run.lastStep = lines - 1;
    run.runtime = lines;
    run.summary = Json.write(Map.of("old", lines - 1, "_step", lines - 1, "_runtime", (double) lines,
        "_wandb", Map.of("runtime", lines)));
    run.config = Map.of("_wandb", Map.of("value", Map.of("t", Map.of())));
    runs.put(DEFAULT_ENTITY + "/" + project + "/" + name, run);
    return run;
  }

  public void latency(Duration d) {
    latency = d;
  }

  /** Every answer of the storage host (signed-URL PUTs) waits this long. */
  public void storageLatency(Duration d) {
    storageLatency = d;
  }

  public void deletedRunId(String id) {
    deletedRunIds.add(id);
  }

  public void unknownEntity(String entity) {
    unknownEntities.add(entity);
  }

  /** The next request to {@code endpoint} gets this status (with an optional Retry-After). */
  public synchronized void failNext(Endpoint endpoint, int status, String retryAfter) {
    faults.add(new Fault(endpoint, () -> {
      MockResponse r = new MockResponse().setResponseCode(status)
          .setBody("{\"error\":\"stand-in fault " + status + "\"}");
      if (retryAfter != null) {
        r.setHeader("Retry-After", retryAfter);
      }
      return r;
    }, false));
  }

  /** The next request to {@code endpoint} is processed, then the connection drops (lost ack). */
  public synchronized void dropAfterProcessing(Endpoint endpoint) {
    faults.add(new Fault(endpoint, () -> new MockResponse()
        .setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST), true));
  }

  /** The next request to {@code endpoint} is answered only after {@code delay} (then processed). */
  public synchronized void slowNext(Endpoint endpoint, Duration delay) {
    faults.add(new Fault(endpoint, () -> new MockResponse().setResponseCode(200)
        .setBody("{}").setHeadersDelay(delay.toMillis(), TimeUnit.MILLISECONDS), false));
  }

  private synchronized Fault nextFault(Endpoint e) {
    for (var it = faults.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.endpoint() == e) {
        it.remove();
        return f;
      }
    }
    return null;
  }

  private MockResponse handle(RecordedRequest request) {
    String body = request.getBody().readString(StandardCharsets.UTF_8);
    String path = request.getPath() == null ? "" : request.getPath();
    requestLog.add(request.getMethod() + " " + path + " " + body);
    if (neverAnswer) {
      return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
    }
    MockResponse response = dispatchChecked(request, path, body);
    if (!latency.isZero()) {
      response.setHeadersDelay(latency.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (closeEveryConnection && response.getSocketPolicy() == SocketPolicy.KEEP_OPEN) {
      response.setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
    }
    return response;
  }

  private MockResponse dispatchChecked(RecordedRequest request, String path, String body) {
    String expected = "Basic " + Base64.getEncoder()
        .encodeToString(("api:" + KEY).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(request.getHeader("Authorization"))) {
      unauthorized++;
      return json(401, "{\"error\":\"invalid api key\"}");
    }
    if (!"POST".equals(request.getMethod())) {
      violations.add("unexpected method " + request.getMethod() + " " + path);
      return json(405, "{}");
    }
    if (outage) {
      return json(503, "{\"error\":\"service unavailable\"}");
    }
    Endpoint endpoint = path.equals("/graphql") ? Endpoint.GRAPHQL
        : path.endsWith("/file_stream") ? Endpoint.FILE_STREAM : null;
    if (endpoint == null) {
      violations.add("unexpected path " + path);
      return json(404, "{}");
    }
    if (endpoint == Endpoint.FILE_STREAM
        && body.getBytes(StandardCharsets.UTF_8).length > maxRequestBytes) {
      tooLarge++;
      return json(413, "{\"error\":\"request entity too large\"}");
    }
    Fault fault = nextFault(endpoint);
    if (fault != null && !fault.applyFirst()) {
      MockResponse r = fault.response().get();
      if (r.getStatus().contains(" 200 ")) {
        // slow but successful: process, answer late
        MockResponse ok = endpoint == Endpoint.GRAPHQL ? graphql(body) : fileStream(path, body);
        return ok.setHeadersDelay(r.getHeadersDelay(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS);
      }
      return r;
    }
    MockResponse r = endpoint == Endpoint.GRAPHQL ? graphql(body) : fileStream(path, body);
    return fault != null ? fault.response().get() : r;
  }

  private static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  @SuppressWarnings("unchecked")
  private synchronized MockResponse graphql(String body) {
    JsonNode req;
    try {
      req = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      violations.add("graphql body is not JSON");
      return json(400, "{}");
    }
    if ("RunResumeStatus".equals(req.path("operationName").asText()) && resumeStatusUnsupported) {
      return json(200, "{\"errors\":[{\"message\":\"Cannot query field wandbConfig\"}]}");
    }
    if ("RunResumeStatus".equals(req.path("operationName").asText())
        && req.path("query").asText().contains("bucket(name: $name, missingOk: true)")) {
      return resumeStatus(Json.MAPPER.convertValue(req.path("variables"), Map.class));
    }
    if (ArtifactStandIn.handles(req.path("operationName").asText())) {
      return artifacts.answer(req.path("operationName").asText(),
          Json.MAPPER.convertValue(req.path("variables"), Map.class));
    }
    if ("CreateRunFiles".equals(req.path("operationName").asText())
        && req.path("query").asText().contains("createRunFiles(input:")) {
      return createRunFiles(Json.MAPPER.convertValue(req.path("variables"), Map.class));
    }
    if (sweeps.handles(req.path("operationName").asText())) {
      Object[] answer = sweeps.handle(req.path("operationName").asText(),
          req.path("query").asText(), Json.MAPPER.convertValue(req.path("variables"), Map.class));
      return json((Integer) answer[0], (String) answer[1]);
    }
    if (!"UpsertBucket".equals(req.path("operationName").asText())
        || !req.path("query").asText().contains("upsertBucket(input:")) {
      violations.add("unexpected graphql operation " + req.path("operationName"));
      return json(400, "{}");
    }
    Map<String, Object> vars = Json.MAPPER.convertValue(req.path("variables"), Map.class);
    String name = (String) vars.get("name");
    String project = (String) vars.getOrDefault("project", "uncategorized");
    String entity = (String) vars.getOrDefault("entity", DEFAULT_ENTITY);
    if (name == null) {
      violations.add("upsert without run name");
      return json(400, "{}");
    }
    if (unknownEntities.contains(entity)) {
      return json(404, "{\"errors\":[{\"message\":\"entity " + entity + " not found\"}]}");
    }
    if (deletedRunIds.contains(name)) {
      return json(409, "{\"errors\":[{\"message\":\"run " + name
          + " was previously created and deleted; try a new run id\"}]}");
    }
    Object config = vars.get("config");
    Map<String, Object> parsedConfig = null;
    boolean known = runs.containsKey(entity + "/" + project + "/" + name);
    if (config == null && known) {
      // an update may leave the config out: it is unchanged
    } else if (!(config instanceof String s)) {
      violations.add("config is not JSON text: " + config);
    } else {
      parsedConfig = Json.readMap(s);
      for (Map.Entry<String, Object> e : parsedConfig.entrySet()) {
        if (!(e.getValue() instanceof Map<?, ?> m) || !m.containsKey("value")) {
          violations.add("config key " + e.getKey() + " is not wrapped as {\"value\": v}");
        }
      }
      Object w = parsedConfig.get("_wandb");
      if (!(w instanceof Map<?, ?> wm) || !(wm.get("value") instanceof Map<?, ?> wv) || !wv.containsKey("t")) {
        violations.add("config lacks _wandb.value.t");
      } else {
        Object start = wv.get("start_time");
        // the official client sends Unix seconds; milliseconds would be the year 50000+
        if (start != null && (!(start instanceof Number n) || n.doubleValue() > 1e11)) {
          violations.add("_wandb.start_time is not Unix seconds: " + start);
        }
        Object env = wv.get("e");
        if (env != null) {
          if (!(env instanceof Map<?, ?> em) || em.isEmpty()) {
            violations.add("_wandb.e is not a map keyed by writer id: " + env);
          } else {
            for (Object rec : em.values()) {
              if (!(rec instanceof Map<?, ?> rm) || !rm.containsKey("os") || !rm.containsKey("startedAt")) {
                violations.add("_wandb.e record lacks os/startedAt: " + rec);
              }
            }
          }
        }
      }
    }
    String key = entity + "/" + project + "/" + name;
    RemoteRun run = runs.get(key);
    boolean inserted = run == null;
    if (run == null) {
      if (vars.get("id") != null) {
        violations.add("upsert of a new run carries a storage id " + vars.get("id"));
      }
      run = new RemoteRun("storage-" + (++storageSeq), entity, project, name);
      runs.put(key, run);
    } else if (vars.get("id") != null && !run.storageId.equals(vars.get("id"))) {
      violations.add("upsert storage id " + vars.get("id") + " does not match " + run.storageId);
    }
    if (run.complete) {
      violations.add("upsert after complete for run " + name);
    }
    run.upserts++;
    if (parsedConfig != null) {
      run.config = parsedConfig; // a field left out of an upsert is unchanged on a real server
    }
    if (vars.containsKey("tags")) {
      run.tags = ((List<?>) vars.get("tags")).stream().map(String::valueOf).toList();
    }
    if (vars.containsKey("notes")) {
      run.notes = (String) vars.get("notes");
    }
    if (vars.containsKey("displayName")) {
      run.displayName = (String) vars.get("displayName");
    }
    if (vars.containsKey("groupName")) {
      run.group = (String) vars.get("groupName");
    }
    if (vars.get("sweep") != null) {
      sweeps.attach(entity, project, name, vars.get("sweep"));
      run.sweep = (String) vars.get("sweep");
    }
    run.upsertLog.add(vars);
    run.variables = vars;
    Map<String, Object> bucket = new LinkedHashMap<>();
    bucket.put("id", run.storageId);
    bucket.put("name", name);
    bucket.put("displayName", run.displayName != null ? run.displayName : "stand-in-run-1");
    bucket.put("description", null);
    bucket.put("config", config);
    bucket.put("sweepName", run.sweep);
    bucket.put("project", Map.of("id", "p-" + project, "name", project,
        "entity", Map.of("id", "e-" + entity, "name", entity)));
    bucket.put("historyLineCount", run.history.size());
    return json(200, Json.write(Map.of("data", Map.of("upsertBucket",
        Map.of("bucket", bucket, "inserted", inserted)))));
  }

  private synchronized MockResponse resumeStatus(Map<String, Object> vars) {
    String project = (String) vars.getOrDefault("project", "uncategorized");
    String entity = (String) vars.getOrDefault("entity", DEFAULT_ENTITY);
    if (unknownEntities.contains(entity)) {
      return json(404, "{\"errors\":[{\"message\":\"entity " + entity + " not found\"}]}");
    }
    RemoteRun run = runs.get(entity + "/" + project + "/" + vars.get("name"));
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("id", "p-" + project);
    model.put("name", project);
    model.put("entity", Map.of("id", "e-" + entity, "name", entity));
    if (run == null) {
      model.put("bucket", null);
    } else {
      Map<String, Object> bucket = new LinkedHashMap<>();
      bucket.put("id", run.storageId);
      bucket.put("name", run.name);
      bucket.put("historyLineCount", run.history.size());
      bucket.put("eventsLineCount", run.events.size());
      bucket.put("logLineCount", run.console.size());
      int n = run.history.size();
      bucket.put("historyTail", Json.write(List.copyOf(run.history.subList(Math.max(0, n - 10), n))));
      bucket.put("summaryMetrics", run.summary == null ? "{}" : run.summary);
      Map<String, Object> wandbConfig = new LinkedHashMap<>();
      if (run.config != null && run.config.get("_wandb") instanceof Map<?, ?> w
          && w.get("value") instanceof Map<?, ?> wv && wv.containsKey("t")) {
        wandbConfig.put("t", wv.get("t"));
      }
      bucket.put("wandbConfig", Json.write(wandbConfig));
      bucket.put("tags", run.tags);
      bucket.put("notes", run.notes);
      model.put("bucket", bucket);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("model", model);
    return json(200, Json.write(Map.of("data", data)));
  }

  private synchronized MockResponse fileStream(String path, String body) {
    String[] parts = path.split("/");
    // /files/{entity}/{project}/{run}/file_stream
    if (parts.length != 6 || !"files".equals(parts[1])) {
      violations.add("bad file_stream path " + path);
      return json(404, "{}");
    }
    RemoteRun run = runs.get(parts[2] + "/" + parts[3] + "/" + parts[4]);
    if (run == null) {
      violations.add("file_stream for a run never upserted: " + path);
      return json(404, "{\"error\":\"run not found\"}");
    }
    run.fileStreamRequests++;
    Map<String, Object> req;
    try {
      req = Json.readMap(body);
    } catch (RuntimeException e) {
      violations.add("file_stream body is not JSON: " + body);
      return json(400, "{}");
    }
    if (run.complete) {
      violations.add("request after complete for run " + run.name + ": " + body);
    }
    String answer = run.stopRequested ? "{\"exitcode\":null,\"limits\":{},\"stopped\":true}"
        : "{\"exitcode\":null,\"limits\":{}}";
    if (req.isEmpty()) {
      run.heartbeats++;
      return json(200, answer);
    }
    if (req.get("files") instanceof Map<?, ?> files) {
      if (files.get("wandb-history.jsonl") instanceof Map<?, ?> h) {
        long offset = ((Number) h.get("offset")).longValue();
        List<?> content = (List<?>) h.get("content");
        if (offset > run.history.size()) {
          violations.add("history gap: offset " + offset + " but server has " + run.history.size());
          return json(400, "{\"error\":\"gap\"}");
        }
        for (int i = 0; i < content.size(); i++) {
          String line = (String) content.get(i);
          long idx = offset + i;
          if (idx < run.history.size()) {
            if (!run.history.get((int) idx).equals(line)) {
              violations.add("history line " + idx + " overwritten with different content");
            }
            continue;
          }
          Map<String, Object> parsed = Json.readMap(line);
          for (String k : List.of("_step", "_runtime", "_timestamp")) {
            if (!parsed.containsKey(k)) {
              violations.add("history line " + idx + " lacks " + k);
            }
          }
          long step = ((Number) parsed.getOrDefault("_step", -1L)).longValue();
          if (step <= run.lastStep) {
            violations.add("_step " + step + " not increasing (last " + run.lastStep + ")");
          }
          run.lastStep = step;
          run.history.add(line);
        }
      }
      for (Object name : files.keySet()) {
        if (!List.of("wandb-history.jsonl", "wandb-summary.json", "wandb-events.jsonl", "output.log")
            .contains(name)) {
          violations.add("unknown file_stream file " + name);
        }
      }
      if (files.get("wandb-events.jsonl") instanceof Map<?, ?> ev) {
        if (!appendLines("wandb-events.jsonl", ev, run.events, false, WandbStandIn::checkEventLine)) {
          return json(400, "{\"error\":\"gap\"}");
        }
      }
      if (files.get("output.log") instanceof Map<?, ?> out) {
        if (!appendLines("output.log", out, run.console, true, WandbStandIn::checkConsoleLine)) {
          return json(400, "{\"error\":\"gap\"}");
        }
      }
      if (files.get("wandb-summary.json") instanceof Map<?, ?> s) {
        List<?> content = (List<?>) s.get("content");
        if (((Number) s.get("offset")).longValue() != 0 || content.size() != 1) {
          violations.add("summary must be one line at offset 0: " + s);
        } else {
          Json.readMap((String) content.get(0));
          run.summary = (String) content.get(0);
        }
      }
    }
    if (req.get("uploaded") instanceof List<?> uploaded) {
      for (Object name : uploaded) {
        if (!run.files.containsKey(String.valueOf(name))) {
          violations.add("file_stream lists " + name + " as uploaded before its PUT arrived");
        }
        run.reportedFiles.add(String.valueOf(name));
      }
    }
    if (Boolean.TRUE.equals(req.get("complete"))) {
      if (!(req.get("exitcode") instanceof Number n)) {
        violations.add("complete without exitcode");
      } else {
        run.exitCode = n.intValue();
      }
      run.complete = true;
    } else if (req.containsKey("exitcode")) {
      violations.add("exitcode without complete");
    }
    return json(200, answer);
  }

  /**
   * Stores {@code content} at {@code offset} of a line file as the server does: a gap is refused,
   * a re-sent line overwrites (for {@code output.log} it may change: progress bars; elsewhere it
   * must be identical). Returns false for a gap.
   */
  private boolean appendLines(String file, Map<?, ?> chunk, List<String> target, boolean mayChange,
      java.util.function.Function<String, String> check) {
    if (!(chunk.get("offset") instanceof Number o) || !(chunk.get("content") instanceof List<?> content)) {
      violations.add(file + " chunk without offset/content: " + chunk);
      return true;
    }
    long offset = o.longValue();
    if (offset > target.size()) {
      violations.add(file + " gap: offset " + offset + " but server has " + target.size());
      return false;
    }
    for (int i = 0; i < content.size(); i++) {
      String line = String.valueOf(content.get(i));
      String problem = check.apply(line);
      if (problem != null) {
        violations.add(file + " line " + (offset + i) + " " + problem + ": " + line);
      }
      int idx = (int) (offset + i);
      if (idx < target.size()) {
        if (!mayChange && !target.get(idx).equals(line)) {
          violations.add(file + " line " + idx + " overwritten with different content");
        }
        target.set(idx, line);
      } else {
        target.add(line);
      }
    }
    return true;
  }

  /** What is wrong with a system-metrics line (W&amp;B's {@code updatestats.go} shape), or null. */
  private static String checkEventLine(String line) {
    Map<String, Object> m;
    try {
      m = Json.readMap(line);
    } catch (RuntimeException e) {
      return "is not a JSON object";
    }
    if (!Boolean.TRUE.equals(m.get("_wandb"))) {
      return "lacks \"_wandb\": true";
    }
    if (!(m.get("_timestamp") instanceof Number t) || t.doubleValue() < 1e9 || t.doubleValue() > 1e11) {
      return "lacks _timestamp in Unix seconds";
    }
    if (!(m.get("_runtime") instanceof Number r) || r.doubleValue() < 0) {
      return "lacks a non-negative _runtime";
    }
    boolean any = false;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (e.getKey().startsWith("_")) {
        continue;
      }
      if (!e.getKey().startsWith("system.")) {
        return "has a key outside system.*: " + e.getKey();
      }
      if (!(e.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        return "has a non-numeric value for " + e.getKey();
      }
      any = true;
    }
    return any ? null : "has no system.* metric";
  }

  private static final java.util.regex.Pattern CONSOLE_LINE =
      java.util.regex.Pattern.compile("(ERROR )?\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6} .*");

  /** What is wrong with an {@code output.log} line (legacy format, §3.2), or null. */
  private static String checkConsoleLine(String line) {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      return "holds a line break";
    }
    return CONSOLE_LINE.matcher(line).matches() ? null
        : "is not '[ERROR ]YYYY-MM-DDTHH:MM:SS.ffffff text'";
  }

  @Override
  public void close() throws IOException {
    if (idleWatcher != null) {
      idleWatcher.shutdownNow();
    }
    server.shutdown();
    storage.shutdown();
  }
}
