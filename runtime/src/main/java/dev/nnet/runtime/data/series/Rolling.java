package dev.nnet.runtime.data.series;

/**
 * Moving (rolling) statistics over a trailing window, as features beside the raw values. The
 * statistic at position {@code t} is computed from positions {@code t − window + 1 … t}: the
 * value itself and the {@code window − 1} before it, never a later one, so these features are
 * causal and computing them before a {@link ChronologicalSplit} leaks nothing from later parts
 * into earlier ones.
 *
 * <p>The result has the input's length and times, so it stays aligned with it. The first
 * {@code window − 1} positions have no full window and are NaN, as is every position whose
 * window holds a missing value: fill gaps first, then drop the first {@code window − 1} positions
 * of every aligned column with {@link Series#slice} before building {@link Windows}. A window
 * longer than the series gives a series of NaN.
 *
 * <p>Each window's statistics are computed afresh in two passes (mean, then squared deviations
 * from it), in O(length × window) time, so a long series accumulates no rounding error.
 */
public final class Rolling {

  private Rolling() {}

  /** The mean of each trailing window, named {@code "<name> mean(<window>)"}. */
  public static Series mean(Series series, int window) {
    checkWindow(window);
    double[] values = series.raw();
    double[] result = new double[values.length];
    for (int t = 0; t < values.length; t++) {
      result[t] = t + 1 < window ? Double.NaN : windowMean(values, t - window + 1, t + 1);
    }
    return series.withComputed(series.name() + " mean(" + window + ")", result);
  }

  /**
   * The population variance (divided by {@code window}, not {@code window − 1}) of each trailing
   * window, named {@code "<name> variance(<window>)"}. A window of 1 gives 0.
   */
  public static Series variance(Series series, int window) {
    checkWindow(window);
    return series.withComputed(
        series.name() + " variance(" + window + ")", variances(series.raw(), window));
  }

  /**
   * The population standard deviation, the square root of {@link #variance}, named
   * {@code "<name> std(<window>)"}.
   */
  public static Series standardDeviation(Series series, int window) {
    checkWindow(window);
    double[] result = variances(series.raw(), window);
    for (int t = 0; t < result.length; t++) {
      result[t] = Math.sqrt(result[t]);
    }
    return series.withComputed(series.name() + " std(" + window + ")", result);
  }

  private static double[] variances(double[] values, int window) {
    double[] result = new double[values.length];
    for (int t = 0; t < values.length; t++) {
      if (t + 1 < window) {
        result[t] = Double.NaN;
        continue;
      }
      int from = t - window + 1;
      double mean = windowMean(values, from, t + 1);
      double squares = 0;
      for (int i = from; i <= t; i++) {
        double d = values[i] - mean;
        squares += d * d;
      }
      result[t] = squares / window;
    }
    return result;
  }

  /** NaN if any value in the window is missing, as NaN propagates through the sum. */
  private static double windowMean(double[] values, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += values[i];
    }
    return sum / (to - from);
  }

  private static void checkWindow(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("the window must be >= 1, but got " + window);
    }
  }
}
