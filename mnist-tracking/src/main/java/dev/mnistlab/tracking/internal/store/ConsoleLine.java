package dev.mnistlab.tracking.internal.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One console line of a run as stored: which stream it went to, when (microseconds since the
 * epoch, W&amp;B's console timestamps have microseconds) and its text (no line break).
 */
public record ConsoleLine(boolean stderr, long timeMicros, String text) {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  /**
   * The line in W&amp;B's legacy {@code output.log} format, which every server reads:
   * {@code [ERROR ]YYYY-MM-DDTHH:MM:SS.ffffff <text>} in UTC without a zone letter, {@code ERROR }
   * marking a standard-error line (the Go core's {@code runconsolelogs} {@code LegacyFormat}).
   */
  public String outputLogLine() {
    Instant t = Instant.ofEpochSecond(Math.floorDiv(timeMicros, 1_000_000L),
        Math.floorMod(timeMicros, 1_000_000L) * 1_000L);
    return (stderr ? "ERROR " : "") + TIME.format(t) + " " + text;
  }
}
