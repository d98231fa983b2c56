package dev.mnistlab.tracking.internal.system;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@link SystemSample}s. Every source is read defensively: a figure the platform does not
 * give (no {@code /proc}, no {@code com.sun.management} bean, no ND4J) is left out, never fails the
 * run. A sample costs a few reads of {@code /proc} and the management beans (well under a
 * millisecond), taken on the sampler thread every 15 s by default, so training does not see it.
 */
public final class SystemSampler {
  private static final Logger LOG = LoggerFactory.getLogger(SystemSampler.class);
  private static final double MIB = 1024.0 * 1024.0;
  private static final double GIB = MIB * 1024.0;

  private final Path diskPath;
  private final Path procStatus;
  private final com.sun.management.OperatingSystemMXBean os;
  /** {@code org.bytedeco.javacpp.Pointer.totalBytes()}, or null when ND4J/JavaCPP is absent or broke. */
  private MethodHandle offHeapBytes;
  private boolean offHeapLookedUp;

  /**
   * A sampler for a store whose file lives at {@code storeFile} (null for a database server: no
   * disk figure).
   */
  public SystemSampler(Path storeFile) {
    this(storeFile, Path.of("/proc/self/status"));
  }

  SystemSampler(Path storeFile, Path procStatus) {
    this.diskPath = storeFile == null ? null : existingAncestor(storeFile.toAbsolutePath());
    this.procStatus = procStatus;
    java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    this.os = bean instanceof com.sun.management.OperatingSystemMXBean b ? b : null;
  }

  private static Path existingAncestor(Path p) {
    Path q = p;
    while (q != null && !Files.exists(q)) {
      q = q.getParent();
    }
    return q;
  }

  /** Takes one sample now. */
  public SystemSample sample() {
    OptionalDouble cpu = OptionalDouble.empty();
    OptionalDouble procCpu = OptionalDouble.empty();
    OptionalDouble memPercent = OptionalDouble.empty();
    long totalMemory = 0;
    if (os != null) {
      cpu = percent(os.getCpuLoad());
      procCpu = percent(os.getProcessCpuLoad());
      totalMemory = os.getTotalMemorySize();
      long free = os.getFreeMemorySize();
      if (totalMemory > 0 && free >= 0) {
        memPercent = OptionalDouble.of(100.0 * (totalMemory - available(free)) / totalMemory);
      }
    }
    OptionalDouble rss = rssBytes();
    OptionalDouble rssMb = rss.isPresent() ? OptionalDouble.of(rss.getAsDouble() / MIB) : rss;
    OptionalDouble procMem = rss.isPresent() && totalMemory > 0
        ? OptionalDouble.of(100.0 * rss.getAsDouble() / totalMemory) : OptionalDouble.empty();
    double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    int threads = ManagementFactory.getThreadMXBean().getThreadCount();
    String mount = "";
    OptionalDouble diskPercent = OptionalDouble.empty();
    OptionalDouble diskGb = OptionalDouble.empty();
    if (diskPath != null) {
      try {
        FileStore fs = Files.getFileStore(diskPath);
        long total = fs.getTotalSpace();
        long used = total - fs.getUnallocatedSpace();
        mount = mountPoint(fs, diskPath);
        if (total > 0) {
          diskPercent = OptionalDouble.of(100.0 * used / total);
          diskGb = OptionalDouble.of(used / GIB);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("no disk figure for {}: {}", diskPath, e.toString());
      }
    }
    return new SystemSample(cpu, procCpu, rssMb, memPercent, procMem, heap, offHeapMb(), threads,
        mount, diskPercent, diskGb);
  }

  /** Memory the kernel could hand out: MemAvailable when {@code /proc/meminfo} has it, else free. */
  private static long available(long free) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("MemAvailable:")) {
          return kib(line) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the bean's free memory is what there is
    }
    return free;
  }

  private static OptionalDouble percent(double load) {
    return load >= 0 && !Double.isNaN(load) ? OptionalDouble.of(100.0 * load) : OptionalDouble.empty();
  }

  private OptionalDouble rssBytes() {
    try {
      List<String> lines = Files.readAllLines(procStatus, StandardCharsets.US_ASCII);
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          return OptionalDouble.of(kib(line) * 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no process RSS from {}: {}", procStatus, e.toString());
    }
    return OptionalDouble.empty();
  }

  /** The number in a {@code /proc} line such as {@code VmRSS:   12345 kB}. */
  private static long kib(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]);
  }

  /** The mount point Linux prints in {@link FileStore#toString()} ("/mnt (dev)"), else the path. */
  private static String mountPoint(FileStore fs, Path path) {
    String s = fs.toString();
    int paren = s.lastIndexOf(" (");
    if (s.startsWith("/") && paren > 0) {
      return s.substring(0, paren);
    }
    return path.toString();
  }

  private OptionalDouble offHeapMb() {
    if (!offHeapLookedUp) {
      offHeapLookedUp = true;
      try {
        Class<?> pointer = Class.forName("org.bytedeco.javacpp.Pointer", false,
            SystemSampler.class.getClassLoader());
        offHeapBytes = MethodHandles.publicLookup().findStatic(pointer, "totalBytes",
            MethodType.methodType(long.class));
      } catch (ReflectiveOperationException | LinkageError e) {
        offHeapBytes = null;
      }
    }
    if (offHeapBytes == null) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of((long) offHeapBytes.invokeExact() / MIB);
    } catch (Throwable e) {
      // e.g. JavaCPP's natives failing to load: leave ND4J out from now on
      LOG.debug("no ND4J off-heap figure: {}", e.toString());
      offHeapBytes = null;
      return OptionalDouble.empty();
    }
  }
}
