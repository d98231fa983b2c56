package dev.mnistlab.data.bench;

import dev.mnistlab.data.IdxArray;
import dev.mnistlab.data.IdxFiles;
import dev.mnistlab.data.KnownDataset;
import dev.mnistlab.data.MnistDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Benchmark (not a test): parsing a gzip IDX image file into memory with {@link IdxFiles#read}
 * against the cheapest thing plain Java can do with the same file, gunzipping it into one
 * preallocated array with {@link GZIPInputStream} (a 1 MiB buffer) and not parsing anything.
 * A third variant is the verifying read {@code MnistDataset.load} does: {@link
 * IdxFiles#read(Path, MessageDigest, MessageDigest)}, hashing the file and its decompressed content
 * in the same pass. All run in turn in one JVM, after warm-up; the medians are printed.
 *
 * <p>Run it with {@code mnist-data/scripts/bench-idx.sh}, which also runs the numpy peer and prints
 * the ratios. Arguments: {@code [file] [warmup] [repetitions]}.
 */
public final class IdxParseBenchmark {
  private IdxParseBenchmark() {}

  /** Runs the benchmark and prints one {@code key=value} line per result. */
  public static void main(String[] args) throws IOException {
    Path file = Paths.get(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    long decompressed = Files.size(file) > 0 ? gunzipSize(file) : 0;

    long checksum = 0;
    double[] parse = new double[reps];
    double[] gunzip = new double[reps];
    // CPU time of this thread too: on a shared machine it is far steadier than wall time
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] parseCpu = new double[reps];
    double[] gunzipCpu = new double[reps];
    double[] verify = new double[reps];
    double[] verifyCpu = new double[reps];
    for (int i = -warmup; i < reps; i++) {
      // alternate the order so neither side always runs on a just-collected heap
      boolean parseFirst = (i & 1) == 0;
      {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        IdxArray a = IdxFiles.read(file, sha256(), sha256());
        double s = (System.nanoTime() - t0) / 1e9;
        double c = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        checksum += a.count();
        if (i >= 0) {
          verify[i] = s;
          verifyCpu[i] = c;
        }
      }
      for (int k = 0; k < 2; k++) {
        if ((k == 0) == parseFirst) {
          long c0 = mx.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          IdxArray a = IdxFiles.read(file);
          double s = (System.nanoTime() - t0) / 1e9;
          double c = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
          checksum += a.count();
          if (i >= 0) {
            parse[i] = s;
            parseCpu[i] = c;
          }
        } else {
          long c0 = mx.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          byte[] b = gunzipInto(file, (int) decompressed);
          double s = (System.nanoTime() - t0) / 1e9;
          double c = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
          checksum += b[b.length - 1];
          if (i >= 0) {
            gunzip[i] = s;
            gunzipCpu[i] = c;
          }
        }
      }
    }
    // the whole four-file dataset, for information (includes SHA-256 of every file)
    Path folder = file.getParent();
    double[] dataset = new double[Math.max(3, reps / 3)];
    for (int i = -1; i < dataset.length; i++) {
      long t0 = System.nanoTime();
      MnistDataset d = MnistDataset.load(folder, KnownDataset.FASHION_MNIST);
      double s = (System.nanoTime() - t0) / 1e9;
      checksum += d.train().count();
      if (i >= 0) {
        dataset[i] = s;
      }
    }
    System.out.printf(Locale.ROOT, "file=%s%n", file);
    System.out.printf(Locale.ROOT, "decompressed_bytes=%d%n", decompressed);
    System.out.printf(Locale.ROOT, "repetitions=%d warmup=%d%n", reps, warmup);
    System.out.printf(Locale.ROOT, "java_parse_median_s=%.4f%n", median(parse));
    System.out.printf(Locale.ROOT, "java_gunzip_median_s=%.4f%n", median(gunzip));
    System.out.printf(Locale.ROOT, "java_parse_min_s=%.4f%n", min(parse));
    System.out.printf(Locale.ROOT, "java_gunzip_min_s=%.4f%n", min(gunzip));
    System.out.printf(Locale.ROOT, "java_parse_cpu_median_s=%.4f%n", median(parseCpu));
    System.out.printf(Locale.ROOT, "java_gunzip_cpu_median_s=%.4f%n", median(gunzipCpu));
    System.out.printf(Locale.ROOT, "java_parse_verify_median_s=%.4f%n", median(verify));
    System.out.printf(Locale.ROOT, "java_parse_verify_cpu_median_s=%.4f%n", median(verifyCpu));
    System.out.printf(Locale.ROOT, "java_load_dataset_with_sha256_median_s=%.4f%n", median(dataset));
    System.out.printf(Locale.ROOT, "parse_over_gunzip=%.3f%n", median(parse) / median(gunzip));
    System.out.printf(Locale.ROOT, "checksum=%d%n", checksum);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The baseline: gunzip into one preallocated array, no parsing, no validation. */
  static byte[] gunzipInto(Path file, int size) throws IOException {
    byte[] out = new byte[size];
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 20)) {
      int n = in.readNBytes(out, 0, size);
      if (n != size) {
        throw new IOException("short read " + n);
      }
    }
    return out;
  }

  private static long gunzipSize(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 20)) {
      return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }
}
