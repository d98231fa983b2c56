package dev.mnistlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of malformed IDX input gets a specific error that names the file. */
class IdxValidationTest {
  @TempDir Path dir;

  private Path file(String name, byte[] content) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  private static byte[] header(int type, int... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] validIdx() {
    return concat(header(0x08, 3, 2, 2), new byte[12]);
  }

  private void assertRejected(Path p, String... fragments) {
    ThrowingCallable read = () -> IdxFiles.read(p);
    ThrowingCallable inspect = () -> IdxFiles.inspect(p);
    for (ThrowingCallable call : Arrays.asList(read, inspect)) {
      assertThatThrownBy(call)
          .isInstanceOf(IdxFormatException.class)
          .hasMessageStartingWith(p.toString() + ": ")
          .hasMessageContainingAll(fragments)
          .satisfies(e -> assertThat(((IdxFormatException) e).source()).isEqualTo(p.toString()));
    }
  }

  @Test
  void rejectsAWrongMagicNumber() throws Exception {
    Path p = file("a.idx", concat(new byte[] {1, 2, 8, 1}, new byte[8]));
    assertRejected(p, "wrong magic number 0x01020801", "two zero bytes");
    Path png = file("b.idx", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
    assertRejected(png, "wrong magic number 0x89504e47");
  }

  @Test
  void explainsAFileCompressedTwice() throws Exception {
    assertRejected(file("twice.gz", GzipBytes.gzip(GzipBytes.gzip(validIdx()))), "compressed twice?");
  }

  @Test
  void rejectsAnUnknownTypeCode() throws Exception {
    assertRejected(file("t.idx", concat(header(0x0A, 2), new byte[2])), "unknown IDX type code 0x0a", "0x08");
  }

  @Test
  void rejectsRankZero() throws Exception {
    assertRejected(file("r.idx", new byte[] {0, 0, 8, 0, 0, 0, 0, 1}), "rank 0");
  }

  @Test
  void rejectsADimensionBeyondTheSignedIntRange() throws Exception {
    assertRejected(file("d.idx", new byte[] {0, 0, 8, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0}),
        "dimension 0 is 4294967295");
  }

  @Test
  void rejectsADimensionProductThatOverflows() throws Exception {
    int[] dims = new int[5];
    Arrays.fill(dims, Integer.MAX_VALUE);
    assertRejected(file("o.idx", header(0x0E, dims)), "overflow");
    assertRejected(file("big.idx", header(0x0D, 65536, 65536)), "4294967296 elements", "more than one Java array");
  }

  @Test
  void rejectsAnEmptyFileAndATruncatedHeader() throws Exception {
    assertRejected(file("e.idx", new byte[0]), "empty file");
    assertRejected(file("h.idx", new byte[] {0, 0, 8}), "truncated header");
    assertRejected(file("h3.idx", concat(header(0x08, 5, 5, 5)).length == 16
        ? Arrays.copyOf(header(0x08, 5, 5, 5), 10) : null), "truncated header", "rank 3");
  }

  @Test
  void rejectsTruncatedData() throws Exception {
    byte[] ok = validIdx();
    assertRejected(file("short.idx", Arrays.copyOf(ok, ok.length - 1)),
        "truncated", "UNSIGNED_BYTE 3x2x2", "12 bytes of data", "only 11");
    assertRejected(file("short.idx.gz", GzipBytes.gzip(Arrays.copyOf(ok, ok.length - 5))),
        "truncated", "decompressed data holds only 7");
  }

  @Test
  void rejectsTrailingBytes() throws Exception {
    assertRejected(file("long.idx", concat(validIdx(), new byte[3])), "trailing bytes", "3 bytes after");
    assertRejected(file("long.idx.gz", GzipBytes.gzip(concat(validIdx(), new byte[5]))),
        "trailing bytes", "5 bytes after");
  }

  @Test
  void rejectsGarbageAfterTheGzipStream() throws Exception {
    assertRejected(file("g.gz", concat(GzipBytes.gzip(validIdx()), new byte[] {0, 0, 0})),
        "corrupt gzip", "after the end of the gzip stream");
  }

  @Test
  void rejectsATruncatedGzipFile() throws Exception {
    byte[] gz = GzipBytes.gzip(IdxFilesRoundTripTest.randomArray(IdxType.INT, new int[] {500}, 1).toBigEndianBytes());
    byte[] whole = GzipBytes.gzip(concat(header(0x0C, 500),
        IdxFilesRoundTripTest.randomArray(IdxType.INT, new int[] {500}, 1).toBigEndianBytes()));
    assertThat(gz.length).isGreaterThan(100);
    assertRejected(file("cut.gz", Arrays.copyOf(whole, whole.length - 100)), "corrupt gzip", "truncated");
    assertRejected(file("cut-trailer.gz", Arrays.copyOf(whole, whole.length - 3)), "corrupt gzip", "trailer");
  }

  @Test
  void rejectsCorruptDeflateData() throws Exception {
    byte[] whole = GzipBytes.gzip(concat(header(0x0C, 500),
        IdxFilesRoundTripTest.randomArray(IdxType.INT, new int[] {500}, 2).toBigEndianBytes()));
    byte[] damaged = whole.clone();
    for (int i = whole.length / 2; i < whole.length / 2 + 40; i++) {
      damaged[i] ^= (byte) 0x5A;
    }
    assertRejected(file("damaged.gz", damaged), "corrupt gzip");
  }

  @Test
  void rejectsAChecksumMismatchInTheGzipTrailer() throws Exception {
    byte[] whole = GzipBytes.gzip(validIdx());
    whole[whole.length - 8] ^= 1;
    assertRejected(file("crc.gz", whole), "corrupt gzip", "CRC-32 mismatch");
  }

  @Test
  void rejectsAGzipHeaderWithAnUnknownMethod() throws Exception {
    byte[] whole = GzipBytes.gzip(validIdx());
    whole[2] = 7;
    assertRejected(file("m.gz", whole), "corrupt gzip", "compression method 7");
  }

  @Test
  void hostileRawHeaderIsRejectedBeforeAllocating() throws Exception {
    // declares 60000 x 28 x 28 doubles (376 MB) in a 40-byte file
    Path p = file("hostile.idx", concat(header(0x0E, 60000, 28, 28), new byte[24]));
    long allocated = allocatedBytesDuring(() -> assertRejected(p, "truncated", "only 24"));
    assertThat(allocated).isLessThan(8 << 20);
  }

  @Test
  void hostileGzipHeaderIsRejectedBeforeAllocating() throws Exception {
    // declares 2 GB of data in a gzip file of a few dozen bytes
    Path p = file("hostile.gz", GzipBytes.gzip(concat(header(0x08, 2_000_000_000), new byte[16])));
    long allocated = allocatedBytesDuring(() -> assertRejected(p, "truncated", "cannot decompress to more than"));
    assertThat(allocated).isLessThan(8 << 20);
  }

  @Test
  void plausibleButTruncatedGzipAllocatesOnlyWhatItHolds() throws Exception {
    // 1 MB of zeros compresses to ~1 KB, which may decompress to 1 MB: the header claims 1.5 GB
    byte[] content = concat(header(0x08, 1_500_000_000), new byte[1 << 20]);
    Path p = file("bomb.gz", GzipBytes.gzip(content));
    assertThat(Files.size(p)).isLessThan(1 << 20);
    long allocated = allocatedBytesDuring(() -> assertRejected(p, "truncated"));
    assertThat(allocated).isLessThan(64L << 20);
  }

  @Test
  void hostileStreamAllocatesOnlyWhatArrives() throws Exception {
    byte[] content = concat(header(0x08, 1_500_000_000), new byte[3 << 20]);
    long allocated = allocatedBytesDuring(() ->
        assertThatThrownBy(() -> IdxFiles.read(new ByteArrayInputStream(content), "stdin"))
            .isInstanceOf(IdxFormatException.class)
            .hasMessageStartingWith("stdin: truncated"));
    assertThat(allocated).isLessThan(64L << 20);
  }

  private static long allocatedBytesDuring(Runnable r) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(id);
    r.run();
    return mx.getThreadAllocatedBytes(id) - before;
  }
}
