package dev.mnistlab.experiments.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Several progress bars drawn as one block at the bottom of a terminal, with lines of text
 * scrolling above them: the block is erased (ANSI cursor-up and clear-to-end), the line is
 * printed, and the block is drawn again. Every bar renders through a {@link Slot} (a {@link
 * ProgressBarConsumer}), and everything that writes to the terminal goes through this object's
 * lock, so the bars' render threads never interleave with the lines.
 *
 * <p>progressbar's own {@code InteractiveConsoleProgressBarConsumer} draws several bars too, but
 * assumes nothing else prints while they are alive; a sweep prints a line per epoch.
 */
final class TerminalBars {
  private static final String ESC = "\u001b[";

  private final PrintStream terminal;
  private final int width;
  private final List<Slot> slots = new ArrayList<>();
  private int drawnLines;

  /** Bars on {@code terminal} (standard error of a console), as wide as the terminal. */
  TerminalBars(PrintStream terminal) {
    this(terminal, new ConsoleProgressBarConsumer(terminal).getMaxRenderedLength());
  }

  TerminalBars(PrintStream terminal, int width) {
    this.terminal = terminal;
    this.width = Math.max(20, width);
  }

  /** A new bar line below the existing ones. */
  synchronized Slot newSlot(boolean keepOnClose) {
    Slot slot = new Slot(keepOnClose);
    slots.add(slot);
    return slot;
  }

  /** Prints text above the bars: erase them, let {@code print} write and flush, draw them again. */
  synchronized void printAbove(Runnable print) {
    erase();
    terminal.flush();
    print.run();
    draw();
  }

  /**
   * A stream whose lines are printed above the bars, for other output while they show (log lines
   * on standard error); a last unfinished line is printed when the stream is closed.
   */
  PrintStream linesAbove() {
    return new PrintStream(new LineStream(), true);
  }

  /** Collects bytes up to a newline, then prints the line above the bars. */
  private final class LineStream extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        printLine();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        line.write('\n');
        printLine();
      }
    }

    private void printLine() {
      byte[] bytes = line.toByteArray();
      line.reset();
      printAbove(() -> {
        terminal.write(bytes, 0, bytes.length);
        terminal.flush();
      });
    }
  }

  private void erase() {
    if (drawnLines > 0) {
      terminal.print("\r" + ESC + drawnLines + "A" + ESC + "J");
      drawnLines = 0;
    }
  }

  private void draw() {
    for (Slot slot : slots) {
      if (!slot.text.isEmpty()) {
        terminal.print("\r" + slot.text + ESC + "K\n");
        drawnLines++;
      }
    }
    terminal.flush();
  }

  private synchronized void update(Slot slot, String text) {
    erase();
    slot.text = text.length() > width ? text.substring(0, width) : text;
    draw();
  }

  private synchronized void close(Slot slot) {
    if (!slots.remove(slot)) {
      return;
    }
    erase();
    if (slot.keepOnClose && !slot.text.isEmpty()) {
      terminal.print(slot.text + "\n");
    }
    draw();
  }

  /** One bar's line; closing it removes the line (or, if kept, leaves it above the block). */
  final class Slot implements ProgressBarConsumer {
    private final boolean keepOnClose;
    private String text = "";

    private Slot(boolean keepOnClose) {
      this.keepOnClose = keepOnClose;
    }

    @Override
    public int getMaxRenderedLength() {
      return width;
    }

    @Override
    public void accept(String rendered) {
      update(this, rendered.replace("\r", "").replace("\n", ""));
    }

    @Override
    public void clear() {
      update(this, "");
    }

    @Override
    public void close() {
      TerminalBars.this.close(this);
    }
  }
}
