package dev.mnistlab.experiments.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Random search: each trial samples every parameter independently from its distribution. Trial
 * {@code i} uses its own random stream derived from the seed and {@code i}, so it is the same
 * whatever ran before it.
 */
final class RandomSearch implements SearchStrategy {
  private final SweepSpec sweep;
  private final long seed;

  RandomSearch(SweepSpec sweep, long seed) {
    this.sweep = sweep;
    this.seed = seed;
  }

  @Override
  public Optional<TrialParameters> suggest(int index, List<TrialOutcome> history) {
    if (sweep.runCap().isPresent() && index >= sweep.runCap().getAsInt()) {
      return Optional.empty();
    }
    return Optional.of(sample(sweep, index, streamFor(seed, index)));
  }

  static TrialParameters sample(SweepSpec sweep, int index, Random random) {
    Map<SweepParameter, Object> values = new LinkedHashMap<>();
    sweep.parameters().forEach((p, d) -> values.put(p, d.sample(random)));
    return new TrialParameters(index, values);
  }

  /** A random stream for trial {@code index}: SplitMix64 of seed and index, so streams differ. */
  static Random streamFor(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }
}
