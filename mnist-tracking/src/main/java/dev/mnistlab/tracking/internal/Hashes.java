package dev.mnistlab.tracking.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The digests W&amp;B names and checks content by: SHA-256 hex for media file names (§11.4), MD5
 * hex for run-file versions, MD5 base64 for artifact manifest entries (§8).
 */
public final class Hashes {
  private Hashes() {}

  /** SHA-256 of {@code bytes}, lower-case hex. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest("SHA-256", bytes));
  }

  /** MD5 of {@code bytes}, lower-case hex. */
  public static String md5Hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest("MD5", bytes));
  }

  /** MD5 of {@code bytes}, base64 (W&amp;B's artifact entry digest and upload {@code Content-MD5}). */
  public static String md5Base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(digest("MD5", bytes));
  }

  private static byte[] digest(String algorithm, byte[] bytes) {
    try {
      return MessageDigest.getInstance(algorithm).digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }
}
