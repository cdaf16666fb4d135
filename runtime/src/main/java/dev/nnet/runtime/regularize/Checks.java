package dev.nnet.runtime.regularize;

/** Argument checks shared by the regularizers, the constraint and the clipping. */
final class Checks {
  private Checks() {}

  /** A factor that must be finite and &gt;= 0, such as a penalty weight. */
  static double nonNegative(String what, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, but got " + value);
    }
    if (!(value >= 0)) {
      throw new IllegalArgumentException(what + " must be >= 0, but got " + value);
    }
    return value;
  }

  /** A bound that must be finite and &gt; 0, such as a norm or clipping limit. */
  static double positive(String what, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number > 0, but got " + value);
    }
    if (!(value > 0)) {
      throw new IllegalArgumentException(what + " must be > 0, but got " + value);
    }
    return value;
  }

  /** {@code count} values from {@code offset} must lie in an array of {@code length}. */
  static void range(String what, int length, int offset, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but got " + count);
    }
    if (offset < 0 || (long) offset + count > length) {
      throw new IllegalArgumentException(
          what + " must hold " + count + " values from offset " + offset + ", but has length "
              + length);
    }
  }

  /** A [rows, columns] matrix from {@code offset} must lie in an array of {@code length}. */
  static void matrix(int length, int offset, int rows, int columns) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be >= 1, but got " + rows);
    }
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be >= 1, but got " + columns);
    }
    if (offset < 0 || offset + (long) rows * columns > length) {
      throw new IllegalArgumentException(
          "parameters must hold " + rows + " × " + columns + " values from offset " + offset
              + ", but has length " + length);
    }
  }
}
