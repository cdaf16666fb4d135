package dev.nnet.prep.tabular;

import java.util.Arrays;

/** Column statistics over the present (non-NaN) values of row-major float data. */
final class Columns {
  private Columns() {}

  static int rows(float[] data, int width) {
    if (width < 1 || data.length % width != 0) {
      throw new IllegalArgumentException("data of " + data.length + " values is not rows of width " + width);
    }
    return data.length / width;
  }

  /** The present values of column {@code c}, sorted. */
  static double[] sortedPresent(float[] data, int width, int c) {
    int rows = rows(data, width);
    double[] values = new double[rows];
    int n = 0;
    for (int r = 0; r < rows; r++) {
      float v = data[r * width + c];
      if (!Float.isNaN(v)) {
        values[n++] = v;
      }
    }
    double[] present = Arrays.copyOf(values, n);
    Arrays.sort(present);
    return present;
  }

  /** The q-quantile of sorted values, interpolating linearly between ranks (NumPy's default). */
  static double quantile(double[] sorted, double q) {
    double at = q * (sorted.length - 1);
    int below = (int) Math.floor(at);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
  }

  static void requireRows(float[] data, int width, String what) {
    if (rows(data, width) == 0) {
      throw new IllegalArgumentException("cannot fit " + what + " on no rows");
    }
  }

  static void requireWidth(int expected, int width, String what) {
    if (expected != width) {
      throw new IllegalArgumentException(what + " was fitted on " + expected + " columns, but got rows of " + width);
    }
  }
}
