package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mnistlab.tracking.testing.WandbStandIn;
import dev.mnistlab.tracking.testing.WandbStandIn.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The API key never appears in logs, exceptions, toString(), status messages or the store. */
class SecretKeyTest {
  @TempDir Path dir;
  WandbStandIn wandb;
  ListAppender<ILoggingEvent> logs;
  Logger root;
  Level previous;

  @BeforeEach
  void setUp() throws Exception {
    wandb = new WandbStandIn();
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    previous = root.getLevel();
    root.setLevel(Level.DEBUG);
    logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void tearDown() throws Exception {
    root.detachAppender(logs);
    root.setLevel(previous);
    wandb.close();
  }

  static String stackTrace(Throwable t) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintWriter w = new PrintWriter(out, true, StandardCharsets.UTF_8)) {
      t.printStackTrace(w);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  void assertNowhere(String key, List<String> texts) throws Exception {
    String basic = Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
    List<String> all = new ArrayList<>(texts);
    for (ILoggingEvent e : logs.list) {
      all.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        all.add(e.getThrowableProxy().getMessage());
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(logs.list).isNotEmpty();
    for (String text : all) {
      assertThat(text).doesNotContain(key).doesNotContain(basic);
    }
  }

  @Test
  void rejectedKeyIsNotInTheErrorLogsOrStore() throws Exception {
    String wrongKey = "wrongSecret0123456789abcdefghijklmnopqrstuv";
    List<String> texts = new ArrayList<>();
    try (LocalStore store = LocalStore.open(dir.resolve("runs.db"));
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false)
            .wandb(WandbSettings.builder().apiKey(wrongKey).baseUrl(wandb.baseUrl()).build()).build()) {
      Throwable t = catchThrowable(() -> tracker.start(RunSpec.builder().project("p").build()));
      assertThat(t).isInstanceOf(TrackingException.class);
      texts.add(stackTrace(t));
      texts.add(tracker.toString());
      texts.add(tracker.wandb().orElseThrow().toString());
      for (RunRecord r : store.runs(RunQuery.all())) {
        texts.add(r.toString() + r.error().orElse(""));
      }
    }
    assertNowhere(wrongKey, texts);
  }

  @Test
  void keyOfARunThroughFaultsOutageAndSyncIsNowhere() throws Exception {
    List<String> texts = new ArrayList<>();
    WandbSettings settings = WandbSettings.builder().apiKey(WandbStandIn.KEY).baseUrl(wandb.baseUrl())
        .transmitInterval(Duration.ofMillis(20)).retryWaits(Duration.ofMillis(5), Duration.ofMillis(20)).build();
    wandb.failNext(Endpoint.FILE_STREAM, 500, null);
    wandb.failNext(Endpoint.FILE_STREAM, 429, "0");
    try (LocalStore store = LocalStore.open(dir.resolve("runs.db"));
        Tracker tracker = Tracker.builder().store(store).shutdownHook(false).wandb(settings).build()) {
      Run run = tracker.start(RunSpec.builder().project("p").build());
      run.log(Map.of("loss", 1.0));
      Thread.sleep(100);
      wandb.outage(true);
      run.log(Map.of("loss", 0.5));
      UploadStatus st = run.close(Duration.ofMillis(300));
      texts.add(st.describe());
      wandb.outage(false);
      SyncReport report = Syncer.builder().store(store).wandb(settings).build().syncAll(Duration.ofSeconds(10));
      assertThat(report.allComplete()).isTrue();
      texts.add(report.describe());
      texts.add(run.toString());
      texts.add(settings.toString());
      texts.add(store.provenance(run.id()).orElseThrow().toString());
    }
    assertNowhere(WandbStandIn.KEY, texts);
  }
}
