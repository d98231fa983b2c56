package dev.mnistlab.experiments.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Grid search: the cartesian product of every parameter's values, in config order with the last
 * parameter varying fastest; capped by {@code run_cap}.
 */
final class GridSearch implements SearchStrategy {
  private final List<SweepParameter> names = new ArrayList<>();
  private final List<List<Object>> axes = new ArrayList<>();
  private final long size;

  GridSearch(SweepSpec sweep) {
    long product = 1;
    for (Map.Entry<SweepParameter, ParameterDistribution> e : sweep.parameters().entrySet()) {
      List<Object> values = e.getValue().gridValues().orElseThrow(() ->
          new IllegalArgumentException("grid search needs discrete values for " + e.getKey()));
      names.add(e.getKey());
      axes.add(values);
      product = Math.multiplyExact(product, values.size());
    }
    this.size = sweep.runCap().isPresent() ? Math.min(product, sweep.runCap().getAsInt()) : product;
  }

  /** The number of trials this grid will run. */
  long size() {
    return size;
  }

  @Override
  public Optional<TrialParameters> suggest(int index, List<TrialOutcome> history) {
    if (index >= size) {
      return Optional.empty();
    }
    Map<SweepParameter, Object> values = new LinkedHashMap<>();
    long rest = index;
    Object[] chosen = new Object[axes.size()];
    for (int i = axes.size() - 1; i >= 0; i--) {
      List<Object> axis = axes.get(i);
      chosen[i] = axis.get((int) (rest % axis.size()));
      rest /= axis.size();
    }
    for (int i = 0; i < names.size(); i++) {
      values.put(names.get(i), chosen[i]);
    }
    return Optional.of(new TrialParameters(index, values));
  }
}
