package dev.mnistlab.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dl4jRuntime's process-wide settings can be switched off: a real child JVM (the settings are
 * per process) sets ND4J's default type to double, builds a zoo model and reports the type.
 */
class Dl4jRuntimeSwitchTest {

  /** The child: double as ND4J's default, then a zoo model; prints the default type after. */
  public static void main(String[] args) {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    ModelZoo.get("mlp").build();
    System.out.println("dtype=" + Nd4j.defaultFloatingPointType());
  }

  private static String childDtype(String... properties) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    command.addAll(List.of(properties));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        Dl4jRuntimeSwitchTest.class.getName()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    return out.lines().filter(l -> l.startsWith("dtype=")).findFirst().orElse(out);
  }

  @Test
  void theProcessWideSettingsAreAppliedByDefaultAndLeftAloneWhenSwitchedOff() throws Exception {
    assertThat(childDtype()).isEqualTo("dtype=FLOAT");
    assertThat(childDtype("-D" + Dl4jRuntime.PROCESS_SETTINGS_PROPERTY + "=off"))
        .isEqualTo("dtype=DOUBLE");
  }

  @Test
  void theSwitchReadsOffOrFalseAndTheProgrammaticCall() {
    assertThat(Dl4jRuntime.appliesProcessSettings(null, false)).isTrue();
    assertThat(Dl4jRuntime.appliesProcessSettings("on", false)).isTrue();
    assertThat(Dl4jRuntime.appliesProcessSettings("OFF", false)).isFalse();
    assertThat(Dl4jRuntime.appliesProcessSettings("false", false)).isFalse();
    assertThat(Dl4jRuntime.appliesProcessSettings(null, true)).isFalse();
  }
}
