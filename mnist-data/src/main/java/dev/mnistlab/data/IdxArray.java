package dev.mnistlab.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkState;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable n-dimensional array as stored in an IDX file: an element {@link IdxType}, its
 * dimensions (the first one counts the items, e.g. images) and the elements in row-major order.
 *
 * <p>Elements are kept as the file's big-endian bytes, so an array of unsigned bytes (MNIST
 * images) costs one byte per pixel and nothing is converted until asked. Factories copy their
 * input and accessors return copies, so instances can be shared freely between threads.
 */
public final class IdxArray {
  private final IdxType type;
  private final int[] dims;
  private final byte[] payload;

  /** Trusted constructor: takes ownership of both arrays (callers must not keep them). */
  IdxArray(IdxType type, int[] dims, byte[] payload) {
    this.type = type;
    this.dims = dims;
    this.payload = payload;
  }

  /**
   * An array of the given type and dimensions over a copy of {@code bigEndianElements}, the
   * elements exactly as an IDX file stores them.
   *
   * @throws IllegalArgumentException if the rank is 0 or above 255, a dimension is negative, or
   *     the byte count does not match the dimensions
   */
  public static IdxArray of(IdxType type, int[] dims, byte[] bigEndianElements) {
    Objects.requireNonNull(type, "type");
    int[] d = checkedDims(dims);
    long expected = elementCount(d) * type.byteSize();
    checkArgument(
        bigEndianElements.length == expected,
        "dimensions %s of %s need %s bytes, got %s",
        Arrays.toString(d), type, expected, bigEndianElements.length);
    return new IdxArray(type, d, bigEndianElements.clone());
  }

  /** Unsigned bytes (type {@code 0x08}); each byte is read as a value in 0..255. */
  public static IdxArray ofUnsignedBytes(byte[] values, int... dims) {
    return of(IdxType.UNSIGNED_BYTE, dims, values);
  }

  /** Signed bytes (type {@code 0x09}). */
  public static IdxArray ofBytes(byte[] values, int... dims) {
    return of(IdxType.BYTE, dims, values);
  }

  /** 16-bit integers (type {@code 0x0B}). */
  public static IdxArray ofShorts(short[] values, int... dims) {
    ByteBuffer buf = allocate(values.length, IdxType.SHORT);
    buf.asShortBuffer().put(values);
    return checkedOwned(IdxType.SHORT, dims, values.length, buf.array());
  }

  /** 32-bit integers (type {@code 0x0C}). */
  public static IdxArray ofInts(int[] values, int... dims) {
    ByteBuffer buf = allocate(values.length, IdxType.INT);
    buf.asIntBuffer().put(values);
    return checkedOwned(IdxType.INT, dims, values.length, buf.array());
  }

  /** 32-bit floats (type {@code 0x0D}). */
  public static IdxArray ofFloats(float[] values, int... dims) {
    ByteBuffer buf = allocate(values.length, IdxType.FLOAT);
    buf.asFloatBuffer().put(values);
    return checkedOwned(IdxType.FLOAT, dims, values.length, buf.array());
  }

  /** 64-bit floats (type {@code 0x0E}). */
  public static IdxArray ofDoubles(double[] values, int... dims) {
    ByteBuffer buf = allocate(values.length, IdxType.DOUBLE);
    buf.asDoubleBuffer().put(values);
    return checkedOwned(IdxType.DOUBLE, dims, values.length, buf.array());
  }

  private static ByteBuffer allocate(int count, IdxType type) {
    checkArgument(
        (long) count * type.byteSize() <= Integer.MAX_VALUE - 8,
        "%s elements of %s do not fit in one array", count, type);
    return ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.BIG_ENDIAN);
  }

  private static IdxArray checkedOwned(IdxType type, int[] dims, int valueCount, byte[] payload) {
    int[] d = checkedDims(dims);
    checkArgument(
        elementCount(d) == valueCount,
        "dimensions %s hold %s elements, got %s values",
        Arrays.toString(d), elementCount(d), valueCount);
    return new IdxArray(type, d, payload);
  }

  private static int[] checkedDims(int[] dims) {
    Objects.requireNonNull(dims, "dims");
    checkArgument(dims.length >= 1 && dims.length <= 255, "rank must be 1..255, got %s", dims.length);
    int[] d = dims.clone();
    for (int x : d) {
      checkArgument(x >= 0, "dimensions must not be negative: %s", Arrays.toString(d));
    }
    return d;
  }

  private static long elementCount(int[] dims) {
    long n = 1;
    for (int d : dims) {
      n = Math.multiplyExact(n, (long) d);
    }
    return n;
  }

  /** The element type. */
  public IdxType type() {
    return type;
  }

  /** The dimensions (a copy); {@code dims()[0]} is the number of items. */
  public int[] dims() {
    return dims.clone();
  }

  /** The number of dimensions (1..255). */
  public int rank() {
    return dims.length;
  }

  /** The size of dimension {@code axis}. */
  public int dim(int axis) {
    checkElementIndex(axis, dims.length, "axis");
    return dims[axis];
  }

  /** The number of items: the first dimension (e.g. images in an image file). */
  public int count() {
    return dims[0];
  }

  /** The total number of elements: the product of all dimensions. */
  public long elementCount() {
    return payload.length / type.byteSize();
  }

  /** Elements per item: the product of all dimensions but the first (1 for a rank-1 array). */
  public long itemElementCount() {
    long n = 1;
    for (int i = 1; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  /** The size of the element data in bytes (without the IDX header). */
  public long byteSize() {
    return payload.length;
  }

  /**
   * Element {@code index} (row-major) as a double, for every type ({@link IdxType#UNSIGNED_BYTE}
   * gives 0..255).
   */
  public double getDouble(long index) {
    int i = byteOffset(index);
    ByteBuffer b = ByteBuffer.wrap(payload);
    switch (type) {
      case UNSIGNED_BYTE:
        return payload[i] & 0xFF;
      case BYTE:
        return payload[i];
      case SHORT:
        return b.getShort(i);
      case INT:
        return b.getInt(i);
      case FLOAT:
        return b.getFloat(i);
      case DOUBLE:
        return b.getDouble(i);
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * Element {@code index} (row-major) of an integral type as an int ({@link IdxType#UNSIGNED_BYTE}
   * gives 0..255).
   *
   * @throws IllegalStateException for {@link IdxType#FLOAT} and {@link IdxType#DOUBLE}
   */
  public int getInt(long index) {
    checkState(type.isIntegral(), "getInt on an array of %s", type);
    return (int) getDouble(index);
  }

  private int byteOffset(long index) {
    long count = elementCount();
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (count - 1));
    }
    return (int) (index * type.byteSize());
  }

  /**
   * The elements of a byte array ({@link IdxType#UNSIGNED_BYTE} or {@link IdxType#BYTE}), copied.
   * Unsigned values above 127 appear as negative Java bytes: use {@code b & 0xFF}.
   */
  public byte[] toByteArray() {
    checkState(type.byteSize() == 1, "toByteArray on an array of %s", type);
    return payload.clone();
  }

  /** The elements of a {@link IdxType#SHORT} array, copied. */
  public short[] toShortArray() {
    checkState(type == IdxType.SHORT, "toShortArray on an array of %s", type);
    short[] out = new short[(int) elementCount()];
    ByteBuffer.wrap(payload).asShortBuffer().get(out);
    return out;
  }

  /**
   * The elements of an integral array as ints, copied; {@link IdxType#UNSIGNED_BYTE} gives
   * 0..255.
   *
   * @throws IllegalStateException for {@link IdxType#FLOAT} and {@link IdxType#DOUBLE}
   */
  public int[] toIntArray() {
    checkState(type.isIntegral(), "toIntArray on an array of %s", type);
    int[] out = new int[(int) elementCount()];
    switch (type) {
      case UNSIGNED_BYTE:
        for (int i = 0; i < out.length; i++) {
          out[i] = payload[i] & 0xFF;
        }
        break;
      case BYTE:
        for (int i = 0; i < out.length; i++) {
          out[i] = payload[i];
        }
        break;
      case SHORT:
        short[] s = toShortArray();
        for (int i = 0; i < out.length; i++) {
          out[i] = s[i];
        }
        break;
      default:
        ByteBuffer.wrap(payload).asIntBuffer().get(out);
    }
    return out;
  }

  /** The elements of a {@link IdxType#FLOAT} array, copied. */
  public float[] toFloatArray() {
    checkState(type == IdxType.FLOAT, "toFloatArray on an array of %s", type);
    float[] out = new float[(int) elementCount()];
    ByteBuffer.wrap(payload).asFloatBuffer().get(out);
    return out;
  }

  /** The elements of any array as doubles, copied. */
  public double[] toDoubleArray() {
    double[] out = new double[(int) elementCount()];
    if (type == IdxType.DOUBLE) {
      ByteBuffer.wrap(payload).asDoubleBuffer().get(out);
    } else {
      for (int i = 0; i < out.length; i++) {
        out[i] = getDouble(i);
      }
    }
    return out;
  }

  /** The element bytes exactly as an IDX file stores them (big-endian), copied. */
  public byte[] toBigEndianBytes() {
    return payload.clone();
  }

  /** The element bytes without copying; callers in this package must not modify them. */
  byte[] payloadNoCopy() {
    return payload;
  }

  /** Equal when type, dimensions and every element byte are equal. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof IdxArray)) {
      return false;
    }
    IdxArray other = (IdxArray) o;
    return type == other.type && Arrays.equals(dims, other.dims) && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * type.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(payload);
  }

  /** For example {@code IdxArray[UNSIGNED_BYTE 60000x28x28]}. */
  @Override
  public String toString() {
    return "IdxArray[" + type + " " + IdxHeader.formatDims(dims) + "]";
  }
}
