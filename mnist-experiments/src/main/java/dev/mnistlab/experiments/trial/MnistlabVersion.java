package dev.mnistlab.experiments.trial;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The mnistlab version recorded at build time (the CLI's {@code --version}, model artifacts). */
public final class MnistlabVersion {
  private static final String RESOURCE = "/dev/mnistlab/experiments/cli/version.properties";

  private MnistlabVersion() {}

  /** The version, or {@code "unknown"} when the build did not record one. */
  public static String get() {
    try (InputStream in = MnistlabVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
