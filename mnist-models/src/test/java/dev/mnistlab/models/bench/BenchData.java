package dev.mnistlab.models.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Images and labels of one IDX split, as bytes, for the benchmarks (kept independent of the data
 * module so the speed benchmark measures DL4J, not our loader).
 */
final class BenchData {
  final byte[] pixels;
  final byte[] labels;
  final int count;

  private BenchData(byte[] pixels, byte[] labels) {
    this.pixels = pixels;
    this.labels = labels;
    this.count = labels.length;
  }

  static BenchData load(Path dir, String prefix) throws IOException {
    byte[] images = read(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 16);
    byte[] labels = read(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 8);
    if (images.length != labels.length * 784) {
      throw new IOException("images and labels disagree in " + dir);
    }
    return new BenchData(images, labels);
  }

  private static byte[] read(Path file, int header) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
      in.readNBytes(header);
      return in.readAllBytes();
    }
  }
}
