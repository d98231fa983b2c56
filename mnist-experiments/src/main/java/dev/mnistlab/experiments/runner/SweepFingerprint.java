package dev.mnistlab.experiments.runner;

import dev.mnistlab.experiments.sweep.SweepConfig;
import dev.mnistlab.experiments.trial.TrialData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fingerprint that identifies a sweep's runs in the store across invocations: SHA-256 over
 * what makes trials comparable (the search config, the data's content checksums and its split),
 * 12 hex digits.
 */
final class SweepFingerprint {
  private SweepFingerprint() {}

  /**
   * Over the decompressed content checksums, keyed by file name without {@code .gz}, so a
   * download, Debian's re-gzipped copy and an uncompressed copy of the same data agree.
   */
  static String of(SweepConfig config, TrialData data) {
    Map<String, String> content = new TreeMap<>();
    data.contentChecksums().forEach((file, sha) -> content.put(
        file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file, sha));
    return of(config, data, content);
  }

  /**
   * The fingerprint as recorded before content checksums: over the files' own checksums. Matched
   * too when resuming, so older results keep resuming on the same files.
   */
  static String legacy(SweepConfig config, TrialData data) {
    return of(config, data, new TreeMap<>(data.checksums()));
  }

  /** SHA-256 of {@code text}, 12 hex digits. */
  static String ofText(String text) {
    return hex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String of(SweepConfig config, TrialData data, Map<String, String> checksums) {
    MessageDigest sha = sha256();
    sha.update(config.sweep().wandbConfig().toString().getBytes(StandardCharsets.UTF_8));
    sha.update(checksums.toString().getBytes(StandardCharsets.UTF_8));
    String split = data.train().count() + "/" + data.validation().count() + "/"
        + data.test().count() + "/" + config.runner().seed();
    sha.update(split.getBytes(StandardCharsets.UTF_8));
    return hex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest).substring(0, 12);
  }
}
