package dev.mnistlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mnistlab.data.testing.SharedData;
import dev.mnistlab.spark.testing.StandaloneCluster;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.RunQuery;
import dev.mnistlab.tracking.RunRecord;
import dev.mnistlab.tracking.RunState;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application jar ({@code target/mnistlab-spark-app.jar}, built in the package phase) submitted
 * the way {@code spark-submit} submits it: {@code org.apache.spark.deploy.SparkSubmit} in a child
 * JVM whose class path is Spark alone (what a cluster's {@code SPARK_HOME/jars} holds), to a real standalone cluster on loopback whose
 * master, workers and executors have only those jars too. Everything else mnistlab needs (its
 * CLI, DL4J, ND4J's natives, the SQLite driver, the {@code TrialSchedulerProvider} service file)
 * can only come from the application jar. The JVM flags are Spark's Java 17 list, set here as the
 * {@code spark-submit} script's launcher sets them.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SparkSubmitAppJarIT {
  private Path dir;
  private StandaloneCluster cluster;
  private Process submit;

  @AfterEach
  void stopEverything() throws Exception {
    if (submit != null && submit.isAlive()) {
      submit.descendants().forEach(ProcessHandle::destroyForcibly);
      submit.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
      assertThat(cluster.running()).as("processes left running").isEmpty();
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The jars of Maven repository groups mnistlab brings and a Spark installation has not. */
  private static final List<String> APPLICATION_GROUPS = List.of("/dev/mnistlab/",
      "/org/deeplearning4j/", "/org/nd4j/", "/org/datavec/", "/org/bytedeco/", "/org/xerial/",
      "/org/postgresql/", "/info/picocli/", "/ch/qos/logback/", "/com/networknt/",
      "/me/tongfei/", "/org/junit/", "/org/assertj/", "/com/squareup/");

  private static boolean isTheApplications(Path jar) {
    String path = jar.toString();
    return jar.getFileName().toString().startsWith("mnist-")
        || APPLICATION_GROUPS.stream().anyMatch(path::contains);
  }

  /**
   * What a cluster's {@code SPARK_HOME/jars} holds: this class path's jars (Spark, Scala and the
   * libraries they share with mnistlab, such as Jackson and SLF4J) without mnistlab's own and
   * those only mnistlab brings, and without the tests' libraries.
   */
  private static List<Path> sparkWithoutMnistlab() {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && !isTheApplications(p)) {
        jars.add(p);
      }
    }
    return jars;
  }

  @Test
  void theApplicationJarRunsASweepOnAStandaloneClusterThroughSparkSubmit() throws Exception {
    Path appJar = Path.of(System.getProperty("spark.app.jar"));
    assertThat(appJar).as("built by the package phase").isNotEmptyFile();
    List<Path> sparkJars = sparkWithoutMnistlab();
    assertThat(sparkJars).as("Spark is there").anyMatch(p -> p.toString().contains("spark-core"))
        .as("no DL4J, ND4J, JavaCPP, JDBC driver or mnistlab on the cluster")
        .noneMatch(SparkSubmitAppJarIT::isTheApplications);

    dir = Files.createTempDirectory("mnistlab-submit-test-");
    cluster = StandaloneCluster.start(2, sparkJars);
    Path store = dir.resolve("runs.db");
    Path out = dir.resolve("out");
    Path config = dir.resolve("submitted.json");
    // no runner.spark: the master is spark-submit's --master alone
    Files.writeString(config, """
        {"sweep": {"name": "submitted", "method": "grid",
                   "metric": {"name": "val_accuracy", "goal": "maximize"},
                   "parameters": {"model": {"value": "mlp"}, "epochs": {"value": 1},
                                  "batch_size": {"value": 50},
                                  "learning_rate": {"values": [0.003, 0.001]}}},
         "runner": {"train_subset": 400, "validation_size": 100, "seed": 5,
                    "tracking": {"store": "%s", "wandb": "disabled"}}}
        """.formatted(store), StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // what bin/spark-submit's launcher puts on a client-mode driver's command line: Spark's Java
    // 17 flags and spark.driver.extraJavaOptions
    for (String flag : System.getProperty("spark.java17.options").split("\\s+")) {
      if (!flag.isBlank()) {
        command.add(flag);
      }
    }
    command.add("-cp");
    command.add(cluster.jars() + "/*");
    command.addAll(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", cluster.masterUrl(), "--deploy-mode", "client",
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.executor.memory=1g",
        "--conf", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=2G"
            + " -Dorg.bytedeco.javacpp.maxphysicalbytes=3G",
        appJar.toString(),
        "sweep", config.toString(), "--data-dir", SharedData.mnist10k().toString(),
        "--out", out.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("submit.log").toFile());
    pb.environment().put("SPARK_HOME", cluster.jars().getParent().toString());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.12");
    pb.environment().remove("WANDB_API_KEY");
    submit = pb.start();
    boolean exited = submit.waitFor(200, TimeUnit.SECONDS);
    String log = Files.readString(dir.resolve("submit.log"));
    assertThat(exited).as("spark-submit finished: " + log).isTrue();
    assertThat(submit.exitValue()).as(log).isZero();

    // the trials ran on the cluster's executors: their runs, imported by the driver
    try (LocalStore s = LocalStore.open(store.toString())) {
      List<RunRecord> runs = s.runs(RunQuery.builder().group("submitted").build());
      assertThat(runs).hasSize(2).allSatisfy(r -> {
        assertThat(r.state()).isEqualTo(RunState.FINISHED);
        assertThat(s.summary(r.id())).containsKey("test_accuracy");
      });
    }
    assertThat(out.resolve("results.json")).isNotEmptyFile();
    assertThat(out.resolve("best-model.zip")).isNotEmptyFile();
    // the executors fetched the application jar from the driver (their class path had none)
    try (Stream<Path> files = Files.walk(cluster.jars().getParent())) {
      assertThat(files.filter(p -> !p.startsWith(cluster.jars()))
          .map(p -> p.getFileName().toString())).contains(appJar.getFileName().toString());
    }
  }
}
