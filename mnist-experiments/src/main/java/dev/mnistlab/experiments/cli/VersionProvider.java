package dev.mnistlab.experiments.cli;

import picocli.CommandLine;

/** Prints the mnistlab version (from the build) and the Java runtime and OS it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {

  /** The mnistlab version recorded at build time, or {@code "unknown"}. */
  static String mnistlabVersion() {
    return dev.mnistlab.experiments.trial.MnistlabVersion.get();
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
