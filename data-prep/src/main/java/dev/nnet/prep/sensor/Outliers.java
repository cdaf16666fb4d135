package dev.nnet.prep.sensor;

import java.util.Arrays;

/**
 * Outlier detection in a signal: by z-score (|x − mean| / std above a threshold), by the IQR rule
 * (outside [Q1 − k · IQR, Q3 + k · IQR]), and the Hampel filter (a value more than t scaled median
 * absolute deviations from the median of its window is replaced by that median). The detectors
 * return a mask; {@link #remove} turns flagged values into NaN, for gap filling afterwards. NaN
 * values are ignored by the statistics and never flagged.
 */
public final class Outliers {
  /** MAD · 1.4826 estimates the standard deviation of normally distributed data. */
  static final double MAD_SCALE = 1.4826;

  private Outliers() {}

  public static boolean[] zScore(double[] values, double threshold) {
    double mean = 0;
    int n = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        mean += v;
        n++;
      }
    }
    mean /= Math.max(1, n);
    double variance = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        variance += (v - mean) * (v - mean);
      }
    }
    double std = Math.sqrt(variance / Math.max(1, n));
    boolean[] out = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = std > 0 && Math.abs(values[i] - mean) / std > threshold;
    }
    return out;
  }

  /** Tukey's fences with factor {@code k} (1.5 is the usual one). */
  public static boolean[] iqr(double[] values, double k) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    boolean[] out = new boolean[values.length];
    if (sorted.length == 0) {
      return out;
    }
    double q1 = quantile(sorted, 0.25);
    double q3 = quantile(sorted, 0.75);
    double low = q1 - k * (q3 - q1);
    double high = q3 + k * (q3 - q1);
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] < low || values[i] > high;
    }
    return out;
  }

  /**
   * The Hampel filter over windows of {@code halfWindow} values each side: flags values more than
   * {@code threshold} · 1.4826 · MAD from the window's median.
   */
  public static boolean[] hampel(double[] values, int halfWindow, double threshold) {
    boolean[] out = new boolean[values.length];
    hampelMedians(values, halfWindow, threshold, out);
    return out;
  }

  /** The Hampel filter's output: each flagged value replaced by its window's median. */
  public static double[] hampelFilter(double[] values, int halfWindow, double threshold) {
    boolean[] flagged = new boolean[values.length];
    double[] medians = hampelMedians(values, halfWindow, threshold, flagged);
    double[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      if (flagged[i]) {
        out[i] = medians[i];
      }
    }
    return out;
  }

  private static double[] hampelMedians(double[] values, int halfWindow, double threshold, boolean[] flagged) {
    if (halfWindow < 1) {
      throw new IllegalArgumentException("the half window must be at least 1, but got " + halfWindow);
    }
    double[] medians = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      int from = Math.max(0, i - halfWindow);
      int to = Math.min(values.length, i + halfWindow + 1);
      double[] window = Arrays.stream(values, from, to).filter(v -> !Double.isNaN(v)).sorted().toArray();
      if (window.length == 0 || Double.isNaN(values[i])) {
        medians[i] = Double.NaN;
        continue;
      }
      double median = quantile(window, 0.5);
      double[] deviations = new double[window.length];
      for (int k = 0; k < window.length; k++) {
        deviations[k] = Math.abs(window[k] - median);
      }
      Arrays.sort(deviations);
      double mad = MAD_SCALE * quantile(deviations, 0.5);
      medians[i] = median;
      flagged[i] = Math.abs(values[i] - median) > threshold * mad && mad > 0;
    }
    return medians;
  }

  /** A copy with flagged values set to NaN. */
  public static double[] remove(double[] values, boolean[] flagged) {
    double[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      if (flagged[i]) {
        out[i] = Double.NaN;
      }
    }
    return out;
  }

  static double quantile(double[] sorted, double q) {
    double at = q * (sorted.length - 1);
    int below = (int) Math.floor(at);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
  }
}
