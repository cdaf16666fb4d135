package dev.nnet.runtime.data.series;

/**
 * Fills the missing (NaN) values of a {@link Series}. Each method returns a new series with the
 * same times and no missing value; observed values are never changed.
 *
 * <table>
 *   <caption>What each method puts in a gap</caption>
 *   <tr><th>method</th><th>inside the series</th><th>gap at the start</th>
 *       <th>gap at the end</th></tr>
 *   <tr><td>{@link #forwardFill}</td><td>the last observed value before the gap</td>
 *       <td>the first observed value (the only place a later value is used)</td>
 *       <td>the last observed value</td></tr>
 *   <tr><td>{@link #linear}</td><td>on the straight line between the observed values on either
 *       side, by position</td><td>the first observed value (no extrapolation)</td>
 *       <td>the last observed value (no extrapolation)</td></tr>
 *   <tr><td>{@link #mean}</td><td colspan="3">the mean of the observed values</td></tr>
 *   <tr><td>{@link #constant}</td><td colspan="3">the given value</td></tr>
 * </table>
 *
 * <p><b>Leakage.</b> Forward fill only looks back (except for a gap at the very start).
 * Linear interpolation uses the next observed value, and {@link #mean} the whole series: filled
 * over a whole series before it is split, a training value next to the split boundary, or the
 * mean, could depend on validation or test values. To rule that out, split first
 * ({@link ChronologicalSplit}) and fill each part on its own, with {@link #constant} and the
 * training part's mean for the mean method.
 */
public final class GapFilling {

  private GapFilling() {}

  /**
   * Each missing value takes the last observed value before it; missing values at the start take
   * the first observed value.
   *
   * @throws IllegalArgumentException if the series has no observed value
   */
  public static Series forwardFill(Series series) {
    double[] values = series.values();
    int first = firstObserved(series, "forward fill");
    double last = values[first];
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        values[i] = last;
      } else {
        last = values[i];
      }
    }
    return series.withComputed(series.name(), values);
  }

  /**
   * Each run of missing values between two observed values {@code a} at position {@code i} and
   * {@code b} at position {@code j} is filled on the line between them: position {@code k} gets
   * {@code a + (b − a)·(k − i)/(j − i)}. Missing values before the first observed value take that
   * value, and missing values after the last observed value take that one.
   *
   * @throws IllegalArgumentException if the series has no observed value
   */
  public static Series linear(Series series) {
    double[] values = series.values();
    int first = firstObserved(series, "linear interpolation");
    for (int i = 0; i < first; i++) {
      values[i] = values[first];
    }
    int previous = first;
    for (int j = first + 1; j < values.length; j++) {
      if (Double.isNaN(values[j])) {
        continue;
      }
      int gap = j - previous;
      if (gap > 1) {
        double a = values[previous];
        double b = values[j];
        for (int k = previous + 1; k < j; k++) {
          values[k] = a + (b - a) * (k - previous) / gap;
        }
      }
      previous = j;
    }
    for (int k = previous + 1; k < values.length; k++) {
      values[k] = values[previous];
    }
    return series.withComputed(series.name(), values);
  }

  /**
   * Each missing value takes the mean of the series' observed values. To fill a validation or
   * test part with the training part's mean, use {@link #constant} with {@link #observedMean} of
   * the training part.
   *
   * @throws IllegalArgumentException if the series has no observed value
   */
  public static Series mean(Series series) {
    return constant(series, observedMean(series));
  }

  /**
   * Each missing value takes {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  public static Series constant(Series series, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("the fill value must be finite, but got " + value);
    }
    double[] values = series.values();
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        values[i] = value;
      }
    }
    return series.withComputed(series.name(), values);
  }

  /**
   * The mean of the observed (non-missing) values.
   *
   * @throws IllegalArgumentException if the series has no observed value
   */
  public static double observedMean(Series series) {
    firstObserved(series, "the mean");
    double sum = 0;
    int count = 0;
    for (double value : series.raw()) {
      if (!Double.isNaN(value)) {
        sum += value;
        count++;
      }
    }
    return sum / count;
  }

  private static int firstObserved(Series series, String what) {
    double[] values = series.raw();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        return i;
      }
    }
    throw new IllegalArgumentException(what + " needs at least one observed value, but all "
        + values.length + " values of " + series.name() + " are missing");
  }
}
