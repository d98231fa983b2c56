package dev.mnistlab.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link LocalStore#redact}: the one function that hides JDBC passwords wherever a store is shown. */
class StoreLocationRedactionTest {

  @Test
  void hidesAPasswordQueryParameterInAnyCaseAndPosition() {
    assertThat(LocalStore.redact("jdbc:postgresql://db:5432/runs?user=u&password=PW&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/runs?user=u&password=***&ssl=true");
    assertThat(LocalStore.redact("jdbc:postgresql://db/runs?PASSWORD=PW"))
        .isEqualTo("jdbc:postgresql://db/runs?PASSWORD=***");
    assertThat(LocalStore.redact("jdbc:postgresql://db/runs;password=PW;user=u"))
        .isEqualTo("jdbc:postgresql://db/runs;password=***;user=u");
    assertThat(LocalStore.redact("jdbc:postgresql://db/runs?sslpassword=KEYPW&user=u"))
        .isEqualTo("jdbc:postgresql://db/runs?sslpassword=***&user=u");
  }

  @Test
  void hidesTheUserInfoPassword() {
    assertThat(LocalStore.redact("jdbc:postgresql://u:PW@db:5432/runs"))
        .isEqualTo("jdbc:postgresql://u:***@db:5432/runs");
    assertThat(LocalStore.redact("jdbc:postgresql://u:P@ss@db/runs?password=PW2"))
        .isEqualTo("jdbc:postgresql://u:***@db/runs?password=***");
  }

  @Test
  void hidesEveryOccurrenceInLongerTextSuchAsAConfigFile() {
    String config = "{\"runner\": {\"tracking\": {\"store\": \"jdbc:postgresql://h/db?user=u&password=PW\"},"
        + " \"other\": \"jdbc:postgresql://u:PW@h/db\"}}";
    assertThat(LocalStore.redact(config)).doesNotContain("PW")
        .contains("password=***\"").contains("u:***@h");
  }

  @Test
  void leavesPathsAndUrlsWithoutCredentialsAlone() {
    assertThat(LocalStore.redact("runs/mnistlab.db")).isEqualTo("runs/mnistlab.db");
    assertThat(LocalStore.redact("jdbc:sqlite:/tmp/x.db")).isEqualTo("jdbc:sqlite:/tmp/x.db");
    assertThat(LocalStore.redact("jdbc:postgresql://db:5432/runs?user=u"))
        .isEqualTo("jdbc:postgresql://db:5432/runs?user=u");
  }

  @Test
  void anUnopenableStoreIsNamedWithoutItsPassword() {
    assertThatThrownBy(() -> LocalStore.open("jdbc:postgresql://127.0.0.1:1/db?user=u&password=PW"))
        .isInstanceOf(TrackingException.class)
        .hasMessageContaining("password=***").hasMessageNotContaining("PW");
  }
}
