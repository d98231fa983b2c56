package dev.mnistlab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdxFilesRoundTripTest {
  @TempDir Path dir;

  static Stream<Arguments> typesRanksAndCompressions() {
    Stream.Builder<Arguments> b = Stream.builder();
    int[][] shapes = {{7}, {3, 5}, {2, 3, 4}, {2, 1, 3, 2}, {1, 2, 1, 2, 3}, {0, 4}};
    for (IdxType type : IdxType.values()) {
      for (int[] shape : shapes) {
        for (Compression c : Compression.values()) {
          b.add(Arguments.of(type, shape, c));
        }
      }
    }
    return b.build();
  }

  static IdxArray randomArray(IdxType type, int[] dims, long seed) {
    Random r = new Random(seed);
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    switch (type) {
      case UNSIGNED_BYTE:
      case BYTE: {
        byte[] v = new byte[n];
        r.nextBytes(v);
        return type == IdxType.BYTE ? IdxArray.ofBytes(v, dims) : IdxArray.ofUnsignedBytes(v, dims);
      }
      case SHORT: {
        short[] v = new short[n];
        for (int i = 0; i < n; i++) {
          v[i] = (short) r.nextInt();
        }
        return IdxArray.ofShorts(v, dims);
      }
      case INT:
        return IdxArray.ofInts(r.ints(n).toArray(), dims);
      case FLOAT: {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) r.nextGaussian() * 1e6f;
        }
        return IdxArray.ofFloats(v, dims);
      }
      case DOUBLE:
        return IdxArray.ofDoubles(r.doubles(n).map(x -> x * 1e-300).toArray(), dims);
      default:
        throw new AssertionError(type);
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("typesRanksAndCompressions")
  void writtenArraysReadBackIdentical(IdxType type, int[] dims, Compression compression) throws Exception {
    IdxArray original = randomArray(type, dims, 42);
    Path file = dir.resolve("a.idx");
    IdxFiles.write(file, original, compression);

    IdxArray back = IdxFiles.read(file);
    assertThat(back).isEqualTo(original);
    assertThat(back.type()).isEqualTo(type);
    assertThat(back.dims()).containsExactly(dims);
    IdxHeader header = IdxFiles.inspect(file);
    assertThat(header.compression()).isEqualTo(compression);
    assertThat(header.dims()).containsExactly(dims);
    assertThat(header.fileSize()).isEqualTo(Files.size(file));
  }

  @Test
  void typedValuesSurviveTheRoundTrip() throws Exception {
    IdxArray shorts = IdxArray.ofShorts(new short[] {-32768, -1, 0, 1, 32767}, 5);
    IdxArray ints = IdxArray.ofInts(new int[] {Integer.MIN_VALUE, -7, 0, 7, Integer.MAX_VALUE, 3}, 2, 3);
    IdxArray floats = IdxArray.ofFloats(new float[] {Float.NaN, -0f, 1.5f, Float.MAX_VALUE}, 2, 2);
    IdxArray doubles = IdxArray.ofDoubles(new double[] {Math.PI, -Double.MIN_VALUE}, 2);
    IdxArray ubytes = IdxArray.ofUnsignedBytes(new byte[] {0, 127, (byte) 128, (byte) 255}, 4);
    IdxArray bytes = IdxArray.ofBytes(new byte[] {-128, -1, 0, 127}, 4);

    assertThat(roundTrip(shorts).toShortArray()).containsExactly(-32768, -1, 0, 1, 32767);
    assertThat(roundTrip(ints).toIntArray()).containsExactly(Integer.MIN_VALUE, -7, 0, 7, Integer.MAX_VALUE, 3);
    assertThat(roundTrip(floats).toFloatArray()).containsExactly(Float.NaN, -0f, 1.5f, Float.MAX_VALUE);
    assertThat(roundTrip(doubles).toDoubleArray()).containsExactly(Math.PI, -Double.MIN_VALUE);
    assertThat(roundTrip(ubytes).toIntArray()).containsExactly(0, 127, 128, 255);
    assertThat(roundTrip(bytes).toIntArray()).containsExactly(-128, -1, 0, 127);
    assertThat(roundTrip(ints).getInt(4)).isEqualTo(Integer.MAX_VALUE);
    assertThat(roundTrip(ubytes).getDouble(3)).isEqualTo(255.0);
  }

  private IdxArray roundTrip(IdxArray a) throws Exception {
    Path file = dir.resolve("t.idx.gz");
    IdxFiles.write(file, a, Compression.GZIP);
    return IdxFiles.read(file);
  }

  @Test
  void writesTheStandardIdxLayout() throws Exception {
    IdxArray a = IdxArray.ofUnsignedBytes(new byte[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Path file = dir.resolve("x-idx2-ubyte");
    IdxFiles.write(file, a, Compression.NONE);
    assertThat(Files.readAllBytes(file)).containsExactly(
        0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6);
  }

  @Test
  void detectsGzipByContentNotByName() throws Exception {
    IdxArray a = randomArray(IdxType.INT, new int[] {4, 4}, 1);
    Path gzipNamedPlain = dir.resolve("plain.gz");
    Path plainNamedGzip = dir.resolve("compressed.idx");
    IdxFiles.write(gzipNamedPlain, a, Compression.NONE);
    IdxFiles.write(plainNamedGzip, a, Compression.GZIP);
    assertThat(IdxFiles.read(gzipNamedPlain)).isEqualTo(a);
    assertThat(IdxFiles.read(plainNamedGzip)).isEqualTo(a);
    assertThat(IdxFiles.inspect(plainNamedGzip).compression()).isEqualTo(Compression.GZIP);
  }

  @Test
  void readsStreamsPlainAndGzip() throws Exception {
    IdxArray a = randomArray(IdxType.FLOAT, new int[] {3, 3}, 2);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    IdxFiles.writeTo(plain, a);
    assertThat(IdxFiles.read(new ByteArrayInputStream(plain.toByteArray()), "mem")).isEqualTo(a);
    Path gz = dir.resolve("s.gz");
    IdxFiles.write(gz, a, Compression.GZIP);
    assertThat(IdxFiles.read(new ByteArrayInputStream(Files.readAllBytes(gz)), "mem.gz")).isEqualTo(a);
  }

  @Test
  void readsConcatenatedGzipMembersAsOneStream() throws Exception {
    IdxArray a = randomArray(IdxType.UNSIGNED_BYTE, new int[] {10, 10}, 3);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    IdxFiles.writeTo(plain, a);
    byte[] all = plain.toByteArray();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    gz.write(GzipBytes.gzip(java.util.Arrays.copyOfRange(all, 0, 30)));
    gz.write(GzipBytes.gzip(java.util.Arrays.copyOfRange(all, 30, all.length)));
    Path file = dir.resolve("multi.gz");
    Files.write(file, gz.toByteArray());
    assertThat(IdxFiles.read(file)).isEqualTo(a);
  }

  @Test
  void overwritesAtomicallyLeavingNoTemporaryFiles() throws Exception {
    Path file = dir.resolve("o.idx");
    IdxFiles.write(file, randomArray(IdxType.SHORT, new int[] {5}, 1), Compression.NONE);
    IdxArray second = randomArray(IdxType.SHORT, new int[] {6}, 2);
    IdxFiles.write(file, second, Compression.GZIP);
    assertThat(IdxFiles.read(file)).isEqualTo(second);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void inspectReportsTheFileChecksum() throws Exception {
    Path file = dir.resolve("c.idx");
    IdxFiles.write(file, randomArray(IdxType.DOUBLE, new int[] {2, 2}, 9), Compression.GZIP);
    String expected = com.google.common.hash.Hashing.sha256().hashBytes(Files.readAllBytes(file)).toString();
    assertThat(IdxFiles.inspect(file).sha256()).isEqualTo(expected);
  }

  @Test
  void hashesTheDecompressedContentInTheSamePassWhateverThePackaging() throws Exception {
    IdxArray array = randomArray(IdxType.UNSIGNED_BYTE, new int[] {300, 28, 28}, 4);
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    IdxFiles.writeTo(idx, array);
    String content = com.google.common.hash.Hashing.sha256().hashBytes(idx.toByteArray()).toString();
    Path gz = dir.resolve("a.gz");
    Path plain = dir.resolve("a");
    IdxFiles.write(gz, array, Compression.GZIP);
    IdxFiles.write(plain, array, Compression.NONE);
    for (Path file : java.util.List.of(gz, plain)) {
      java.security.MessageDigest fileDigest = dev.mnistlab.data.internal.Sha256.newDigest();
      java.security.MessageDigest contentDigest = dev.mnistlab.data.internal.Sha256.newDigest();
      assertThat(IdxFiles.read(file, fileDigest, contentDigest)).isEqualTo(array);
      assertThat(dev.mnistlab.data.internal.Sha256.hex(contentDigest)).as(file.toString()).isEqualTo(content);
      assertThat(dev.mnistlab.data.internal.Sha256.hex(fileDigest))
          .isEqualTo(com.google.common.hash.Hashing.sha256().hashBytes(Files.readAllBytes(file)).toString());
      assertThat(IdxFiles.inspect(file).contentSha256()).isEqualTo(content);
    }
  }
}
