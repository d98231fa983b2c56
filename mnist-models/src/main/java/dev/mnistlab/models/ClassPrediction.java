package dev.mnistlab.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The model's answer for one image: all class probabilities, the most likely class and the top
 * {@code k}. Immutable.
 */
public final class ClassPrediction {

  private final List<ClassProbability> probabilities;

  ClassPrediction(double[] probabilities, List<String> classNames) {
    List<ClassProbability> list = new ArrayList<>(probabilities.length);
    for (int i = 0; i < probabilities.length; i++) {
      String name = i < classNames.size() ? classNames.get(i) : Integer.toString(i);
      list.add(new ClassProbability(i, name, probabilities[i]));
    }
    this.probabilities = List.copyOf(list);
  }

  /** The most likely class index. */
  public int label() {
    return top(1).get(0).label();
  }

  /** The most likely class name. */
  public String name() {
    return top(1).get(0).name();
  }

  /** The probability of the most likely class. */
  public double probability() {
    return top(1).get(0).probability();
  }

  /** Probabilities of all classes, by class index. */
  public List<ClassProbability> probabilities() {
    return probabilities;
  }

  /** The {@code k} most likely classes, most likely first (ties by lower index). */
  public List<ClassProbability> top(int k) {
    return probabilities.stream()
        .sorted(
            Comparator.comparingDouble(ClassProbability::probability)
                .reversed()
                .thenComparingInt(ClassProbability::label))
        .limit(Math.max(0, k))
        .toList();
  }

  @Override
  public String toString() {
    return "ClassPrediction{" + name() + " " + String.format(java.util.Locale.ROOT, "%.4f", probability()) + "}";
  }
}
