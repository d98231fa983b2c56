package dev.mnistlab.data.internal;

import dev.mnistlab.data.DownloadProgress;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** {@link DownloadProgress} as me.tongfei text progress bars, one per file transfer. */
public final class ConsoleProgressBars implements DownloadProgress {
  private final PrintStream out;
  private final Map<String, ProgressBar> bars = new HashMap<>();

  /** Bars written to {@code out}. */
  public ConsoleProgressBars(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void update(String fileName, long bytesDone, long bytesTotal, boolean done) {
    ProgressBar bar = bars.get(fileName);
    if (bar == null) {
      bar = new ProgressBarBuilder()
          .setTaskName(fileName)
          .setInitialMax(bytesTotal)
          .setUnit(" MB", 1 << 20)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .showSpeed()
          .setConsumer(new ConsoleProgressBarConsumer(out))
          .build();
      bars.put(fileName, bar);
    }
    bar.stepTo(bytesDone);
    if (done) {
      bar.close();
      bars.remove(fileName);
    }
  }
}
