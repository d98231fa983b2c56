package dev.mnistlab.experiments.sweep;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the parameters of a sweep's trials. Suggestions are reproducible: the same sweep, seed,
 * index and history give the same parameters, which is what lets an interrupted sweep resume.
 */
public interface SearchStrategy {

  /**
   * Suggests the parameters of trial {@code index}.
   *
   * @param index the trial's position, from 0
   * @param history the outcomes of earlier finished trials (used by Bayesian search)
   * @return the parameters, or empty when the search is exhausted or the run cap is reached
   */
  Optional<TrialParameters> suggest(int index, List<TrialOutcome> history);

  /**
   * The strategy a sweep asks for.
   *
   * @param sweep the sweep
   * @param seed the seed of random and Bayesian search
   */
  static SearchStrategy forSweep(SweepSpec sweep, long seed) {
    return switch (sweep.method()) {
      case GRID -> new GridSearch(sweep);
      case RANDOM -> new RandomSearch(sweep, seed);
      case BAYES -> new BayesSearch(sweep, seed);
    };
  }
}
