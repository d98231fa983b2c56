package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable set of equally sized grey-scale images with one class label each, such as one split
 * of MNIST.
 *
 * <p>Pixels stay unsigned bytes (0 = background, 255 = full ink), one byte per pixel in row-major
 * order, image after image: 60,000 MNIST images take 47 MB. Convert to floats per batch, as
 * {@link MnistDataSetIterator} does. Instances are safe to share between threads.
 */
public final class LabeledImages {
  private final byte[] pixels;
  private final byte[] labels;
  private final int count;
  private final int rows;
  private final int cols;
  private final int numClasses;

  private LabeledImages(byte[] pixels, byte[] labels, int rows, int cols, int numClasses) {
    this.pixels = pixels;
    this.labels = labels;
    this.count = labels.length;
    this.rows = rows;
    this.cols = cols;
    this.numClasses = numClasses;
  }

  /**
   * Pairs an image array ({@link IdxType#UNSIGNED_BYTE}, dimensions count × rows × cols) with a
   * label array ({@link IdxType#UNSIGNED_BYTE}, dimension count).
   *
   * @throws IllegalArgumentException if the types or ranks are wrong, the counts differ, or a
   *     label is not in {@code 0..numClasses-1}
   */
  public static LabeledImages of(IdxArray images, IdxArray labels, int numClasses) {
    checkArgument(images.type() == IdxType.UNSIGNED_BYTE && images.rank() == 3,
        "images must be UNSIGNED_BYTE count x rows x cols, got %s", images);
    checkArgument(labels.type() == IdxType.UNSIGNED_BYTE && labels.rank() == 1,
        "labels must be UNSIGNED_BYTE of rank 1, got %s", labels);
    return create(images.payloadNoCopy(), labels.payloadNoCopy(), images.dim(1), images.dim(2), numClasses,
        images.count());
  }

  /**
   * Images from row-major unsigned pixel bytes (copied) and labels (copied, values 0..255 read
   * unsigned).
   *
   * @throws IllegalArgumentException if the sizes do not match or a label is out of range
   */
  public static LabeledImages of(byte[] pixels, byte[] labels, int rows, int cols, int numClasses) {
    return create(pixels.clone(), labels.clone(), rows, cols, numClasses, labels.length);
  }

  private static LabeledImages create(byte[] pixels, byte[] labels, int rows, int cols, int numClasses,
      int imageCount) {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    checkArgument(rows > 0 && cols > 0, "images must have positive rows and cols, got %sx%s", rows, cols);
    checkArgument(numClasses >= 1 && numClasses <= 256, "numClasses must be 1..256, got %s", numClasses);
    checkArgument(imageCount == labels.length, "%s images but %s labels", imageCount, labels.length);
    checkArgument((long) labels.length * rows * cols == pixels.length,
        "%s pixel bytes do not make %s images of %sx%s", pixels.length, labels.length, rows, cols);
    int bad = firstLabelOutside(labels, numClasses);
    checkArgument(bad < 0, "label %s at index %s is outside the classes 0..%s",
        bad < 0 ? 0 : labels[bad] & 0xFF, bad, numClasses - 1);
    return new LabeledImages(pixels, labels, rows, cols, numClasses);
  }

  /**
   * Reads an images file ({@code count x rows x cols} unsigned bytes) and its labels file, plain or
   * gzip, checked as a pair (matching counts, labels in {@code 0..numClasses-1}).
   *
   * @throws IdxFormatException naming the offending file if either is malformed or they do not match
   */
  public static LabeledImages read(Path imagesFile, Path labelsFile, int numClasses) throws IOException {
    IdxArray images = IdxFiles.read(imagesFile);
    IdxArray labels = IdxFiles.read(labelsFile);
    return MnistDataset.pair(imagesFile, images, labelsFile, labels, numClasses, "the dataset");
  }

  /**
   * The labels file beside an images file, by MNIST's naming: for {@code
   * t10k-images-idx3-ubyte.gz} the first existing of {@code t10k-labels-idx1-ubyte.gz} and {@code
   * t10k-labels-idx1-ubyte} (also across compressions). Empty if the name does not follow the
   * convention or no such file exists.
   */
  public static Optional<Path> labelsFileBeside(Path imagesFile) {
    Path name = imagesFile.getFileName();
    if (name == null || !name.toString().contains("images-idx3")) {
      return Optional.empty();
    }
    String base = name.toString().replace("images-idx3", "labels-idx1");
    String plain = base.endsWith(".gz") ? base.substring(0, base.length() - 3) : base;
    for (String candidate : new String[] {base, plain, plain + ".gz"}) {
      Path p = imagesFile.resolveSibling(candidate);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Index of the first label not in 0..numClasses-1, or -1. */
  static int firstLabelOutside(byte[] labels, int numClasses) {
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xFF) >= numClasses) {
        return i;
      }
    }
    return -1;
  }

  /** The number of images. */
  public int count() {
    return count;
  }

  /** Image height in pixels. */
  public int rows() {
    return rows;
  }

  /** Image width in pixels. */
  public int cols() {
    return cols;
  }

  /** Pixels per image ({@code rows() * cols()}, 784 for MNIST). */
  public int pixelsPerImage() {
    return rows * cols;
  }

  /** The number of classes labels are drawn from (labels are {@code 0..numClasses()-1}). */
  public int numClasses() {
    return numClasses;
  }

  /** The label of image {@code index}. */
  public int label(int index) {
    checkElementIndex(index, count, "image index");
    return labels[index] & 0xFF;
  }

  /** All labels, in image order (a copy). */
  public int[] labels() {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = labels[i] & 0xFF;
    }
    return out;
  }

  /** The pixels of image {@code index}, row-major unsigned bytes (a copy). */
  public byte[] image(int index) {
    checkElementIndex(index, count, "image index");
    byte[] out = new byte[pixelsPerImage()];
    System.arraycopy(pixels, index * pixelsPerImage(), out, 0, out.length);
    return out;
  }

  /** Pixel ({@code row}, {@code col}) of image {@code index} as 0..255. */
  public int pixel(int index, int row, int col) {
    checkElementIndex(index, count, "image index");
    checkElementIndex(row, rows, "row");
    checkElementIndex(col, cols, "col");
    return pixels[index * pixelsPerImage() + row * cols + col] & 0xFF;
  }

  /** How many images each class has: element {@code c} counts label {@code c}. */
  public int[] classCounts() {
    int[] counts = new int[numClasses];
    for (byte label : labels) {
      counts[label & 0xFF]++;
    }
    return counts;
  }

  /**
   * The images at {@code indices}, in that order (indices may repeat).
   *
   * @throws IndexOutOfBoundsException if an index is not an image index
   */
  public LabeledImages subset(int[] indices) {
    int ppi = pixelsPerImage();
    byte[] p = new byte[Math.multiplyExact(indices.length, ppi)];
    byte[] l = new byte[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int src = indices[i];
      checkElementIndex(src, count, "image index");
      System.arraycopy(pixels, src * ppi, p, i * ppi, ppi);
      l[i] = labels[src];
    }
    return new LabeledImages(p, l, rows, cols, numClasses);
  }

  /** Mean pixel value, scaled to [0, 1] (pixel / 255). */
  public double pixelMean() {
    long sum = 0;
    for (byte b : pixels) {
      sum += b & 0xFF;
    }
    return pixels.length == 0 ? 0 : sum / 255.0 / pixels.length;
  }

  /** Population standard deviation of pixel values, scaled to [0, 1] (pixel / 255). */
  public double pixelStd() {
    if (pixels.length == 0) {
      return 0;
    }
    long[] histogram = new long[256];
    for (byte b : pixels) {
      histogram[b & 0xFF]++;
    }
    double mean = pixelMean() * 255.0;
    double sq = 0;
    for (int v = 0; v < 256; v++) {
      double d = v - mean;
      sq += histogram[v] * d * d;
    }
    return Math.sqrt(sq / pixels.length) / 255.0;
  }

  /** The images as an IDX array ({@link IdxType#UNSIGNED_BYTE}, count × rows × cols). */
  public IdxArray imagesAsIdx() {
    return new IdxArray(IdxType.UNSIGNED_BYTE, new int[] {count, rows, cols}, pixels.clone());
  }

  /** The labels as an IDX array ({@link IdxType#UNSIGNED_BYTE}, count). */
  public IdxArray labelsAsIdx() {
    return new IdxArray(IdxType.UNSIGNED_BYTE, new int[] {count}, labels.clone());
  }

  /** The pixel bytes without copying; callers in this package must not modify them. */
  byte[] pixelsNoCopy() {
    return pixels;
  }

  /** The label bytes without copying; callers in this package must not modify them. */
  byte[] labelsNoCopy() {
    return labels;
  }

  /** For example {@code LabeledImages[60000 images 28x28, 10 classes]}. */
  @Override
  public String toString() {
    return "LabeledImages[" + count + " images " + rows + "x" + cols + ", " + numClasses + " classes]";
  }
}
