package dev.mnistlab.tracking.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real second process: a child JVM on the test class path running one {@code main} class. Its
 * standard output is read line by line; {@link #close()} kills it (SIGKILL) if it still runs.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final List<String> lines = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts {@code main} with {@code jvmOptions} (e.g. {@code -Dx=y}) and {@code args}. */
  public static ChildJvm start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
  }

  /** Starts {@code main} with {@code args}. */
  public static ChildJvm start(Class<?> main, String... args) throws IOException {
    return start(main, List.of(), args);
  }

  /** Reads output until a line starting with one of {@code prefixes}; returns it, or fails at EOF. */
  public String awaitLine(String... prefixes) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      lines.add(line);
      for (String prefix : prefixes) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
    throw new IllegalStateException("child ended without printing " + List.of(prefixes)
        + "; it printed " + lines + " and exited with " + exitCode(10));
  }

  /** Waits for the child to exit; its exit code, or -1 if it still runs after the timeout. */
  public int exitCode(long timeoutSeconds) {
    try {
      return process.waitFor(timeoutSeconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The child's pid. */
  public long pid() {
    return process.pid();
  }

  /** Kills the child with SIGKILL and waits for it. */
  public void kill() {
    process.destroyForcibly();
    exitCode(30);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
