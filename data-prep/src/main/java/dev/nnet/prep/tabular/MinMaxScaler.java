package dev.nnet.prep.tabular;

/**
 * Maps each column's training range [min, max] linearly onto [low, high] (by default [0, 1]).
 * Values outside the training range map outside [low, high]: the transform is not clipped, so
 * it stays the same function for all data. A constant column maps to {@code low}. NaN stays NaN.
 */
public final class MinMaxScaler {
  private final double[] min;
  private final double[] range;
  private final double low;
  private final double high;

  private MinMaxScaler(double[] min, double[] range, double low, double high) {
    this.min = min;
    this.range = range;
    this.low = low;
    this.high = high;
  }

  public static MinMaxScaler fit(float[] train, int width) {
    return fit(train, width, 0, 1);
  }

  public static MinMaxScaler fit(float[] train, int width, double low, double high) {
    if (!(low < high)) {
      throw new IllegalArgumentException("the target range needs low < high, but got [" + low + ", " + high + "]");
    }
    Columns.requireRows(train, width, "a min-max scaler");
    double[] min = new double[width];
    double[] range = new double[width];
    for (int c = 0; c < width; c++) {
      double[] present = Columns.sortedPresent(train, width, c);
      if (present.length == 0) {
        throw new IllegalArgumentException("column " + c + " has no value present to fit a min-max scaler on");
      }
      min[c] = present[0];
      range[c] = present[present.length - 1] - present[0];
    }
    return new MinMaxScaler(min, range, low, high);
  }

  public float[] apply(float[] data, int width) {
    Columns.requireWidth(min.length, width, "the min-max scaler");
    float[] out = new float[data.length];
    for (int k = 0; k < data.length; k++) {
      int c = k % width;
      double unit = range[c] > 0 ? (data[k] - min[c]) / range[c] : 0;
      out[k] = (float) (low + unit * (high - low));
    }
    return out;
  }

  public double[] minimums() {
    return min.clone();
  }

  public double[] ranges() {
    return range.clone();
  }
}
