package dev.mnistlab.experiments.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Prints the mnistlab version (from the build) and the Java runtime and OS it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {

  /** The mnistlab version recorded at build time, or {@code "unknown"}. */
  static String mnistlabVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
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

  @Override
  public String[] getVersion() {
    return new String[] {
      "mnistlab " + mnistlabVersion(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
      "OS " + System.getProperty("os.name") + " " + System.getProperty("os.version")
          + " " + System.getProperty("os.arch")
    };
  }
}
