package dev.mnistlab.data;

/** How a batch of images is shaped for a network's input. */
public enum ImageLayout {
  /** {@code [batch, 1, rows, cols]}: channels first, for convolutional networks. */
  NCHW,
  /**
   * {@code [batch, rows, cols, 1]}: channels last, for convolutional layers configured with DL4J's
   * {@code CNN2DFormat.NHWC}. With one channel the values are in the same order as {@link #NCHW}.
   */
  NHWC,
  /** {@code [batch, rows * cols]}: one flat row per image, for dense networks (MLPs). */
  FLAT
}
