package dev.mnistlab.experiments.internal;

/** Store locations as they may be shown or written down: JDBC passwords removed. */
public final class StoreLocations {
  private StoreLocations() {}

  /**
   * Removes credentials from a JDBC URL ({@code password=...} parameters and {@code user:pass@}
   * authorities); plain paths are returned unchanged.
   */
  public static String redact(String location) {
    if (!location.startsWith("jdbc:")) {
      return location;
    }
    return location
        .replaceAll("(?i)([?&;]password=)[^&;]*", "$1***")
        .replaceAll("//([^/:@]+):[^@/]*@", "//$1:***@");
  }
}
