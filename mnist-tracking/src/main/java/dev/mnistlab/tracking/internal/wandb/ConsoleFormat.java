package dev.mnistlab.tracking.internal.wandb;

import dev.mnistlab.tracking.internal.store.ConsoleLine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * W&amp;B's legacy {@code output.log} line format, which every server reads:
 * {@code [ERROR ]YYYY-MM-DDTHH:MM:SS.ffffff <text>} in UTC without a zone letter, {@code ERROR }
 * marking a standard-error line (the Go core's {@code runconsolelogs} {@code LegacyFormat}).
 */
final class ConsoleFormat {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private ConsoleFormat() {}

  static String legacy(ConsoleLine line) {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(line.timeMicros(), 1_000_000L),
        Math.floorMod(line.timeMicros(), 1_000_000L) * 1_000L);
    return (line.stderr() ? "ERROR " : "") + TIME.format(t) + " " + line.text();
  }
}
