package dev.nnet.prep.sensor;

/**
 * Brings irregularly timed readings onto a fixed rate: values at {@code start}, {@code start +
 * 1/rate}, … up to the last reading, each interpolated linearly between the readings around it.
 * Where a gap between readings is longer than {@code maxGap} seconds the values are NaN rather than
 * invented.
 */
public final class Resampling {
  private Resampling() {}

  /**
   * @param times reading times in seconds, strictly increasing
   * @param values the readings
   * @param rate samples per second of the result
   */
  public static double[] toRate(double[] times, double[] values, double rate, double maxGap) {
    if (times.length != values.length || times.length < 2) {
      throw new IllegalArgumentException("need at least two readings with as many times as values, but got "
          + times.length + " times and " + values.length + " values");
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("the rate must be positive, but got " + rate);
    }
    for (int i = 1; i < times.length; i++) {
      if (!(times[i] > times[i - 1])) {
        throw new IllegalArgumentException("times must increase strictly, but reading " + i + " at " + times[i]
            + " follows " + times[i - 1]);
      }
    }
    long count = (long) Math.floor((times[times.length - 1] - times[0]) * rate + 1e-9) + 1;
    if (count > 100_000_000L) {
      throw new IllegalArgumentException("resampling would give " + count + " values; at most 100,000,000");
    }
    double[] out = new double[(int) count];
    int segment = 0;
    for (int k = 0; k < out.length; k++) {
      double t = times[0] + k / rate;
      while (segment < times.length - 2 && times[segment + 1] < t) {
        segment++;
      }
      double t0 = times[segment];
      double t1 = times[segment + 1];
      if (t1 - t0 > maxGap) {
        out[k] = t == t0 ? values[segment] : t == t1 ? values[segment + 1] : Double.NaN;
        continue;
      }
      double w = Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
      out[k] = values[segment] * (1 - w) + values[segment + 1] * w;
    }
    return out;
  }
}
