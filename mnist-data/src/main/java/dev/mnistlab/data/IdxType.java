package dev.mnistlab.data;

import java.util.Optional;

/**
 * The element types of the IDX file format, with the type codes of the format's third magic byte.
 *
 * <p>All multi-byte values in IDX files are big-endian.
 */
public enum IdxType {
  /** Unsigned 8-bit integers (0..255), code {@code 0x08}; the type of MNIST images and labels. */
  UNSIGNED_BYTE(0x08, 1),
  /** Signed 8-bit integers, code {@code 0x09}. */
  BYTE(0x09, 1),
  /** Signed 16-bit integers, code {@code 0x0B}. */
  SHORT(0x0B, 2),
  /** Signed 32-bit integers, code {@code 0x0C}. */
  INT(0x0C, 4),
  /** IEEE 754 32-bit floats, code {@code 0x0D}. */
  FLOAT(0x0D, 4),
  /** IEEE 754 64-bit floats, code {@code 0x0E}. */
  DOUBLE(0x0E, 8);

  private final int code;
  private final int byteSize;

  IdxType(int code, int byteSize) {
    this.code = code;
    this.byteSize = byteSize;
  }

  /** The type code stored in the third byte of an IDX file's magic number. */
  public int code() {
    return code;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether elements are integers (everything but {@link #FLOAT} and {@link #DOUBLE}). */
  public boolean isIntegral() {
    return this != FLOAT && this != DOUBLE;
  }

  /** The type with the given code, or empty if the code is not an IDX type code. */
  public static Optional<IdxType> fromCode(int code) {
    for (IdxType type : values()) {
      if (type.code == code) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
