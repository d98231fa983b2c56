package dev.mnistlab.spark;

import dev.mnistlab.experiments.cli.Main;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The application jar's main class under {@code spark-submit}: the mnistlab command line, with
 * {@code spark-submit}'s {@code --master} (the {@code spark.master} system property it sets) as
 * the {@code --spark} of a {@code sweep} or {@code train} command that names none, so one
 * {@code spark-submit} line says where to run. An explicit {@code --spark} is kept as given.
 */
public final class SparkSubmitMain {
  private static final Set<String> SPARK_COMMANDS = Set.of("sweep", "train");

  private SparkSubmitMain() {}

  public static void main(String[] args) {
    Main.main(withMaster(args, System.getProperty("spark.master")));
  }

  /** {@code args} plus {@code --spark master} when they are a Spark command without one. */
  static String[] withMaster(String[] args, String master) {
    if (master == null || master.isBlank() || args.length == 0
        || !SPARK_COMMANDS.contains(args[0])) {
      return args;
    }
    for (String arg : args) {
      if (arg.equals("--spark") || arg.startsWith("--spark=")) {
        return args;
      }
    }
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--spark");
    all.add(master);
    return all.toArray(String[]::new);
  }
}
