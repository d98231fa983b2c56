package dev.mnistlab.data;

import dev.mnistlab.data.internal.DigestingInputStream;
import dev.mnistlab.data.internal.GzipDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The strict IDX reader behind {@link IdxFiles}: detects gzip by its magic bytes, validates the
 * header and checks the declared size against what the input can hold before allocating.
 */
final class IdxParser {
  /** Largest Java byte array we allocate (the VM's limit is slightly below Integer.MAX_VALUE). */
  static final long MAX_PAYLOAD = Integer.MAX_VALUE - 8;
  /** Deflate cannot expand by more than about 1032:1 (RFC 1951 block limits). */
  private static final long MAX_DEFLATE_RATIO = 1032;
  /**
   * When the decompressed size is not known for sure, at most this multiple of the compressed file
   * size is allocated upfront (MNIST-family files compress 2-6x); beyond it the buffer only grows as
   * real data arrives.
   */
  private static final long UPFRONT_RATIO = 16;
  /** Upfront allocation for a stream of unknown length. */
  private static final int STREAM_UPFRONT = 1 << 20;
  private static final int INPUT_BUFFER = 1 << 20;

  private IdxParser() {}

  /** The header and, if kept, the payload of a parsed file. */
  static final class Parsed {
    final IdxType type;
    final int[] dims;
    final Compression compression;
    final byte[] payload;

    Parsed(IdxType type, int[] dims, Compression compression, byte[] payload) {
      this.type = type;
      this.dims = dims;
      this.compression = compression;
      this.payload = payload;
    }

    IdxArray toArray() {
      return new IdxArray(type, dims, payload);
    }
  }

  /**
   * Parses a file.
   *
   * @param digest if not null, updated with every byte of the file as stored
   * @param keepPayload whether to keep the data (false validates it and discards it)
   */
  static Parsed parse(Path file, MessageDigest digest, boolean keepPayload) throws IOException {
    return parse(file, digest, null, keepPayload);
  }

  /**
   * Parses a file.
   *
   * @param digest if not null, updated with every byte of the file as stored
   * @param contentDigest if not null, updated with every byte of the IDX content (decompressed)
   * @param keepPayload whether to keep the data (false validates it and discards it)
   */
  static Parsed parse(Path file, MessageDigest digest, MessageDigest contentDigest, boolean keepPayload)
      throws IOException {
    InputFiles.requireRegularFile(file, "an IDX file");
    long fileSize = Files.size(file);
    try (InputStream raw = Files.newInputStream(file)) {
      return parse(raw, file.toString(), fileSize, digest, contentDigest, keepPayload);
    }
  }

  /** Parses a stream of unknown length, naming it {@code source} in errors. */
  static Parsed parse(InputStream raw, String source, long knownSize, MessageDigest digest, boolean keepPayload)
      throws IOException {
    return parse(raw, source, knownSize, digest, null, keepPayload);
  }

  /** Parses a stream, naming it {@code source} in errors; see {@link #parse(Path, MessageDigest, MessageDigest, boolean)}. */
  static Parsed parse(InputStream raw, String source, long knownSize, MessageDigest digest,
      MessageDigest contentDigest, boolean keepPayload) throws IOException {
    InputStream counted = digest == null ? raw : new DigestingInputStream(raw, digest);
    PushbackInputStream in = new PushbackInputStream(counted, 2);
    int b0 = in.read();
    int b1 = b0 < 0 ? -1 : in.read();
    if (b1 >= 0) {
      in.unread(b1);
    }
    if (b0 >= 0) {
      in.unread(b0);
    }
    if (b0 < 0) {
      throw new IdxFormatException(source, "empty file: expected an IDX header (magic 0x000008dd..)");
    }
    boolean gzip = GzipDecoder.isGzipMagic(b0, b1);
    GzipDecoder decoder = gzip ? new GzipDecoder(in, source, INPUT_BUFFER) : null;
    InputStream content = gzip ? decoder : in;
    if (contentDigest != null) {
      // each piece is hashed as soon as it is inflated, in the same pass (no re-reading the payload)
      content = new DigestingInputStream(content, contentDigest);
    }
    try {
      return parseIdx(content, source, knownSize, gzip, keepPayload);
    } finally {
      if (decoder != null) {
        decoder.release(); // the caller owns and closes the underlying stream
      }
    }
  }

  private static Parsed parseIdx(InputStream data, String source, long knownSize, boolean gzip, boolean keepPayload)
      throws IOException {
    Compression compression = gzip ? Compression.GZIP : Compression.NONE;
    String what = gzip ? "decompressed data" : "file";

    byte[] magic = new byte[4];
    int got = readFully(data, magic, 0, 4);
    if (got < 4) {
      throw new IdxFormatException(source, "truncated header: the " + what + " holds only " + got
          + " bytes, an IDX header needs at least 8");
    }
    if (gzip && GzipDecoder.isGzipMagic(magic[0] & 0xFF, magic[1] & 0xFF)) {
      throw new IdxFormatException(source, "wrong magic number: the decompressed data is gzip again (compressed"
          + " twice?); expected IDX data starting with two zero bytes, a type code and a rank");
    }
    if (magic[0] != 0 || magic[1] != 0) {
      throw new IdxFormatException(source, String.format(
          "wrong magic number 0x%02x%02x%02x%02x: an IDX file starts with two zero bytes, a type code"
              + " and a rank (e.g. 0x00000803 for MNIST images)",
          magic[0], magic[1], magic[2], magic[3]));
    }
    int code = magic[2] & 0xFF;
    IdxType type = IdxType.fromCode(code).orElseThrow(() -> new IdxFormatException(source, String.format(
        "unknown IDX type code 0x%02x: expected one of 0x08 (unsigned byte), 0x09 (byte), 0x0B (short),"
            + " 0x0C (int), 0x0D (float), 0x0E (double)", code)));
    int rank = magic[3] & 0xFF;
    if (rank == 0) {
      throw new IdxFormatException(source, "rank 0 in the magic number: an IDX array needs at least one dimension");
    }
    byte[] dimBytes = new byte[4 * rank];
    got = readFully(data, dimBytes, 0, dimBytes.length);
    if (got < dimBytes.length) {
      throw new IdxFormatException(source, "truncated header: rank " + rank + " needs " + rank
          + " dimension sizes (" + dimBytes.length + " bytes) after the magic number, the " + what
          + " has only " + got);
    }
    int[] dims = new int[rank];
    long elements = 1;
    boolean overflow = false;
    for (int i = 0; i < rank; i++) {
      long d = ((dimBytes[4 * i] & 0xFFL) << 24) | ((dimBytes[4 * i + 1] & 0xFFL) << 16)
          | ((dimBytes[4 * i + 2] & 0xFFL) << 8) | (dimBytes[4 * i + 3] & 0xFFL);
      if (d > Integer.MAX_VALUE) {
        throw new IdxFormatException(source, "dimension " + i + " is " + d
            + ": larger than the supported maximum " + Integer.MAX_VALUE);
      }
      dims[i] = (int) d;
      if (!overflow) {
        try {
          elements = Math.multiplyExact(elements, d);
        } catch (ArithmeticException e) {
          overflow = true;
        }
      }
    }
    String declared = type + " " + IdxHeader.formatDims(dims);
    if (overflow || elements > MAX_PAYLOAD / type.byteSize()) {
      throw new IdxFormatException(source, "dimensions " + declared + (overflow ? " overflow a 64-bit element count" :
          " declare " + elements + " elements (" + elements * type.byteSize() + " bytes)")
          + ": more than one Java array can hold (" + MAX_PAYLOAD + " bytes)");
    }
    int payloadBytes = (int) (elements * type.byteSize());
    long headerBytes = 4L + 4L * rank;
    if (knownSize >= 0) {
      if (!gzip) {
        long available = knownSize - headerBytes;
        if (available < payloadBytes) {
          throw truncated(source, declared, payloadBytes, available, what);
        }
        if (available > payloadBytes) {
          throw trailing(source, declared, payloadBytes, available - payloadBytes, what);
        }
      } else if (headerBytes + payloadBytes > knownSize * MAX_DEFLATE_RATIO + 1024) {
        throw new IdxFormatException(source, "truncated: the header declares " + declared + " ("
            + payloadBytes + " bytes of data), but a gzip file of " + knownSize
            + " bytes cannot decompress to more than about " + knownSize * MAX_DEFLATE_RATIO);
      }
    }

    byte[] payload;
    if (keepPayload) {
      long upfront;
      if (knownSize < 0) {
        upfront = STREAM_UPFRONT;
      } else if (gzip) {
        upfront = knownSize * UPFRONT_RATIO + 65536;
      } else {
        upfront = payloadBytes; // verified against the file size above
      }
      payload = readPayload(data, source, declared, payloadBytes, (int) Math.min(payloadBytes, upfront), what);
    } else {
      discardPayload(data, source, declared, payloadBytes, what);
      payload = null;
    }
    long extra = drain(data);
    if (extra > 0) {
      throw trailing(source, declared, payloadBytes, extra, what);
    }
    return new Parsed(type, dims, compression, payload);
  }

  private static byte[] readPayload(InputStream data, String source, String declared, int payloadBytes,
      int upfront, String what) throws IOException {
    // Allocate what the input can plausibly hold, then grow only as real data arrives, so a
    // hostile header never makes us allocate much more than the input actually holds.
    byte[] buf = new byte[upfront];
    int filled = 0;
    while (true) {
      int n = readFully(data, buf, filled, buf.length - filled);
      filled += n;
      if (filled < buf.length) {
        throw truncated(source, declared, payloadBytes, filled, what);
      }
      if (filled == payloadBytes) {
        return buf;
      }
      buf = Arrays.copyOf(buf, (int) Math.min(payloadBytes, 2L * buf.length));
    }
  }

  private static void discardPayload(InputStream data, String source, String declared, int payloadBytes,
      String what) throws IOException {
    byte[] scratch = new byte[INPUT_BUFFER];
    long left = payloadBytes;
    while (left > 0) {
      int n = data.read(scratch, 0, (int) Math.min(left, scratch.length));
      if (n < 0) {
        throw truncated(source, declared, payloadBytes, payloadBytes - left, what);
      }
      left -= n;
    }
  }

  /** Reads and counts whatever follows the declared data (0 for a well-formed file). */
  private static long drain(InputStream data) throws IOException {
    byte[] scratch = new byte[8192];
    long extra = 0;
    int n;
    while ((n = data.read(scratch, 0, scratch.length)) >= 0) {
      extra += n;
    }
    return extra;
  }

  /** Reads up to {@code len} bytes, fewer only at end of input; returns the count read. */
  static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(b, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static IdxFormatException truncated(String source, String declared, long expected, long actual,
      String what) {
    return new IdxFormatException(source, "truncated: the header declares " + declared + " (" + expected
        + " bytes of data) but the " + what + " holds only " + actual + " bytes after the header");
  }

  private static IdxFormatException trailing(String source, String declared, long expected, long extra,
      String what) {
    return new IdxFormatException(source, "trailing bytes: the " + what + " holds " + extra
        + " bytes after the " + expected + " bytes of data the header declares (" + declared + ")");
  }
}
