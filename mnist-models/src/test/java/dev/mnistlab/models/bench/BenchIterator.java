package dev.mnistlab.models.bench;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A plain shuffling NCHW iterator over {@link BenchData}: converts bytes to floats per batch, as
 * the data module's iterator does, and as PyTorch's benchmark does with its tensors.
 */
final class BenchIterator implements DataSetIterator {
  private static final long serialVersionUID = 1L;
  private final transient BenchData data;
  private final int batch;
  private final int[] order;
  private final long seed;
  private int epoch;
  private int cursor;
  private final int limit;

  private final boolean nhwc;

  BenchIterator(BenchData data, int batch, long seed, int maxBatches) {
    this(data, batch, seed, maxBatches, false);
  }

  BenchIterator(BenchData data, int batch, long seed, int maxBatches, boolean nhwc) {
    this.nhwc = nhwc;
    this.data = data;
    this.batch = batch;
    this.seed = seed;
    this.order = new int[data.count];
    int full = data.count / batch;
    this.limit = maxBatches > 0 ? Math.min(full, maxBatches) * batch : full * batch;
    reset();
  }

  @Override
  public DataSet next(int num) {
    int n = Math.min(num, limit - cursor);
    float[] x = new float[n * 784];
    float[] y = new float[n * 10];
    for (int i = 0; i < n; i++) {
      int idx = order[cursor + i];
      int off = idx * 784;
      for (int p = 0; p < 784; p++) {
        x[i * 784 + p] = (data.pixels[off + p] & 0xFF) / 255f;
      }
      y[i * 10 + data.labels[idx]] = 1f;
    }
    cursor += n;
    INDArray f = Nd4j.create(x, nhwc ? new long[] {n, 28, 28, 1} : new long[] {n, 1, 28, 28}, DataType.FLOAT);
    INDArray l = Nd4j.create(y, new long[] {n, 10}, DataType.FLOAT);
    return new DataSet(f, l);
  }

  @Override
  public DataSet next() {
    return next(batch);
  }

  @Override
  public boolean hasNext() {
    return cursor < limit;
  }

  @Override
  public void reset() {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random r = new Random(seed + epoch++);
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    cursor = 0;
  }

  @Override
  public int inputColumns() {
    return 784;
  }

  @Override
  public int totalOutcomes() {
    return 10;
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  @Override
  public boolean asyncSupported() {
    return true;
  }

  @Override
  public int batch() {
    return batch;
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    throw new UnsupportedOperationException();
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return null;
  }

  @Override
  public List<String> getLabels() {
    return null;
  }

  int batches() {
    return limit / batch;
  }
}
