package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stratified split of a training set into training and validation parts: every class keeps (to
 * within one image) the proportion it has in the whole set, the parts are disjoint and together
 * cover every image, and the same seed always gives the same split.
 */
public final class TrainValidationSplit {
  private final LabeledImages train;
  private final LabeledImages validation;
  private final int[] trainIndices;
  private final int[] validationIndices;

  private TrainValidationSplit(LabeledImages source, int[] trainIndices, int[] validationIndices) {
    this.trainIndices = trainIndices;
    this.validationIndices = validationIndices;
    this.train = source.subset(trainIndices);
    this.validation = source.subset(validationIndices);
  }

  /**
   * The default validation size: a tenth of the set, rounded down (6,000 of MNIST's 60,000, as in
   * the three-model study; 800 of mnist-10k's 8,000).
   */
  public static int defaultValidationSize(int count) {
    return count / 10;
  }

  /** A stratified split with the {@linkplain #defaultValidationSize default validation size}. */
  public static TrainValidationSplit stratified(LabeledImages images, long seed) {
    return stratified(images, defaultValidationSize(images.count()), seed);
  }

  /**
   * Splits {@code images} so that {@code validationSize} images go to validation, each class
   * contributing in proportion to its size (largest-remainder rounding, ties broken by class
   * index). Within each class the images are chosen by a seeded shuffle; both parts keep the
   * original order of the images.
   *
   * @throws IllegalArgumentException if {@code validationSize} is negative or above the count
   */
  public static TrainValidationSplit stratified(LabeledImages images, int validationSize, long seed) {
    int n = images.count();
    checkArgument(validationSize >= 0 && validationSize <= n,
        "validationSize must be 0..%s, got %s", n, validationSize);
    int k = images.numClasses();
    List<List<Integer>> byClass = new ArrayList<>(k);
    for (int c = 0; c < k; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      byClass.get(images.label(i)).add(i);
    }
    int[] quota = quotas(byClass, validationSize, n);
    boolean[] toValidation = new boolean[n];
    SplittableRandom random = new SplittableRandom(seed);
    for (int c = 0; c < k; c++) {
      int[] members = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
      // partial Fisher-Yates: the first quota[c] positions become a uniform random sample
      for (int i = 0; i < quota[c]; i++) {
        int j = i + random.nextInt(members.length - i);
        int t = members[i];
        members[i] = members[j];
        members[j] = t;
        toValidation[members[i]] = true;
      }
    }
    int[] trainIdx = new int[n - validationSize];
    int[] validIdx = new int[validationSize];
    int t = 0;
    int v = 0;
    for (int i = 0; i < n; i++) {
      if (toValidation[i]) {
        validIdx[v++] = i;
      } else {
        trainIdx[t++] = i;
      }
    }
    return new TrainValidationSplit(images, trainIdx, validIdx);
  }

  /** Per-class validation counts summing to {@code total}, proportional to class sizes. */
  private static int[] quotas(List<List<Integer>> byClass, int total, int n) {
    int k = byClass.size();
    int[] quota = new int[k];
    double[] remainder = new double[k];
    int assigned = 0;
    for (int c = 0; c < k; c++) {
      double exact = n == 0 ? 0 : (double) byClass.get(c).size() * total / n;
      quota[c] = (int) Math.floor(exact);
      remainder[c] = exact - quota[c];
      assigned += quota[c];
    }
    Integer[] order = new Integer[k];
    for (int c = 0; c < k; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (a, b) -> Double.compare(remainder[b], remainder[a]));
    for (int i = 0; assigned < total; i++) {
      int c = order[i % k];
      if (quota[c] < byClass.get(c).size()) {
        quota[c]++;
        assigned++;
      }
    }
    return quota;
  }

  /** The training part. */
  public LabeledImages train() {
    return train;
  }

  /** The validation part. */
  public LabeledImages validation() {
    return validation;
  }

  /** Indices into the original set of the training part, ascending (a copy). */
  public int[] trainIndices() {
    return trainIndices.clone();
  }

  /** Indices into the original set of the validation part, ascending (a copy). */
  public int[] validationIndices() {
    return validationIndices.clone();
  }
}
