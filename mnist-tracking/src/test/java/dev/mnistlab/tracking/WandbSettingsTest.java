package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WandbSettingsTest {
  @TempDir Path dir;

  Path netrc(String text) throws Exception {
    Path f = dir.resolve("netrc");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void apiKeyComesFromCodeThenEnvironmentThenNetrc() throws Exception {
    Path f = netrc("machine api.wandb.ai login user password netrc-key\n");
    Map<String, String> env = new HashMap<>(Map.of("NETRC", f.toString()));
    assertThat(WandbSettings.fromEnvironment(env).apiKey()).contains("netrc-key");
    assertThat(WandbSettings.fromEnvironment(env).apiKeySource()).startsWith("netrc");
    env.put("WANDB_API_KEY", "env-key");
    assertThat(WandbSettings.fromEnvironment(env).apiKey()).contains("env-key");
    assertThat(WandbSettings.builder().environment(env).apiKey("code-key").build().apiKey()).contains("code-key");
    assertThat(WandbSettings.fromEnvironment(Map.of("HOME", dir.toString())).apiKey()).isEmpty();
  }

  @Test
  void netrcEntryIsChosenByTheBaseUrlsHostAndPort() throws Exception {
    Path f = netrc("# comment\nmachine api.wandb.ai login user password cloud-key\n"
        + "machine 127.0.0.1:8080\n  login user\n  password local-key\n"
        + "macdef init\ncd /tmp\n\ndefault login x password default-key\n");
    assertThat(WandbSettings.fromEnvironment(Map.of("NETRC", f.toString(),
        "WANDB_BASE_URL", "http://127.0.0.1:8080")).apiKey()).contains("local-key");
    assertThat(WandbSettings.fromEnvironment(Map.of("NETRC", f.toString())).apiKey()).contains("cloud-key");
    assertThat(WandbSettings.fromEnvironment(Map.of("NETRC", f.toString(),
        "WANDB_BASE_URL", "https://wandb.example.com")).apiKey()).contains("default-key");
  }

  @Test
  void netrcInTheHomeFolderIsUsedWhenNetrcIsUnset() throws Exception {
    Files.writeString(dir.resolve(".netrc"), "machine api.wandb.ai login user password home-key");
    assertThat(WandbSettings.fromEnvironment(Map.of("HOME", dir.toString())).apiKey()).contains("home-key");
  }

  @Test
  void honoursBaseUrlEntityAndMode() {
    WandbSettings s = WandbSettings.fromEnvironment(Map.of("WANDB_API_KEY", "k",
        "WANDB_BASE_URL", "https://api.example.com/", "WANDB_ENTITY", "team", "WANDB_MODE", "dryrun"));
    assertThat(s.baseUrl()).isEqualTo("https://api.example.com");
    assertThat(s.appUrl()).isEqualTo("https://app.example.com");
    assertThat(s.entity()).contains("team");
    assertThat(s.mode()).isEqualTo(WandbMode.OFFLINE);
    assertThat(s.streaming()).isFalse();
    assertThat(WandbSettings.fromEnvironment(Map.of("WANDB_MODE", "disabled")).mode()).isEqualTo(WandbMode.DISABLED);
    assertThat(WandbSettings.fromEnvironment(Map.of("WANDB_API_KEY", "k")).streaming()).isTrue();
  }

  @Test
  void valuesSetInCodeWinOverTheEnvironment() {
    Map<String, String> env = Map.of("WANDB_MODE", "offline", "WANDB_BASE_URL", "https://api.example.com",
        "WANDB_ENTITY", "env-team");
    WandbSettings s = WandbSettings.builder().mode(WandbMode.ONLINE).baseUrl(WandbSettings.DEFAULT_BASE_URL)
        .entity("code-team").environment(env).build();
    assertThat(s.mode()).isEqualTo(WandbMode.ONLINE);
    assertThat(s.baseUrl()).isEqualTo(WandbSettings.DEFAULT_BASE_URL);
    assertThat(s.entity()).contains("code-team");
  }

  @Test
  void derivesTheAppUrlLikeTheOfficialClient() {
    assertThat(WandbSettings.builder().build().appUrl()).isEqualTo("https://wandb.ai");
    assertThat(WandbSettings.builder().baseUrl("http://localhost:8080").build().appUrl()).isEqualTo("http://localhost:8080");
    assertThat(WandbSettings.fromEnvironment(Map.of("WANDB_APP_URL", "https://ui.example.com"))
        .appUrl()).isEqualTo("https://ui.example.com");
  }

  @Test
  void rejectsInvalidModeAndBaseUrlNamingTheVariable() {
    assertThatThrownBy(() -> WandbSettings.fromEnvironment(Map.of("WANDB_MODE", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WANDB_MODE");
    assertThatThrownBy(() -> WandbSettings.fromEnvironment(Map.of("WANDB_BASE_URL", "ftp://x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base URL");
  }

  @Test
  void toStringNeverShowsTheKey() {
    WandbSettings s = WandbSettings.builder().apiKey("secret-key-1234567890").build();
    assertThat(s.toString()).doesNotContain("secret-key").contains("<from code>");
  }

  @Test
  void runSpecTakesUnsetFieldsFromTheEnvironmentButCodeWins() {
    Map<String, String> env = Map.of("WANDB_PROJECT", "envp", "WANDB_NAME", "env-name",
        "WANDB_RUN_ID", "envid123", "WANDB_NOTES", "n", "WANDB_TAGS", "x,y");
    RunSpec s = RunSpec.builder().name("code-name").tags("z").build().withEnvironmentDefaults(env);
    assertThat(s.project()).isEqualTo("envp");
    assertThat(s.name()).contains("code-name");
    assertThat(s.runId()).contains("envid123");
    assertThat(s.notes()).contains("n");
    assertThat(s.tags()).containsExactly("z", "x", "y");
  }

  @Test
  void projectPrecedenceIsExplicitThenWandbProjectThenTheCallersDefault() {
    Map<String, String> env = Map.of("WANDB_PROJECT", "other");
    // a caller's default (the CLI's "mnistlab") does not beat WANDB_PROJECT
    assertThat(RunSpec.builder().defaultProject("mnistlab").build().withEnvironmentDefaults(env)
        .project()).isEqualTo("other");
    assertThat(RunSpec.builder().defaultProject("mnistlab").build().withEnvironmentDefaults(Map.of())
        .project()).isEqualTo("mnistlab");
    // a project set in code or config does, even when it equals a default
    assertThat(RunSpec.builder().project("mnistlab").build().withEnvironmentDefaults(env).project())
        .isEqualTo("mnistlab");
    assertThat(RunSpec.builder().project("mine").defaultProject("mnistlab").build()
        .withEnvironmentDefaults(env).project()).isEqualTo("mine");
    assertThat(RunSpec.builder().build().withEnvironmentDefaults(Map.of()).project())
        .isEqualTo("uncategorized");
  }

  @Test
  void entityPrecedenceIsExplicitThenWandbEntity() {
    Map<String, String> env = Map.of("WANDB_ENTITY", "team-env");
    assertThat(WandbSettings.builder().environment(env).build().entity()).contains("team-env");
    assertThat(WandbSettings.builder().environment(env).entity("team-code").build().entity())
        .contains("team-code");
  }

  @Test
  void rejectsRunIdsAndProjectsWandbCannotStore() {
    assertThatThrownBy(() -> RunSpec.builder().runId("a/b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid run id 'a/b'");
    assertThatThrownBy(() -> RunSpec.builder().runId(" a")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RunSpec.builder().project("a:b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid project name");
  }
}
