package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.tracking.internal.wandb.AuthInterceptor;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Basic auth header goes only to URLs under the W&B base URL. */
class AuthHeaderScopeTest {
  MockWebServer wandb;
  MockWebServer storage;
  OkHttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    wandb = new MockWebServer();
    storage = new MockWebServer();
    wandb.start();
    storage.start();
    client = new OkHttpClient.Builder()
        .addNetworkInterceptor(new AuthInterceptor(wandb.url("/api"), "k")).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    wandb.shutdown();
    storage.shutdown();
  }

  RecordedRequest get(MockWebServer server, HttpUrl url) throws Exception {
    server.enqueue(new MockResponse().setBody("ok"));
    client.newCall(new Request.Builder().url(url).build()).execute().close();
    return server.takeRequest();
  }

  @Test
  void sendsBasicAuthWithUserApiUnderTheBaseUrl() throws Exception {
    RecordedRequest r = get(wandb, wandb.url("/api/graphql"));
    assertThat(r.getHeader("Authorization")).isEqualTo("Basic YXBpOms="); // base64("api:k")
  }

  @Test
  void omitsItForOtherHostsPortsAndPathsOutsideTheBase() throws Exception {
    assertThat(get(storage, storage.url("/api/graphql")).getHeader("Authorization")).isNull();
    assertThat(get(wandb, wandb.url("/apix/graphql")).getHeader("Authorization")).isNull();
    assertThat(get(wandb, wandb.url("/other")).getHeader("Authorization")).isNull();
  }

  @Test
  void omitsItWhenARedirectLeavesTheBaseUrl() throws Exception {
    wandb.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", storage.url("/signed-upload")));
    storage.enqueue(new MockResponse().setBody("stored"));
    client.newCall(new Request.Builder().url(wandb.url("/api/files")).build()).execute().close();
    assertThat(wandb.takeRequest().getHeader("Authorization")).isNotNull();
    assertThat(storage.takeRequest().getHeader("Authorization")).isNull();
  }
}
