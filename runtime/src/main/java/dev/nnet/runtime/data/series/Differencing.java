package dev.nnet.runtime.data.series;

import java.util.Arrays;

/**
 * Differencing of order {@code d} (lag 1), to remove a trend before training, and its inverse, to
 * turn predicted differences back into values.
 *
 * <p>Order 1 is {@code y[t] = x[t] − x[t−1]}; order {@code d} applies that {@code d} times, so
 * order 2 is {@code x[t] − 2·x[t−1] + x[t−2]}. A series of {@code n} values gives {@code n − d}
 * differences, which keep the times of positions {@code d … n−1}: difference {@code i} belongs
 * to the time of {@code x[i + d]}.
 *
 * <p>Inverting needs the {@code d} values that come just before the first difference (its
 * <i>history</i>): to undo {@link #apply} on the whole series, the series' first {@code d}
 * values; to turn a forecast of differences into values, the last {@code d} observed values.
 *
 * <pre>{@code
 * Series diffs = Differencing.apply(series, 1);                      // n - 1 values
 * Series back = Differencing.invert(diffs, series.slice(0, 1), 1);   // = series.slice(1, n)
 * }</pre>
 */
public final class Differencing {

  private Differencing() {}

  /**
   * The differences of order {@code order} of the series.
   *
   * @throws IllegalArgumentException if {@code order} is &lt; 1, the series has no more than
   *     {@code order} values, or a value is missing
   */
  public static Series apply(Series series, int order) {
    checkOrder(order);
    series.requireComplete("differencing");
    double[] values = series.raw();
    if (values.length <= order) {
      throw new IllegalArgumentException("differencing of order " + order + " needs more than "
          + order + " values, but " + series.name() + " has " + values.length);
    }
    double[] current = values.clone();
    for (int level = 0; level < order; level++) {
      double[] next = new double[current.length - 1];
      for (int i = 0; i < next.length; i++) {
        next[i] = current[i + 1] - current[i];
      }
      current = next;
    }
    return series.slice(order, values.length).withComputed(series.name(), current);
  }

  /**
   * The values whose differences of order {@code order} are {@code differences}, given the
   * values just before them: the result has the differences' times and length.
   *
   * @param history the values immediately before the first difference; only its last
   *     {@code order} values are used
   * @throws IllegalArgumentException if {@code history} has fewer than {@code order} values or a
   *     value of either is missing
   */
  public static Series invert(Series differences, Series history, int order) {
    differences.requireComplete("inverting differences");
    history.requireComplete("the history of an inversion");
    return differences.withComputed(
        history.name(), invert(differences.raw(), history.raw(), order));
  }

  /**
   * As {@link #invert(Series, Series, int)} on plain arrays, for example predicted differences:
   * the values whose differences of order {@code order} are {@code differences}, given at least
   * {@code order} values just before them ({@code history}, of which the last {@code order} are
   * used).
   */
  public static double[] invert(double[] differences, double[] history, int order) {
    checkOrder(order);
    if (history.length < order) {
      throw new IllegalArgumentException("inverting differences of order " + order + " needs the "
          + order + " values before them, but the history has " + history.length);
    }
    requireFinite("history", history);
    requireFinite("differences", differences);
    // last[k] = the last value of the order-k differences of the history's tail.
    double[] level = Arrays.copyOfRange(history, history.length - order, history.length);
    double[] last = new double[order];
    for (int k = 0; k < order; k++) {
      last[k] = level[level.length - 1];
      double[] next = new double[level.length - 1];
      for (int i = 0; i < next.length; i++) {
        next[i] = level[i + 1] - level[i];
      }
      level = next;
    }
    double[] result = new double[differences.length];
    for (int t = 0; t < differences.length; t++) {
      double value = differences[t];
      for (int k = order - 1; k >= 0; k--) {
        value += last[k];
        last[k] = value;
      }
      result[t] = value;
    }
    return result;
  }

  private static void requireFinite(String what, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(what + " value " + i + " is " + values[i]);
      }
    }
  }

  private static void checkOrder(int order) {
    if (order < 1) {
      throw new IllegalArgumentException("the differencing order must be >= 1, but got " + order);
    }
  }
}
