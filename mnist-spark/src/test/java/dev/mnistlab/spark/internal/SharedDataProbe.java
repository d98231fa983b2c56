package dev.mnistlab.spark.internal;

/** What tests may ask {@link SharedData} about this JVM. */
public final class SharedDataProbe {
  private SharedDataProbe() {}

  /** How many times sweep data was rebuilt from a broadcast in this JVM. */
  public static int rebuilds() {
    return SharedData.rebuiltInThisJvm();
  }
}
