package dev.mnistlab.data.internal;

import dev.mnistlab.data.IdxFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A strict gzip (RFC 1952) decoder that inflates straight into the caller's array.
 *
 * <p>Unlike {@link java.util.zip.GZIPInputStream} it reports every defect as an {@link
 * IdxFormatException} naming the source: a bad header, a deflate error, a stream that ends before
 * its end marker (truncated file), a CRC-32 or length mismatch in a member trailer, and bytes
 * after the last member that are not another gzip member. Concatenated members are decoded as one
 * stream, as gzip(1) does.
 */
public final class GzipDecoder extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED_FLAGS = 0xE0;

  private enum State { MEMBER_HEADER, INFLATING, END }

  private final InputStream in;
  private final String source;
  private final byte[] inBuf;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private int inPos;
  private int inLen;
  private long memberOut;
  private int members;
  private State state = State.MEMBER_HEADER;

  /**
   * Decodes {@code in}.
   *
   * @param in the compressed bytes; read in chunks of {@code bufferSize}, so it needs no buffering
   * @param source the name errors report (usually the file)
   * @param bufferSize the compressed-input buffer size; large buffers (1 MiB) inflate fastest
   */
  public GzipDecoder(InputStream in, String source, int bufferSize) {
    this.in = in;
    this.source = source;
    this.inBuf = new byte[bufferSize];
  }

  /** Whether {@code b0} and {@code b1} are the two magic bytes every gzip stream starts with. */
  public static boolean isGzipMagic(int b0, int b1) {
    return b0 == 0x1f && b1 == 0x8b;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    do {
      n = read(one, 0, 1);
    } while (n == 0);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      switch (state) {
        case END:
          return -1;
        case MEMBER_HEADER:
          if (!readMemberHeader()) {
            state = State.END;
            return -1;
          }
          state = State.INFLATING;
          break;
        case INFLATING:
          int n;
          try {
            n = inflater.inflate(b, off, len);
          } catch (DataFormatException e) {
            throw corrupt("invalid deflate data (" + e.getMessage() + ")", e);
          }
          if (n > 0) {
            crc.update(b, off, n);
            memberOut += n;
            return n;
          }
          if (inflater.finished()) {
            inPos = inLen - inflater.getRemaining();
            checkMemberTrailer();
            state = State.MEMBER_HEADER;
          } else if (inflater.needsDictionary()) {
            throw corrupt("deflate data asks for a preset dictionary, which gzip never uses", null);
          } else if (inflater.needsInput()) {
            if (!refill()) {
              throw corrupt("the gzip stream ends before its end marker (the file is truncated)", null);
            }
            inflater.setInput(inBuf, inPos, inLen - inPos);
            inPos = inLen;
          }
          break;
        default:
          throw new AssertionError(state);
      }
    }
  }

  /** Reads a member header; false at a clean end of input after at least one member. */
  private boolean readMemberHeader() throws IOException {
    int id1 = rawByte();
    if (id1 < 0) {
      if (members == 0) {
        throw corrupt("empty input: expected a gzip header", null);
      }
      return false;
    }
    int id2 = rawByte();
    if (!isGzipMagic(id1, id2)) {
      if (members == 0) {
        throw corrupt(String.format("not a gzip stream (starts 0x%02x%02x)", id1, id2 & 0xFF), null);
      }
      throw corrupt("unexpected bytes after the end of the gzip stream (not another gzip member)", null);
    }
    int method = requiredByte();
    if (method != 8) {
      throw corrupt("unsupported gzip compression method " + method + " (only 8, deflate, exists)", null);
    }
    int flags = requiredByte();
    if ((flags & RESERVED_FLAGS) != 0) {
      throw corrupt(String.format("reserved gzip header flags set (0x%02x)", flags), null);
    }
    for (int i = 0; i < 6; i++) {
      requiredByte(); // MTIME (4), XFL, OS
    }
    if ((flags & FEXTRA) != 0) {
      int xlen = requiredByte() | (requiredByte() << 8);
      for (int i = 0; i < xlen; i++) {
        requiredByte();
      }
    }
    if ((flags & FNAME) != 0) {
      while (requiredByte() != 0) {
        // skip the zero-terminated original file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (requiredByte() != 0) {
        // skip the zero-terminated comment
      }
    }
    if ((flags & FHCRC) != 0) {
      requiredByte();
      requiredByte();
    }
    members++;
    inflater.reset();
    crc.reset();
    memberOut = 0;
    inflater.setInput(inBuf, inPos, inLen - inPos);
    inPos = inLen;
    return true;
  }

  private void checkMemberTrailer() throws IOException {
    long storedCrc = readLittleEndianInt();
    long storedSize = readLittleEndianInt();
    if (storedCrc != crc.getValue()) {
      throw corrupt(String.format(
          "CRC-32 mismatch in gzip member %d: stored %08x, data gives %08x (the file is damaged)",
          members, storedCrc, crc.getValue()), null);
    }
    if (storedSize != (memberOut & 0xFFFFFFFFL)) {
      throw corrupt("length mismatch in gzip member " + members + ": trailer says " + storedSize
          + " bytes (mod 2^32), data gives " + memberOut, null);
    }
  }

  private long readLittleEndianInt() throws IOException {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      int b = rawByte();
      if (b < 0) {
        throw corrupt("the gzip stream ends inside a member trailer (the file is truncated)", null);
      }
      v |= ((long) b) << (8 * i);
    }
    return v;
  }

  private int requiredByte() throws IOException {
    int b = rawByte();
    if (b < 0) {
      throw corrupt("the gzip stream ends inside a member header (the file is truncated)", null);
    }
    return b;
  }

  private int rawByte() throws IOException {
    if (inPos == inLen && !refill()) {
      return -1;
    }
    return inBuf[inPos++] & 0xFF;
  }

  private boolean refill() throws IOException {
    int n;
    do {
      n = in.read(inBuf, 0, inBuf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    inPos = 0;
    inLen = n;
    return true;
  }

  private IdxFormatException corrupt(String problem, Throwable cause) {
    return new IdxFormatException(source, "corrupt gzip: " + problem, cause);
  }

  /** Frees the native inflater without closing the underlying stream (for callers that own it). */
  public void release() {
    inflater.end();
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
