package dev.mnistlab.data;

import dev.mnistlab.data.io.AtomicFiles;
import dev.mnistlab.data.internal.Sha256;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Reading, writing and inspecting IDX files, plain or gzip-compressed.
 *
 * <p>Readers recognise gzip by its magic bytes, never by the file name, and are strict: every
 * defect is an {@link IdxFormatException} naming the file and saying what was expected (wrong
 * magic, unknown type code, rank 0, dimensions too large, truncated data, trailing bytes, corrupt
 * gzip). A header that declares more data than the file can hold is rejected before anything is
 * allocated for it.
 */
public final class IdxFiles {
  private static final int WRITE_BUFFER = 1 << 16;

  private IdxFiles() {}

  /** Reads a whole IDX file (plain or gzip). */
  public static IdxArray read(Path file) throws IOException {
    return IdxParser.parse(file, null, true).toArray();
  }

  /**
   * Reads a whole IDX file and feeds every byte of it, as stored, to {@code digest}: a checksum
   * for the price of one pass.
   */
  public static IdxArray read(Path file, MessageDigest digest) throws IOException {
    return IdxParser.parse(file, Objects.requireNonNull(digest, "digest"), true).toArray();
  }

  /**
   * Reads a whole IDX file, feeding every byte of it as stored to {@code fileDigest} and every
   * byte of its IDX content (decompressed, if the file is gzip) to {@code contentDigest}, in the
   * same pass: the content is hashed as it is inflated. For an uncompressed file both see the same
   * bytes. The content checksum identifies the data whatever its packaging (see {@link
   * DatasetFile#contentSha256()}).
   */
  public static IdxArray read(Path file, MessageDigest fileDigest, MessageDigest contentDigest) throws IOException {
    return IdxParser.parse(file, Objects.requireNonNull(fileDigest, "fileDigest"),
        Objects.requireNonNull(contentDigest, "contentDigest"), true).toArray();
  }

  /**
   * Reads an IDX stream (plain or gzip) to its end; {@code sourceName} names it in errors. Does not
   * close the stream.
   */
  public static IdxArray read(InputStream in, String sourceName) throws IOException {
    return IdxParser.parse(in, sourceName, -1, null, true).toArray();
  }

  /**
   * Validates a whole IDX file and describes it without keeping its data: type, dimensions,
   * compression, size and SHA-256 of the stored bytes and of the IDX content.
   */
  public static IdxHeader inspect(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    MessageDigest contentDigest = Sha256.newDigest();
    IdxParser.Parsed parsed = IdxParser.parse(file, digest, contentDigest, false);
    return new IdxHeader(file, parsed.type, parsed.dims, parsed.compression,
        java.nio.file.Files.size(file), Sha256.hex(digest), Sha256.hex(contentDigest));
  }

  /**
   * Writes {@code array} to {@code file} atomically: to a temporary file in the same directory,
   * flushed to disk, then renamed over {@code file}. Readers never see a partial file, and on
   * failure the previous content (if any) is untouched.
   */
  public static void write(Path file, IdxArray array, Compression compression) throws IOException {
    Objects.requireNonNull(array, "array");
    Objects.requireNonNull(compression, "compression");
    Path temp = AtomicFiles.tempFileBeside(file);
    boolean done = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream plain = Channels.newOutputStream(channel);
        try (OutputStream out = compression == Compression.GZIP
            ? new GzipWriter(plain) : new BufferedOutputStream(plain, WRITE_BUFFER)) {
          writeTo(out, array);
          if (out instanceof GzipWriter) {
            ((GzipWriter) out).finish();
          }
          out.flush();
          channel.force(true);
        }
      }
      AtomicFiles.moveIntoPlace(temp, file);
      done = true;
    } finally {
      if (!done) {
        AtomicFiles.deleteQuietly(temp);
      }
    }
  }

  /** Writes the IDX bytes of {@code array} (header and data, uncompressed) to {@code out}. */
  public static void writeTo(OutputStream out, IdxArray array) throws IOException {
    int[] dims = array.dims();
    byte[] header = new byte[4 + 4 * dims.length];
    header[2] = (byte) array.type().code();
    header[3] = (byte) dims.length;
    for (int i = 0; i < dims.length; i++) {
      int d = dims[i];
      header[4 + 4 * i] = (byte) (d >>> 24);
      header[5 + 4 * i] = (byte) (d >>> 16);
      header[6 + 4 * i] = (byte) (d >>> 8);
      header[7 + 4 * i] = (byte) d;
    }
    out.write(header);
    out.write(array.payloadNoCopy());
  }

  /** gzip with the best ratio; MNIST-family files are written once and read many times. */
  private static final class GzipWriter extends GZIPOutputStream {
    GzipWriter(OutputStream out) throws IOException {
      super(out, WRITE_BUFFER);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }
}
