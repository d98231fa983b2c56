package dev.mnistlab.tracking;

import java.util.Arrays;
import java.util.Objects;

/**
 * One stored test-set prediction row of a run ({@link Run#predictions}, {@link LocalStore#predictions}): a network's input and output for one test image: the image's index in the test set, its raw
 * pixel bytes (row-major, unsigned), the true label, the predicted label and the class
 * probabilities. Immutable (arrays are copied in and out).
 */
public final class TestPrediction {
  private final int imageIndex;
  private final byte[] image;
  private final int trueLabel;
  private final int predictedLabel;
  private final float[] probabilities;

  private TestPrediction(int imageIndex, byte[] image, int trueLabel, int predictedLabel,
      float[] probabilities) {
    if (imageIndex < 0) {
      throw new IllegalArgumentException("imageIndex must be >= 0, was " + imageIndex);
    }
    this.imageIndex = imageIndex;
    this.image = Objects.requireNonNull(image, "image").clone();
    this.trueLabel = trueLabel;
    this.predictedLabel = predictedLabel;
    this.probabilities = Objects.requireNonNull(probabilities, "probabilities").clone();
  }

  /** Creates a prediction. */
  public static TestPrediction of(int imageIndex, byte[] image, int trueLabel, int predictedLabel,
      float[] probabilities) {
    return new TestPrediction(imageIndex, image, trueLabel, predictedLabel, probabilities);
  }

  /** Index of the image in the test set. */
  public int imageIndex() {
    return imageIndex;
  }

  /** A copy of the image's pixel bytes. */
  public byte[] image() {
    return image.clone();
  }

  /** True label. */
  public int trueLabel() {
    return trueLabel;
  }

  /** Predicted label. */
  public int predictedLabel() {
    return predictedLabel;
  }

  /** True when the prediction is right. */
  public boolean correct() {
    return trueLabel == predictedLabel;
  }

  /** A copy of the class probabilities. */
  public float[] probabilities() {
    return probabilities.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TestPrediction p && p.imageIndex == imageIndex && p.trueLabel == trueLabel
        && p.predictedLabel == predictedLabel && Arrays.equals(p.image, image)
        && Arrays.equals(p.probabilities, probabilities);
  }

  @Override
  public int hashCode() {
    return Objects.hash(imageIndex, trueLabel, predictedLabel, Arrays.hashCode(image),
        Arrays.hashCode(probabilities));
  }

  @Override
  public String toString() {
    return "TestPrediction{image=" + imageIndex + ", true=" + trueLabel + ", predicted="
        + predictedLabel + "}";
  }
}
