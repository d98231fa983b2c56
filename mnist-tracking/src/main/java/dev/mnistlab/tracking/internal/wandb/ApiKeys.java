package dev.mnistlab.tracking.internal.wandb;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resolves the W&amp;B API key as the official client does: code, {@code WANDB_API_KEY}, netrc. */
public final class ApiKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

  /** A key and where it came from ({@code key} may be null: none found). */
  public record Resolved(String key, String source) {
    @Override
    public String toString() {
      return "ApiKey{source=" + source + "}";
    }
  }

  private ApiKeys() {}

  /** Resolves the key for the given base URL. */
  public static Resolved resolve(String explicit, Map<String, String> env, boolean readNetrc, URI baseUrl) {
    if (explicit != null && !explicit.isBlank()) {
      return new Resolved(explicit.strip(), "code");
    }
    String fromEnv = env.get("WANDB_API_KEY");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Resolved(fromEnv.strip(), "WANDB_API_KEY");
    }
    if (readNetrc) {
      Path file = netrcFile(env);
      if (file != null && Files.isRegularFile(file)) {
        try {
          Optional<String> key = Netrc.parse(Files.readString(file)).password(netloc(baseUrl));
          if (key.isPresent()) {
            return new Resolved(key.get(), "netrc " + file);
          }
        } catch (IOException | RuntimeException e) {
          LOG.warn("cannot read netrc file {}: {}", file, e.getClass().getSimpleName());
        }
      }
    }
    return new Resolved(null, "none");
  }

  /** {@code $NETRC}, else {@code $HOME/.netrc} (HOME from the environment, else user.home). */
  static Path netrcFile(Map<String, String> env) {
    String netrc = env.get("NETRC");
    if (netrc != null && !netrc.isBlank()) {
      return Path.of(netrc);
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return home == null ? null : Path.of(home, ".netrc");
  }

  /** {@code host} or {@code host:port} when the URL names a port (the netrc machine name). */
  static String netloc(URI url) {
    return url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }
}
