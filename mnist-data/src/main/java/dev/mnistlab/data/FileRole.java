package dev.mnistlab.data;

/** The four files every MNIST-family dataset consists of. */
public enum FileRole {
  /** Training images, {@code train-images-idx3-ubyte}. */
  TRAIN_IMAGES("train-images-idx3-ubyte"),
  /** Training labels, {@code train-labels-idx1-ubyte}. */
  TRAIN_LABELS("train-labels-idx1-ubyte"),
  /** Test images, {@code t10k-images-idx3-ubyte}. */
  TEST_IMAGES("t10k-images-idx3-ubyte"),
  /** Test labels, {@code t10k-labels-idx1-ubyte}. */
  TEST_LABELS("t10k-labels-idx1-ubyte");

  private final String baseName;

  FileRole(String baseName) {
    this.baseName = baseName;
  }

  /** The file's name without compression suffix, e.g. {@code train-images-idx3-ubyte}. */
  public String baseName() {
    return baseName;
  }

  /** The file's name as published, gzip-compressed, e.g. {@code train-images-idx3-ubyte.gz}. */
  public String gzipName() {
    return baseName + ".gz";
  }
}
