package dev.mnistlab.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's headless Chromium, run as a separate process on a local file (no network). */
final class Chromium {
  private Chromium() {}

  static Path executable() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new IllegalStateException("chromium is not installed (apt-get install -y chromium);"
        + " the report test needs a real browser");
  }

  /** Runs chromium headless with the given extra arguments on {@code page}; returns stdout. */
  static String run(Path page, Path workDir, String... extra) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(executable().toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
    command.addAll(List.of(extra));
    command.add(page.toUri().toString());
    Path out = workDir.resolve("chromium-" + System.nanoTime() + ".out");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not finish within 120 s");
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
