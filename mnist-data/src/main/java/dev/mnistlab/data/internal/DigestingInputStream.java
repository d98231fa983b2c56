package dev.mnistlab.data.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Feeds every byte read (in place, without copying) to a {@link MessageDigest}, so a file is
 * hashed in the same pass that parses it.
 */
public final class DigestingInputStream extends FilterInputStream {
  private final MessageDigest digest;

  /** Reads {@code in}, updating {@code digest} with each byte read. */
  public DigestingInputStream(InputStream in, MessageDigest digest) {
    super(in);
    this.digest = digest;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      digest.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      digest.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipping would bypass the digest; read and hash instead.
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    long left = n;
    while (left > 0) {
      int r = read(scratch, 0, (int) Math.min(left, scratch.length));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
