package dev.nnet.runtime.data.series;

import dev.nnet.runtime.data.Dataset;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a series into supervised samples with a sliding window: the inputs are {@code size}
 * consecutive values, the target is the value {@code horizon} steps after the last of them, and
 * the window moves {@code stride} steps from one sample to the next.
 *
 * <p>Sample {@code k} starts at position {@code s = k·stride}:
 *
 * <pre>
 *   features = x[s], x[s+1], …, x[s+size−1]
 *   target   = x[s+size−1+horizon]          (horizon 1 = the next value)
 * </pre>
 *
 * <p>so there are {@code ⌊(n − size − horizon) / stride⌋ + 1} samples for {@code n} values
 * ({@link #count}); with a stride above 1, the last few values may be in no sample. For a series
 * 1, 2, …, 10 with size 3, horizon 1 and stride 2 the samples are [1, 2, 3] → 4, [3, 4, 5] → 6,
 * [5, 6, 7] → 8 and [7, 8, 9] → 10.
 *
 * <p><b>Feature layout.</b> With one series, each sample is {@code size} floats in time order,
 * which is the row-major layout of both a {@code float[size]} input (a dense network) and a
 * {@code float[size, 1]} input (a recurrent network reading {@code size} steps of one feature):
 * the two declarations read the same floats. With several feature series
 * ({@link #of(List, Series, int, int, int)}) each sample is the flattened rank-2 array
 * {@code [steps, features]}, step-major: step {@code j} holds the {@code j}-th value of every
 * feature series, in list order, for an input declared {@code float[size, features]}.
 *
 * <p>Windows need complete values: fill gaps first ({@link GapFilling}). To keep samples from
 * straddling a train/validation/test boundary, cut each part on its own
 * ({@link ChronologicalSplit#windows}).
 */
public final class Windows {

  private Windows() {}

  /**
   * One target per sample, {@code horizon} steps after the window: features of width
   * {@code size}, targets of width 1.
   *
   * @throws IllegalArgumentException if a parameter is &lt; 1, a value is missing, or the series
   *     is shorter than {@code size + horizon}
   */
  public static Dataset of(Series series, int size, int horizon, int stride) {
    Objects.requireNonNull(series, "series");
    return of(List.of(series), series, size, horizon, stride);
  }

  /**
   * Several aligned feature series (for example the values, a {@link Rolling#mean} and a
   * {@link Rolling#variance}) and the series to predict: features of width
   * {@code size × features.size()} in the layout {@code [steps, features]}, targets of width 1,
   * the target series' value {@code horizon} steps after the window.
   *
   * @throws IllegalArgumentException if a parameter is &lt; 1, there are no feature series, the
   *     series differ in length or times, a value is missing, or the series are shorter than
   *     {@code size + horizon}
   */
  public static Dataset of(
      List<Series> features, Series target, int size, int horizon, int stride) {
    int count = check(features, target, size, horizon, stride);
    int columns = features.size();
    int width = Math.multiplyExact(size, columns);
    float[] inputs = new float[Math.multiplyExact(count, width)];
    float[] targets = new float[count];
    double[][] raw = new double[columns][];
    for (int c = 0; c < columns; c++) {
      raw[c] = features.get(c).raw();
    }
    double[] goal = target.raw();
    for (int k = 0; k < count; k++) {
      int start = k * stride;
      for (int j = 0; j < size; j++) {
        for (int c = 0; c < columns; c++) {
          inputs[k * width + j * columns + c] = (float) raw[c][start + j];
        }
      }
      targets[k] = (float) goal[start + size - 1 + horizon];
    }
    return new Dataset(inputs, width, targets, 1);
  }

  /**
   * A sequence of targets per sample: the {@code horizon} values that follow the window
   * ({@code x[s+size] … x[s+size+horizon−1]}), for a network that forecasts several steps at
   * once. Features of width {@code size}, targets of width {@code horizon}; the sample count is
   * the same as {@link #of(Series, int, int, int)}'s.
   */
  public static Dataset sequences(Series series, int size, int horizon, int stride) {
    Objects.requireNonNull(series, "series");
    int count = check(List.of(series), series, size, horizon, stride);
    double[] values = series.raw();
    float[] inputs = new float[Math.multiplyExact(count, size)];
    float[] targets = new float[Math.multiplyExact(count, horizon)];
    for (int k = 0; k < count; k++) {
      int start = k * stride;
      for (int j = 0; j < size; j++) {
        inputs[k * size + j] = (float) values[start + j];
      }
      for (int h = 0; h < horizon; h++) {
        targets[k * horizon + h] = (float) values[start + size + h];
      }
    }
    return new Dataset(inputs, size, targets, horizon);
  }

  /**
   * The number of samples a series of {@code length} values gives:
   * {@code ⌊(length − size − horizon) / stride⌋ + 1}, or 0 if {@code length < size + horizon}.
   */
  public static int count(int length, int size, int horizon, int stride) {
    checkParameters(size, horizon, stride);
    if (length < 0) {
      throw new IllegalArgumentException("the length must be >= 0, but got " + length);
    }
    long span = (long) size + horizon;
    return length < span ? 0 : (int) ((length - span) / stride + 1);
  }

  /**
   * The position of sample {@code k}'s target in the series: {@code k·stride + size − 1 +
   * horizon}; its time is {@code series.time(targetPosition(...))}.
   */
  public static int targetPosition(int k, int size, int horizon, int stride) {
    checkParameters(size, horizon, stride);
    return Math.addExact(Math.multiplyExact(k, stride), size - 1 + horizon);
  }

  private static int check(
      List<Series> features, Series target, int size, int horizon, int stride) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(target, "target");
    checkParameters(size, horizon, stride);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("no feature series");
    }
    int n = target.size();
    for (int c = 0; c < features.size(); c++) {
      Series feature = Objects.requireNonNull(features.get(c), "feature series " + c);
      if (feature.size() != n) {
        throw new IllegalArgumentException("feature series " + c + " (" + feature.name()
            + ") has " + feature.size() + " values but the target " + target.name() + " has " + n
            + "; slice them to the same positions");
      }
      String[] times = feature.rawTimes();
      String[] targetTimes = target.rawTimes();
      for (int i = 0; i < n; i++) {
        if (!times[i].equals(targetTimes[i])) {
          throw new IllegalArgumentException("feature series " + c + " (" + feature.name()
              + ") is not aligned with the target " + target.name() + ": value " + i
              + " is at " + times[i] + " in one and " + targetTimes[i] + " in the other");
        }
      }
      feature.requireComplete("building windows");
    }
    target.requireComplete("building windows");
    int count = count(n, size, horizon, stride);
    if (count == 0) {
      throw new IllegalArgumentException(target.name() + " has " + n
          + " values, too few for one window of size " + size + " and horizon " + horizon
          + " (needs " + ((long) size + horizon) + ")");
    }
    return count;
  }

  private static void checkParameters(int size, int horizon, int stride) {
    if (size < 1) {
      throw new IllegalArgumentException("the window size must be >= 1, but got " + size);
    }
    if (horizon < 1) {
      throw new IllegalArgumentException(
          "the horizon must be >= 1 (1 = the next value), but got " + horizon);
    }
    if (stride < 1) {
      throw new IllegalArgumentException("the stride must be >= 1, but got " + stride);
    }
  }
}
