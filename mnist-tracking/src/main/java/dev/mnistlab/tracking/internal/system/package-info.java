/**
 * System metrics for W&amp;B's System tab: a cheap sampler of machine and process figures (CPU,
 * memory, threads, JVM heap, ND4J off-heap, disk of the store's volume) from the JDK's management
 * beans and {@code /proc}, without a native-metrics dependency.
 */
package dev.mnistlab.tracking.internal.system;
