package dev.mnistlab.tracking.internal;

import java.security.SecureRandom;

/** Run ids as W&amp;B makes them: 8 random characters from {@code [a-z0-9]}. */
public final class RunIds {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  /** A new random id. */
  public static String generate() {
    char[] c = new char[8];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(c);
  }
}
