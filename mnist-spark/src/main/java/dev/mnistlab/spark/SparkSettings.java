package dev.mnistlab.spark;

import org.apache.spark.SparkConf;

/**
 * The Spark configuration mnistlab's applications start with. Settings given on the command line
 * of {@code spark-submit} or as {@code spark.*} system properties win, except the master and the
 * redaction pattern, which always also hides W&amp;B keys and passwords.
 */
public final class SparkSettings {
  /**
   * What {@code spark.redaction.regex} always matches besides a user's pattern: Spark's default
   * ({@code secret|password|token|access.key}) plus W&amp;B API keys and any {@code api key}-like
   * name, so that no such value is shown in the UI, the event log or the REST API.
   */
  public static final String REDACTION_REGEX =
      "(?i)secret|password|token|access[.]key|api[._-]?key|wandb|jdbc:postgresql:";

  private SparkSettings() {}

  /**
   * The configuration of a sweep's application on {@code master}: one core per task (each trial
   * a task), ND4J's OpenMP threads set to it on the executors, Spark's console progress bar off
   * (mnistlab shows its own), and the redaction pattern.
   */
  public static SparkConf sweep(String master, String sweepName) {
    SparkConf conf = base(master, "mnistlab sweep " + sweepName);
    conf.setIfMissing("spark.task.cpus", "1");
    conf.setExecutorEnv("OMP_NUM_THREADS", conf.get("spark.task.cpus"));
    return conf;
  }

  /** The configuration every mnistlab application starts from. */
  public static SparkConf base(String master, String appName) {
    SparkConf conf = new SparkConf();
    conf.setMaster(master);
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.ui.showConsoleProgress", "false");
    String user = conf.get("spark.redaction.regex", "");
    conf.set("spark.redaction.regex", user.isEmpty() ? REDACTION_REGEX
        : "(?:" + user + ")|" + REDACTION_REGEX);
    return conf;
  }
}
