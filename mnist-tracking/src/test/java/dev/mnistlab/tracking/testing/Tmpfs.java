package dev.mnistlab.tracking.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real size-limited filesystem for fault tests: {@code mount -t tmpfs -o size=...} on a folder,
 * unmounted by {@link #close()}. Needs root (CI runs as root); {@link #mount} returns null when the
 * mount is not permitted, so tests can guard with an assumption.
 */
// close() waits for umount and says so (InterruptedException, javac's "try" lint): a test that
// is interrupted while unmounting should see it rather than have it swallowed here
@SuppressWarnings("try")
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (e.g. {@code 2m}) at {@code dir}, or returns null if not root. */
  public static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    if (!"root".equals(System.getProperty("user.name"))) {
      return null;
    }
    return run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()))
        ? new Tmpfs(dir) : null;
  }

  /** Remounts it read-only (or read-write again). */
  public void remount(boolean readOnly) throws IOException, InterruptedException {
    if (!run(List.of("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), dir.toString()))) {
      throw new IOException("cannot remount " + dir);
    }
  }

  /** The mount point. */
  public Path dir() {
    return dir;
  }

  private static boolean run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!run(List.of("umount", "-l", dir.toString()))) {
      throw new IOException("cannot unmount " + dir);
    }
  }
}
