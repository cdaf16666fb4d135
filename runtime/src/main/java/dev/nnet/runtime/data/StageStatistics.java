package dev.nnet.runtime.data;

import java.util.Arrays;

/**
 * Fits the statistics of a network's preprocessing stages ({@code normalize}, {@code impute}) on
 * training data. Generated {@code adapt} methods call these once before training; the fitted
 * values go into the network's state array, are saved with the model and are applied by the
 * generated code at prediction time. Statistics are computed in double and per feature of the
 * last axis: {@code values} holds {@code rows} rows of {@code features} values.
 */
public final class StageStatistics {
  private StageStatistics() {}

  /**
   * Copies one input out of each sample: {@code count} samples of {@code sampleSize} values from
   * {@code offset}, taking {@code size} values from {@code at} within each.
   */
  public static float[] gather(float[] inputs, int offset, int count, int sampleSize, int at, int size) {
    float[] out = new float[Math.multiplyExact(count, size)];
    for (int b = 0; b < count; b++) {
      System.arraycopy(inputs, offset + b * sampleSize + at, out, b * size, size);
    }
    return out;
  }

  /**
   * Mean and (population) variance of each feature into {@code state} at {@code meanOffset} and
   * {@code varianceOffset}, as Keras {@code Normalization.adapt} does.
   *
   * @throws IllegalArgumentException if a value is NaN or infinite (name the stage in the message)
   */
  public static void meanAndVariance(String stage, float[] values, int rows, int features, float[] state,
      int meanOffset, int varianceOffset) {
    for (int j = 0; j < features; j++) {
      double mean = 0;
      for (int r = 0; r < rows; r++) {
        float v = values[r * features + j];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(stage + ": feature " + j + " of row " + r
              + " is " + v + "; normalize needs finite values (put impute(...) before it for missing values)");
        }
        mean += v;
      }
      mean /= rows;
      double variance = 0;
      for (int r = 0; r < rows; r++) {
        double d = values[r * features + j] - mean;
        variance += d * d;
      }
      state[meanOffset + j] = (float) mean;
      state[varianceOffset + j] = (float) (variance / rows);
    }
  }

  /**
   * The fill value of each feature for missing (NaN) values: the mean, median or most frequent
   * of the values present, into {@code state} at {@code fillOffset}.
   *
   * @throws IllegalArgumentException if a feature has no value present, or the strategy is unknown
   */
  public static void fill(String stage, String strategy, float[] values, int rows, int features, float[] state,
      int fillOffset) {
    double[] present = new double[rows];
    for (int j = 0; j < features; j++) {
      int n = 0;
      for (int r = 0; r < rows; r++) {
        float v = values[r * features + j];
        if (!Float.isNaN(v)) {
          present[n++] = v;
        }
      }
      if (n == 0) {
        throw new IllegalArgumentException(stage + ": feature " + j + " is missing (NaN) in all " + rows
            + " rows, so there is no " + strategy.replace('_', ' ') + " to impute; use strategy: constant");
      }
      state[fillOffset + j] = (float) switch (strategy) {
        case "mean" -> mean(present, n);
        case "median" -> median(present, n);
        case "most_frequent" -> mostFrequent(present, n);
        default -> throw new IllegalArgumentException(stage + ": unknown strategy '" + strategy + "'");
      };
    }
  }

  static double mean(double[] values, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += values[i];
    }
    return sum / n;
  }

  /** The median of the first {@code n} values (the mean of the middle two for even n); sorts them. */
  static double median(double[] values, int n) {
    Arrays.sort(values, 0, n);
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** The most frequent of the first {@code n} values, the smallest on a tie; sorts them. */
  static double mostFrequent(double[] values, int n) {
    Arrays.sort(values, 0, n);
    double best = values[0];
    int bestRun = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && values[j] == values[i]) {
        j++;
      }
      if (j - i > bestRun) {
        bestRun = j - i;
        best = values[i];
      }
      i = j;
    }
    return best;
  }
}
