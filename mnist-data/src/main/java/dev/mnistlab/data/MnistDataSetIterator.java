package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.AsyncDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Deeplearning4j {@link DataSetIterator} over {@link LabeledImages}: features are floats in
 * [0, 1] (pixel / 255) shaped {@code [batch, 1, rows, cols]} ({@link ImageLayout#NCHW}), {@code
 * [batch, rows, cols, 1]} ({@link ImageLayout#NHWC}) or {@code [batch, rows * cols]} ({@link
 * ImageLayout#FLAT}); labels are one-hot {@code [batch, numClasses]}. The last batch of an epoch may be smaller.
 *
 * <p>Images stay bytes until a batch is made; each batch is converted through a 256-entry lookup
 * table into a reused float array and copied into ND4J memory in one bulk copy.
 *
 * <p>With {@link Builder#shuffle(long)}, the order is a seeded permutation that changes every
 * epoch: before the first {@link #reset()} it is the permutation seeded with {@code seed}, after
 * the k-th reset the one seeded with {@code seed + k}; the same calls therefore always give the
 * same batches. Build one with {@link #builder(LabeledImages)}; {@link Builder#build()} wraps it in
 * DL4J's {@link AsyncDataSetIterator} when prefetching is asked for.
 *
 * <p>An instance is not thread-safe (as DL4J iterators in general); the asynchronous wrapper reads
 * it from a single prefetch thread.
 */
public final class MnistDataSetIterator implements DataSetIterator {
  private static final long serialVersionUID = 1L;
  private static final float[] UNIT_SCALE = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      UNIT_SCALE[i] = i / 255f;
    }
  }

  private final transient LabeledImages images;
  private final transient byte[] pixels;
  private final transient byte[] labels;
  private final int batchSize;
  private final ImageLayout layout;
  private final boolean shuffle;
  private final long seed;
  private final List<String> classNames;
  private final int pixelsPerImage;
  private final int numClasses;
  private transient float[] featureScratch;
  private transient float[] labelScratch;
  private int[] order;
  private int cursor;
  private int epoch;
  private transient DataSetPreProcessor preProcessor;

  private MnistDataSetIterator(Builder b) {
    this.images = b.images;
    this.pixels = b.images.pixelsNoCopy();
    this.labels = b.images.labelsNoCopy();
    this.batchSize = b.batchSize;
    this.layout = b.layout;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.classNames = b.classNames != null ? b.classNames : MnistDataset.digitClassNames(b.images.numClasses());
    this.pixelsPerImage = b.images.pixelsPerImage();
    this.numClasses = b.images.numClasses();
    this.order = shuffle ? permutation(images.count(), seed) : null;
  }

  /** A builder for an iterator over {@code images}. */
  public static Builder builder(LabeledImages images) {
    return new Builder(images);
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public boolean hasNext() {
    return cursor < images.count();
  }

  @Override
  public DataSet next() {
    return next(batchSize);
  }

  @Override
  public DataSet next(int num) {
    checkArgument(num > 0, "batch size must be positive, got %s", num);
    int n = Math.min(num, images.count() - cursor);
    if (n <= 0) {
      throw new NoSuchElementException("epoch " + epoch + " has no more batches; call reset()");
    }
    float[] features = scratchFeatures(n);
    float[] oneHot = scratchLabels(n);
    Arrays.fill(oneHot, 0f);
    int ppi = pixelsPerImage;
    for (int i = 0; i < n; i++) {
      int index = order == null ? cursor + i : order[cursor + i];
      int src = index * ppi;
      int dst = i * ppi;
      for (int p = 0; p < ppi; p++) {
        features[dst + p] = UNIT_SCALE[pixels[src + p] & 0xFF];
      }
      oneHot[i * numClasses + (labels[index] & 0xFF)] = 1f;
    }
    cursor += n;
    long[] shape;
    switch (layout) {
      case NCHW:
        shape = new long[] {n, 1, images.rows(), images.cols()};
        break;
      case NHWC:
        shape = new long[] {n, images.rows(), images.cols(), 1};
        break;
      default:
        shape = new long[] {n, ppi};
    }
    // Nd4j.create copies the Java array into ND4J memory, so the scratch arrays can be reused.
    INDArray f = Nd4j.create(features, shape, DataType.FLOAT);
    INDArray l = Nd4j.create(oneHot, new long[] {n, numClasses}, DataType.FLOAT);
    DataSet batch = new DataSet(f, l);
    if (preProcessor != null) {
      preProcessor.preProcess(batch);
    }
    return batch;
  }

  private float[] scratchFeatures(int n) {
    if (n != batchSize) {
      return new float[n * pixelsPerImage]; // the short last batch: once per epoch
    }
    if (featureScratch == null) {
      featureScratch = new float[batchSize * pixelsPerImage];
    }
    return featureScratch;
  }

  private float[] scratchLabels(int n) {
    if (n != batchSize) {
      return new float[n * numClasses];
    }
    if (labelScratch == null) {
      labelScratch = new float[batchSize * numClasses];
    }
    return labelScratch;
  }

  /** Starts the next epoch: rewinds and, when shuffling, draws the epoch's new order. */
  @Override
  public void reset() {
    cursor = 0;
    epoch++;
    if (shuffle) {
      order = permutation(images.count(), seed + epoch);
    }
  }

  /** How many times {@link #reset()} was called (0 during the first pass). */
  public int epoch() {
    return epoch;
  }

  /** The number of batches in one epoch. */
  public int batchesPerEpoch() {
    return (images.count() + batchSize - 1) / batchSize;
  }

  @Override
  public int inputColumns() {
    return pixelsPerImage;
  }

  @Override
  public int totalOutcomes() {
    return numClasses;
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  /** True: DL4J may wrap this iterator in its own prefetching iterator. */
  @Override
  public boolean asyncSupported() {
    return true;
  }

  @Override
  public int batch() {
    return batchSize;
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  /** The class names, indexed by label. */
  @Override
  public List<String> getLabels() {
    return classNames;
  }

  /** Configures an {@link MnistDataSetIterator}. */
  public static final class Builder {
    private final LabeledImages images;
    private int batchSize = 64;
    private ImageLayout layout = ImageLayout.NCHW;
    private boolean shuffle;
    private long seed;
    private int prefetch = 2;
    private List<String> classNames;

    private Builder(LabeledImages images) {
      this.images = Objects.requireNonNull(images, "images");
    }

    /** Images per batch (default 64). */
    public Builder batchSize(int batchSize) {
      checkArgument(batchSize > 0, "batchSize must be positive, got %s", batchSize);
      this.batchSize = batchSize;
      return this;
    }

    /** The feature shape (default {@link ImageLayout#NCHW}). */
    public Builder layout(ImageLayout layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
      return this;
    }

    /** Shuffles with a permutation seeded by {@code seed + epoch} (default: no shuffling). */
    public Builder shuffle(long seed) {
      this.shuffle = true;
      this.seed = seed;
      return this;
    }

    /** Keeps the images in their stored order (the default; right for evaluation). */
    public Builder noShuffle() {
      this.shuffle = false;
      return this;
    }

    /**
     * Batches prepared ahead on a background thread by {@link #build()} (default 2; 0 builds a
     * synchronous iterator).
     */
    public Builder prefetch(int batches) {
      checkArgument(batches >= 0, "prefetch must not be negative, got %s", batches);
      this.prefetch = batches;
      return this;
    }

    /** Class names reported by {@link DataSetIterator#getLabels()} (default "0".."n-1"). */
    public Builder classNames(List<String> classNames) {
      checkArgument(classNames.size() == images.numClasses(), "%s class names for %s classes",
          classNames.size(), images.numClasses());
      this.classNames = List.copyOf(classNames);
      return this;
    }

    /**
     * The iterator: asynchronous (DL4J's {@link AsyncDataSetIterator} around a synchronous one)
     * when {@link #prefetch(int)} is positive, otherwise {@link #buildSynchronous()}.
     */
    public DataSetIterator build() {
      MnistDataSetIterator sync = buildSynchronous();
      return prefetch > 0 ? new AsyncDataSetIterator(sync, prefetch, false) : sync;
    }

    /** The synchronous iterator, ignoring {@link #prefetch(int)}. */
    public MnistDataSetIterator buildSynchronous() {
      return new MnistDataSetIterator(this);
    }
  }
}
