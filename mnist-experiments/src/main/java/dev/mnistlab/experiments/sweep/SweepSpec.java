package dev.mnistlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The search part of a sweep config: W&amp;B's sweep object as mnistlab understands it.
 *
 * @param name the sweep's name
 * @param description free text, possibly empty
 * @param method how the next trial is chosen
 * @param metric what is optimised
 * @param parameters each swept parameter's distribution, in config order
 * @param hyperband early termination, when configured
 * @param runCap the maximum number of trials, when set (required for random and bayes)
 * @param wandbConfig the sweep object exactly as written (to create the same sweep on W&amp;B)
 */
public record SweepSpec(
    String name,
    String description,
    SearchMethod method,
    SweepMetric metric,
    Map<SweepParameter, ParameterDistribution> parameters,
    Optional<Hyperband> hyperband,
    OptionalInt runCap,
    JsonNode wandbConfig) {

  /**
   * The most trials a sweep may plan: a grid larger than this is refused when the config is read
   * unless {@code run_cap} bounds it, and {@code run_cap} may not exceed it.
   */
  public static final int MAX_TRIALS = 100_000;

  /** Copies and checks the components. */
  public SweepSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(metric, "metric");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    Objects.requireNonNull(hyperband, "hyperband");
    Objects.requireNonNull(runCap, "runCap");
    wandbConfig = Objects.requireNonNull(wandbConfig, "wandbConfig").deepCopy();
  }

  /** The sweep object as written in the config (a copy). */
  @Override
  public JsonNode wandbConfig() {
    return wandbConfig.deepCopy();
  }

  /**
   * How many trials the sweep will run at most: for a grid its size (bounded by {@code run_cap}),
   * else {@code run_cap}. At most {@link #MAX_TRIALS} for a config that was read.
   */
  public long plannedTrials() {
    if (method != SearchMethod.GRID) {
      return runCap.orElse(MAX_TRIALS);
    }
    long product = 1;
    for (ParameterDistribution d : parameters.values()) {
      int n = d.gridValues().map(java.util.List::size).orElse(1);
      product = product > Long.MAX_VALUE / n ? Long.MAX_VALUE : product * n;
    }
    return runCap.isPresent() ? Math.min(product, runCap.getAsInt()) : product;
  }
}
