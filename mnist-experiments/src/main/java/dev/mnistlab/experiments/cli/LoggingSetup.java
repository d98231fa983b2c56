package dev.mnistlab.experiments.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Adjusts the console log levels for one command: concise by default (mnistlab at INFO, noisy
 * libraries at WARN, see {@code logback.xml}), verbose with {@code --debug}.
 */
final class LoggingSetup {
  private static final List<String> NOISY =
      List.of("org.nd4j", "org.deeplearning4j", "org.bytedeco", "okhttp3", "com.networknt");

  private LoggingSetup() {}

  /** Applies the levels for {@code debug}; does nothing when Logback is not the SLF4J backend. */
  static void apply(boolean debug) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger("dev.mnistlab").setLevel(debug ? Level.DEBUG : Level.INFO);
    for (String name : NOISY) {
      context.getLogger(name).setLevel(debug ? Level.INFO : Level.WARN);
    }
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(debug ? Level.INFO : Level.WARN);
  }
}
