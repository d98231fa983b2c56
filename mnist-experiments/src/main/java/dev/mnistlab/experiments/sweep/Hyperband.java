package dev.mnistlab.experiments.sweep;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Hyperband early termination as W&amp;B's sweep controller applies it: at each bracket epoch, a
 * running trial whose metric is not in the best {@code 1/eta} of the trials that reached that
 * bracket is stopped.
 *
 * <p>Brackets: with {@code min_iter}, {@code min_iter * eta^k} for k = 0, 1, 2, ...; with {@code
 * max_iter} and {@code s}, {@code max_iter / eta^k} for k = 1..s (those at least 1), ascending.
 * The threshold at a bracket is the value at rank {@code floor(n / eta)} of the n trials' (sorted,
 * best first) metrics at that epoch. A trial is judged at the latest bracket it has reached, by its
 * metric at that epoch ({@code strict}, the default) or by its best value so far (not strict).
 *
 * @param brackets the epochs (1-based) at which trials are judged, ascending
 * @param eta the fraction 1/eta of trials survive each bracket; greater than 1
 * @param strict judge by the value at the bracket epoch rather than the best so far
 */
public record Hyperband(List<Integer> brackets, double eta, boolean strict) {

  /** Copies and checks the components. */
  public Hyperband {
    brackets = List.copyOf(brackets);
    if (brackets.isEmpty()) {
      throw new IllegalArgumentException("hyperband needs at least one bracket");
    }
    if (!(eta > 1)) {
      throw new IllegalArgumentException("eta must be > 1");
    }
  }

  /** Hyperband with brackets {@code minIter * eta^k} up to {@code maxEpochs}. */
  public static Hyperband fromMinIter(int minIter, double eta, boolean strict, int maxEpochs) {
    List<Integer> brackets = new ArrayList<>();
    double bracket = minIter;
    for (int k = 0; k < 100 && (int) bracket <= Math.max(maxEpochs, minIter); k++) {
      if (brackets.isEmpty() || brackets.get(brackets.size() - 1) != (int) bracket) {
        brackets.add((int) bracket);
      }
      bracket *= eta;
    }
    return new Hyperband(brackets, eta, strict);
  }

  /** Hyperband with brackets {@code maxIter / eta^k} for k = 1..s (W&amp;B's second form). */
  public static Hyperband fromMaxIter(int maxIter, int s, double eta, boolean strict) {
    List<Integer> brackets = new ArrayList<>();
    double bracket = maxIter;
    for (int k = 0; k < s; k++) {
      bracket /= eta;
      if (bracket < 1) {
        break;
      }
      brackets.add(0, (int) bracket);
    }
    return new Hyperband(brackets, eta, strict);
  }

  /**
   * Decides whether a running trial should stop now.
   *
   * @param goal whether the metric is minimised or maximised
   * @param running the running trial's metric per epoch so far (epoch 1 first)
   * @param all the per-epoch histories of every trial of the sweep, including {@code running}
   * @return true when the trial is outside the best 1/eta at the latest bracket it has reached
   */
  public boolean shouldStop(Goal goal, List<Double> running, Collection<List<Double>> all) {
    Objects.requireNonNull(goal, "goal");
    int reached = -1;
    for (int bracket : brackets) {
      if (bracket <= running.size()) {
        reached = bracket;
      }
    }
    if (reached < 0) {
      return false;
    }
    List<Double> atBracket = new ArrayList<>();
    for (List<Double> history : all) {
      if (history.size() >= reached) {
        atBracket.add(goal.toMinimized(history.get(reached - 1)));
      }
    }
    atBracket.sort(null);
    double threshold = atBracket.get((int) Math.floor(atBracket.size() / eta));
    double value;
    if (strict) {
      value = goal.toMinimized(running.get(reached - 1));
    } else {
      value = Double.POSITIVE_INFINITY;
      for (double v : running) {
        value = Math.min(value, goal.toMinimized(v));
      }
    }
    return value > threshold;
  }
}
