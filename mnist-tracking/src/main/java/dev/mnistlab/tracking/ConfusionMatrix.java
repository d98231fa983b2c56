package dev.mnistlab.tracking;

import java.util.List;
import java.util.Objects;

/**
 * A confusion matrix logged as W&amp;B's own confusion-matrix chart ({@code
 * run.log(Map.of("confusion_matrix", matrix))}): the history row gets the table {@code
 * <key>_table} with columns {@code Actual}, {@code Predicted}, {@code nPredictions} (one row per
 * class pair, as {@code wandb.plot.confusion_matrix} makes it) and the run config the {@code
 * _wandb.visualize.<key>} entry that draws it (PROTOCOL §11.4). Immutable.
 */
public final class ConfusionMatrix {
  /** The chart W&amp;B draws a confusion matrix with. */
  public static final String PANEL = "wandb/confusion_matrix/v1";
  /** The table's columns, as W&amp;B's chart expects them. */
  public static final List<String> COLUMNS = List.of("Actual", "Predicted", "nPredictions");

  private final List<String> classNames;
  private final long[][] counts;
  private final String title;

  private ConfusionMatrix(List<String> classNames, long[][] counts, String title) {
    this.classNames = classNames;
    this.counts = counts;
    this.title = title;
  }

  /**
   * A matrix of {@code counts[actual][predicted]} over {@code classNames}.
   *
   * @throws IllegalArgumentException if the matrix is not square over the class names or a count
   *     is negative
   */
  public static ConfusionMatrix of(List<String> classNames, long[][] counts) {
    List<String> names = List.copyOf(classNames);
    Objects.requireNonNull(counts, "counts");
    if (names.isEmpty() || counts.length != names.size()) {
      throw new IllegalArgumentException("confusion matrix has " + counts.length + " rows for "
          + names.size() + " class names: expected one row per class");
    }
    long[][] copy = new long[counts.length][];
    for (int a = 0; a < counts.length; a++) {
      if (counts[a].length != names.size()) {
        throw new IllegalArgumentException("confusion matrix row " + a + " has " + counts[a].length
            + " counts: expected " + names.size());
      }
      for (long c : counts[a]) {
        if (c < 0) {
          throw new IllegalArgumentException("confusion matrix row " + a + " has a negative count " + c);
        }
      }
      copy[a] = counts[a].clone();
    }
    return new ConfusionMatrix(names, copy, "Confusion Matrix");
  }

  /**
   * The matrix of {@code predictions} over {@code classNames}.
   *
   * @throws IllegalArgumentException if a label is outside the class names
   */
  public static ConfusionMatrix of(List<String> classNames, Iterable<TestPrediction> predictions) {
    long[][] counts = new long[classNames.size()][classNames.size()];
    for (TestPrediction p : predictions) {
      if (p.trueLabel() < 0 || p.trueLabel() >= counts.length || p.predictedLabel() < 0
          || p.predictedLabel() >= counts.length) {
        throw new IllegalArgumentException("prediction for test image " + p.imageIndex()
            + " has labels " + p.trueLabel() + " -> " + p.predictedLabel() + ", outside the "
            + counts.length + " class names");
      }
      counts[p.trueLabel()][p.predictedLabel()]++;
    }
    return of(classNames, counts);
  }

  /** This matrix with the chart title {@code title}. */
  public ConfusionMatrix withTitle(String title) {
    return new ConfusionMatrix(classNames, counts, Objects.requireNonNull(title, "title"));
  }

  /** The class names, index = label. */
  public List<String> classNames() {
    return classNames;
  }

  /** How many images of class {@code actual} were predicted as {@code predicted}. */
  public long count(int actual, int predicted) {
    return counts[actual][predicted];
  }

  /** The chart title. */
  public String title() {
    return title;
  }

  /** The table W&amp;B's chart reads: one {@code Actual, Predicted, nPredictions} row per pair. */
  public Table table() {
    Table.Builder b = Table.builder(COLUMNS.toArray(new String[0]));
    for (int a = 0; a < counts.length; a++) {
      for (int p = 0; p < counts.length; p++) {
        b.row(classNames.get(a), classNames.get(p), counts[a][p]);
      }
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m && m.classNames.equals(classNames)
        && java.util.Arrays.deepEquals(m.counts, counts) && m.title.equals(title);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classNames, java.util.Arrays.deepHashCode(counts), title);
  }

  @Override
  public String toString() {
    return "ConfusionMatrix{classes=" + classNames.size() + ", title=" + title + "}";
  }
}
