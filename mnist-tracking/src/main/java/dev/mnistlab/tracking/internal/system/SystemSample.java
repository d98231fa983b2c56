package dev.mnistlab.tracking.internal.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One sample of system metrics. A figure the platform could not give is empty and left out of the
 * W&amp;B line (rather than sent as 0, which would chart as a real value).
 *
 * @param cpuPercent CPU use of the whole machine, percent of all cores
 * @param processCpuPercent CPU use of this JVM, percent of all cores
 * @param processRssMb resident set size of this JVM, MiB
 * @param memoryPercent memory in use on the machine, percent
 * @param processMemoryPercent this JVM's resident set, percent of the machine's memory
 * @param heapUsedMb JVM heap in use, MiB
 * @param nd4jOffHeapMb off-heap memory ND4J (JavaCPP) holds, MiB
 * @param threads live threads of this JVM
 * @param diskMount the mount point of the store's volume (empty for a PostgreSQL store)
 * @param diskUsedPercent used space of that volume, percent
 * @param diskUsedGb used space of that volume, GiB
 */
public record SystemSample(OptionalDouble cpuPercent, OptionalDouble processCpuPercent,
    OptionalDouble processRssMb, OptionalDouble memoryPercent, OptionalDouble processMemoryPercent,
    double heapUsedMb, OptionalDouble nd4jOffHeapMb, int threads, String diskMount,
    OptionalDouble diskUsedPercent, OptionalDouble diskUsedGb) {

  /**
   * The {@code system.*} keys of a {@code wandb-events.jsonl} line (the names of W&amp;B's own
   * client where it has one: {@code system.cpu}, {@code system.memory_percent},
   * {@code system.proc.memory.rssMB}, {@code system.proc.cpu.threads},
   * {@code system.disk.<mount>.usagePercent}; JVM figures under {@code system.jvm.*}).
   */
  public Map<String, Object> eventValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "system.cpu", cpuPercent);
    put(m, "system.proc.cpu.percent", processCpuPercent);
    put(m, "system.memory_percent", memoryPercent);
    put(m, "system.proc.memory.rssMB", processRssMb);
    put(m, "system.proc.memory.percent", processMemoryPercent);
    m.put("system.proc.cpu.threads", threads);
    m.put("system.jvm.heap.usedMB", round(heapUsedMb));
    put(m, "system.jvm.nd4j.offHeapMB", nd4jOffHeapMb);
    if (!diskMount.isEmpty()) {
      put(m, "system.disk." + diskMount + ".usagePercent", diskUsedPercent);
      put(m, "system.disk." + diskMount + ".usageGB", diskUsedGb);
    }
    return m;
  }

  private static void put(Map<String, Object> m, String key, OptionalDouble v) {
    if (v.isPresent()) {
      m.put(key, round(v.getAsDouble()));
    }
  }

  /** Two decimals, as the charts show them; keeps the lines short. */
  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
