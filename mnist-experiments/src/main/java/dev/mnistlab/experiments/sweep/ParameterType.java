package dev.mnistlab.experiments.sweep;

/** The JSON value type of a sweep parameter. */
public enum ParameterType {
  /** Whole numbers, held as {@link Long}. */
  INTEGER,
  /** Real numbers, held as {@link Double}. */
  NUMBER,
  /** Names, held as {@link String}. */
  STRING,
  /** Switches, held as {@link Boolean}. */
  BOOLEAN,
  /**
   * A set of other parameters chosen together, held as an unmodifiable {@code Map<String, Object>}
   * from config name to value (see {@link SweepParameter#VARIANT}).
   */
  OBJECT
}
