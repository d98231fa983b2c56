package dev.mnistlab.data;

import dev.mnistlab.data.internal.ConsoleProgressBars;
import java.io.PrintStream;

/**
 * Receives download progress from {@link DatasetResolver}. Implementations must be quick; they
 * are called on the downloading thread, at most every few hundred kilobytes.
 *
 * <p>A library stays silent by default ({@link #NONE}); a command-line tool shows bars with
 * {@link #consoleBars(PrintStream)} or {@link #consoleBarsIfTerminal()}.
 */
@FunctionalInterface
public interface DownloadProgress {
  /** Ignores all progress. */
  DownloadProgress NONE = (fileName, bytesDone, bytesTotal, done) -> { };

  /**
   * Progress of one file transfer.
   *
   * @param fileName the file being downloaded
   * @param bytesDone bytes received so far in this attempt (0 when it starts)
   * @param bytesTotal the expected size in bytes
   * @param done true once this attempt ended, successfully or not
   */
  void update(String fileName, long bytesDone, long bytesTotal, boolean done);

  /** Text progress bars (me.tongfei progressbar), one per file, written to {@code out}. */
  static DownloadProgress consoleBars(PrintStream out) {
    return new ConsoleProgressBars(out);
  }

  /**
   * Progress bars on standard error when this process is attached to a terminal, otherwise
   * nothing (so logs and CI output stay clean).
   */
  static DownloadProgress consoleBarsIfTerminal() {
    return System.console() != null ? consoleBars(System.err) : NONE;
  }
}
