package dev.nnet.prep.tabular;

/**
 * {@code (x − median) / IQR} per column, where the interquartile range is the 75th minus the 25th
 * percentile of the training values (linear interpolation, as NumPy). Outliers barely move the
 * statistics, unlike the mean and standard deviation. A column with IQR 0 is only centred; NaN
 * values are ignored when fitting and stay NaN.
 */
public final class RobustScaler {
  private final double[] median;
  private final double[] iqr;

  private RobustScaler(double[] median, double[] iqr) {
    this.median = median;
    this.iqr = iqr;
  }

  public static RobustScaler fit(float[] train, int width) {
    Columns.requireRows(train, width, "a robust scaler");
    double[] median = new double[width];
    double[] iqr = new double[width];
    for (int c = 0; c < width; c++) {
      double[] present = Columns.sortedPresent(train, width, c);
      if (present.length == 0) {
        throw new IllegalArgumentException("column " + c + " has no value present to fit a robust scaler on");
      }
      median[c] = Columns.quantile(present, 0.5);
      double spread = Columns.quantile(present, 0.75) - Columns.quantile(present, 0.25);
      iqr[c] = spread > 0 ? spread : 1;
    }
    return new RobustScaler(median, iqr);
  }

  public float[] apply(float[] data, int width) {
    Columns.requireWidth(median.length, width, "the robust scaler");
    float[] out = new float[data.length];
    for (int k = 0; k < data.length; k++) {
      int c = k % width;
      out[k] = (float) ((data[k] - median[c]) / iqr[c]);
    }
    return out;
  }

  public double[] medians() {
    return median.clone();
  }

  /** The interquartile ranges (1 where the range is 0). */
  public double[] interquartileRanges() {
    return iqr.clone();
  }
}
