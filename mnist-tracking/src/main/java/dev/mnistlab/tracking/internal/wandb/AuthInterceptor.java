package dev.mnistlab.tracking.internal.wandb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds {@code Authorization: Basic base64("api:" + key)} to requests under the base URL only (same
 * scheme, host and port, path below the base path), as W&amp;B's {@code LimitTo(baseURL)} does; any
 * other URL (signed storage URLs, a redirect elsewhere) goes without it. Installed as a network
 * interceptor so every hop is checked.
 */
public final class AuthInterceptor implements Interceptor {
  private final HttpUrl base;
  private final String header;

  /** Creates the interceptor; the key is kept only inside the encoded header value. */
  public AuthInterceptor(HttpUrl base, String apiKey) {
    this.base = base;
    this.header = "Basic " + Base64.getEncoder()
        .encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  /** True if {@code url} is under the base URL. */
  boolean isUnderBase(HttpUrl url) {
    if (!url.scheme().equals(base.scheme()) || !url.host().equalsIgnoreCase(base.host())
        || url.port() != base.port()) {
      return false;
    }
    String basePath = base.encodedPath();
    if (basePath.endsWith("/")) {
      basePath = basePath.substring(0, basePath.length() - 1);
    }
    String path = url.encodedPath();
    return basePath.isEmpty() || path.equals(basePath) || path.startsWith(basePath + "/");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (isUnderBase(request.url())) {
      request = request.newBuilder().header("Authorization", header).build();
    } else if (request.header("Authorization") != null) {
      request = request.newBuilder().removeHeader("Authorization").build();
    }
    return chain.proceed(request);
  }

  @Override
  public String toString() {
    return "AuthInterceptor{base=" + base + "}";
  }
}
