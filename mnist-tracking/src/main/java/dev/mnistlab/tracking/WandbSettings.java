package dev.mnistlab.tracking;

import dev.mnistlab.tracking.internal.wandb.ApiKeys;
import dev.mnistlab.tracking.internal.wandb.AppUrls;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Weights &amp; Biases: API key, base URL, entity, mode, and the upload cadence and
 * retry budget. Immutable; build with {@link #builder()}, or read the standard {@code WANDB_*}
 * environment variables with {@link #fromEnvironment(Map)}.
 *
 * <p>The API key comes from, in order: {@link Builder#apiKey(String)}, {@code WANDB_API_KEY}, the
 * netrc file ({@code $NETRC}, else {@code ~/.netrc}) entry for the base URL's host[:port]. It is
 * never part of {@link #toString()}, logs or exception messages.
 */
public final class WandbSettings {
  /** The official client's private setting {@code x_file_stream_transmit_interval}, in seconds. */
  static final String TRANSMIT_INTERVAL_VARIABLE = "WANDB__FILE_STREAM_TRANSMIT_INTERVAL";

  /** The public W&amp;B API server. */
  public static final String DEFAULT_BASE_URL = "https://api.wandb.ai";

  private final String apiKey;
  private final String apiKeySource;
  private final String baseUrl;
  private final String appUrl;
  private final String entity;
  private final WandbMode mode;
  private final Duration transmitInterval;
  private final Duration heartbeatInterval;
  private final Duration minRetryWait;
  private final Duration maxRetryWait;
  private final int fileStreamMaxRetries;
  private final int graphqlMaxRetries;
  private final Duration startTimeout;
  private final Duration closeTimeout;
  private final Duration httpTimeout;

  private WandbSettings(Builder b, String apiKey, String apiKeySource) {
    this.apiKey = apiKey;
    this.apiKeySource = apiKeySource;
    this.baseUrl = b.baseUrl;
    this.appUrl = b.appUrl != null ? b.appUrl : AppUrls.fromBaseUrl(b.baseUrl);
    this.entity = b.entity;
    this.mode = b.mode;
    this.transmitInterval = b.transmitInterval;
    this.heartbeatInterval = b.heartbeatInterval;
    this.minRetryWait = b.minRetryWait;
    this.maxRetryWait = b.maxRetryWait;
    this.fileStreamMaxRetries = b.fileStreamMaxRetries;
    this.graphqlMaxRetries = b.graphqlMaxRetries;
    this.startTimeout = b.startTimeout;
    this.closeTimeout = b.closeTimeout;
    this.httpTimeout = b.httpTimeout;
  }

  /** A builder with W&amp;B's defaults and no environment. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings from {@code WANDB_API_KEY}, {@code WANDB_BASE_URL}, {@code WANDB_APP_URL},
   * {@code WANDB_ENTITY}, {@code WANDB_MODE} and the netrc file ({@code NETRC}, {@code HOME}).
   *
   * @param env the environment, e.g. {@code System.getenv()} (injectable for tests)
   * @throws IllegalArgumentException if {@code WANDB_MODE} or {@code WANDB_BASE_URL} is invalid
   */
  public static WandbSettings fromEnvironment(Map<String, String> env) {
    return builder().environment(env).build();
  }

  /** The API key, if one was found. Callers must never print it. */
  public Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /** Where the key came from: {@code code}, {@code WANDB_API_KEY}, {@code netrc FILE}, or {@code none}. */
  public String apiKeySource() {
    return apiKeySource;
  }

  /** The API base URL, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The web app URL used for run links (e.g. {@code https://wandb.ai}). */
  public String appUrl() {
    return appUrl;
  }

  /** The entity (user or team), if set; otherwise the key's default entity is used. */
  public Optional<String> entity() {
    return Optional.ofNullable(entity);
  }

  /** The mode. */
  public WandbMode mode() {
    return mode;
  }

  /** True when runs should be streamed now: mode online and a key is present. */
  public boolean streaming() {
    return mode == WandbMode.ONLINE && apiKey != null;
  }

  /** At most one file_stream data request per interval (W&amp;B's default: 15 s). */
  public Duration transmitInterval() {
    return transmitInterval;
  }

  /** An empty heartbeat request after this long without a request (W&amp;B: 30 s). */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** First retry wait (W&amp;B: 2 s); doubles per attempt with 0-25 % jitter. */
  public Duration minRetryWait() {
    return minRetryWait;
  }

  /** Longest retry wait (W&amp;B: 60 s), unless the server's {@code Retry-After} asks for more. */
  public Duration maxRetryWait() {
    return maxRetryWait;
  }

  /** Retries of one file_stream request (W&amp;B: 10085, about 7 days). */
  public int fileStreamMaxRetries() {
    return fileStreamMaxRetries;
  }

  /** Retries of one GraphQL request (W&amp;B: 20). */
  public int graphqlMaxRetries() {
    return graphqlMaxRetries;
  }

  /**
   * How long starting a run may wait for W&amp;B to create it. After that the run goes on locally
   * and its creation is retried in the background; definite refusals (bad key, unknown entity or
   * project, a deleted run's id) fail at once.
   */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** Default bound of {@link Run#close()} for the final upload. */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** Per-request HTTP read timeout. */
  public Duration httpTimeout() {
    return httpTimeout;
  }

  @Override
  public String toString() {
    return "WandbSettings{baseUrl=" + baseUrl + ", entity=" + entity + ", mode=" + mode
        + ", apiKey=" + (apiKey == null ? "none" : "<from " + apiKeySource + ">")
        + ", transmitInterval=" + transmitInterval + "}";
  }

  /** Builder for {@link WandbSettings}. */
  public static final class Builder {
    private String apiKey;
    private Map<String, String> env = Map.of();
    private boolean readNetrc;
    private String baseUrl = DEFAULT_BASE_URL;
    private boolean baseUrlSet;
    private boolean modeSet;
    private boolean transmitIntervalSet;
    private String appUrl;
    private String entity;
    private WandbMode mode = WandbMode.ONLINE;
    private Duration transmitInterval = Duration.ofSeconds(15);
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration minRetryWait = Duration.ofSeconds(2);
    private Duration maxRetryWait = Duration.ofSeconds(60);
    private int fileStreamMaxRetries = 10085;
    private int graphqlMaxRetries = 20;
    private Duration startTimeout = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(60);
    private Duration httpTimeout = Duration.ofSeconds(180);

    private Builder() {}

    /**
     * Reads {@code WANDB_*} variables and enables the netrc lookup ({@code NETRC}, {@code HOME}).
     * Values set on the builder before or after this call take precedence.
     */
    public Builder environment(Map<String, String> env) {
      this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
      this.readNetrc = true;
      return this;
    }

    /** The API key (takes precedence over the environment and netrc). */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** The API base URL (e.g. a self-hosted server); default {@value WandbSettings#DEFAULT_BASE_URL}. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = normaliseUrl(baseUrl, "base URL");
      this.baseUrlSet = true;
      return this;
    }

    /** The web app URL for run links (default: derived from the base URL as W&amp;B does). */
    public Builder appUrl(String appUrl) {
      this.appUrl = normaliseUrl(appUrl, "app URL");
      return this;
    }

    /** The entity (user or team). */
    public Builder entity(String entity) {
      this.entity = entity;
      return this;
    }

    /** The mode. */
    public Builder mode(WandbMode mode) {
      this.mode = Objects.requireNonNull(mode);
      this.modeSet = true;
      return this;
    }

    /**
     * Minimum time between file_stream data requests (default 15 s; the environment's
     * {@code WANDB__FILE_STREAM_TRANSMIT_INTERVAL}, in seconds, the official client's private
     * {@code x_file_stream_transmit_interval}, applies when this is not called).
     */
    public Builder transmitInterval(Duration d) {
      this.transmitInterval = positiveOrZero(d, "transmitInterval");
      this.transmitIntervalSet = true;
      return this;
    }

    /** Idle time before a heartbeat (default 30 s). */
    public Builder heartbeatInterval(Duration d) {
      this.heartbeatInterval = positiveOrZero(d, "heartbeatInterval");
      return this;
    }

    /** Retry waits: first and longest (defaults 2 s and 60 s). */
    public Builder retryWaits(Duration min, Duration max) {
      this.minRetryWait = positiveOrZero(min, "min retry wait");
      this.maxRetryWait = positiveOrZero(max, "max retry wait");
      return this;
    }

    /** Retry budgets: per file_stream request and per GraphQL request (defaults 10085 and 20). */
    public Builder maxRetries(int fileStream, int graphql) {
      this.fileStreamMaxRetries = fileStream;
      this.graphqlMaxRetries = graphql;
      return this;
    }

    /** Bound on waiting for run creation at start (default 30 s). */
    public Builder startTimeout(Duration d) {
      this.startTimeout = positiveOrZero(d, "startTimeout");
      return this;
    }

    /** Default bound of the final upload in {@link Run#close()} (default 60 s). */
    public Builder closeTimeout(Duration d) {
      this.closeTimeout = positiveOrZero(d, "closeTimeout");
      return this;
    }

    /** HTTP read timeout per request (default 180 s, as W&amp;B's file_stream). */
    public Builder httpTimeout(Duration d) {
      this.httpTimeout = positiveOrZero(d, "httpTimeout");
      return this;
    }

    /** Builds the settings, resolving the API key. */
    public WandbSettings build() {
      if (!baseUrlSet && nonBlank(env.get("WANDB_BASE_URL"))) {
        baseUrl = normaliseUrl(env.get("WANDB_BASE_URL"), "base URL (WANDB_BASE_URL)");
      }
      if (appUrl == null && nonBlank(env.get("WANDB_APP_URL"))) {
        appUrl(env.get("WANDB_APP_URL"));
      }
      if (entity == null && nonBlank(env.get("WANDB_ENTITY"))) {
        entity = env.get("WANDB_ENTITY").strip();
      }
      if (!modeSet && nonBlank(env.get("WANDB_MODE"))) {
        mode = WandbMode.parse(env.get("WANDB_MODE"));
      }
      if (!transmitIntervalSet && nonBlank(env.get(TRANSMIT_INTERVAL_VARIABLE))) {
        transmitInterval = seconds(env.get(TRANSMIT_INTERVAL_VARIABLE), TRANSMIT_INTERVAL_VARIABLE);
      }
      ApiKeys.Resolved key = ApiKeys.resolve(apiKey, env, readNetrc, URI.create(baseUrl));
      return new WandbSettings(this, key.key(), key.source());
    }

    private static boolean nonBlank(String s) {
      return s != null && !s.isBlank();
    }

    private static Duration seconds(String value, String variable) {
      try {
        double v = Double.parseDouble(value.strip());
        if (v >= 0 && v <= 86_400) {
          return Duration.ofNanos((long) (v * 1e9));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(variable + " must be a number of seconds between 0 and"
          + " 86400, was '" + value + "'");
    }

    private static String normaliseUrl(String url, String what) {
      Objects.requireNonNull(url, what);
      String u = url.strip();
      while (u.endsWith("/")) {
        u = u.substring(0, u.length() - 1);
      }
      URI uri;
      try {
        uri = URI.create(u);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid W&B " + what + " '" + url + "'", e);
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("invalid W&B " + what + " '" + url
            + "': expected http(s)://host[:port][/path]");
      }
      return u;
    }

    private static Duration positiveOrZero(Duration d, String what) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be >= 0, was " + d);
      }
      return d;
    }
  }
}
