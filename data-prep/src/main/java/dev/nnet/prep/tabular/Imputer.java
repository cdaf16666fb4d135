package dev.nnet.prep.tabular;

import dev.nnet.runtime.data.StageStatistics;

/**
 * Replaces missing values (NaN) by each column's mean, median or most frequent training value, or
 * by a constant. The statistics are the same ones the {@code impute} stage of a {@code .nnet}
 * network fits ({@link StageStatistics}), so imputing here or in the network agrees.
 */
public final class Imputer {
  /** How a missing value is filled. */
  public enum Strategy {
    MEAN, MEDIAN, MOST_FREQUENT, CONSTANT
  }

  private final float[] fill;

  private Imputer(float[] fill) {
    this.fill = fill;
  }

  public static Imputer fit(float[] train, int width, Strategy strategy) {
    if (strategy == Strategy.CONSTANT) {
      throw new IllegalArgumentException("a constant needs no fitting: use Imputer.constant(width, value)");
    }
    int rows = Columns.rows(train, width);
    Columns.requireRows(train, width, "an imputer");
    float[] fill = new float[width];
    StageStatistics.fill("imputer", strategy.name().toLowerCase(java.util.Locale.ROOT), train, rows, width, fill, 0);
    return new Imputer(fill);
  }

  public static Imputer constant(int width, float value) {
    float[] fill = new float[width];
    java.util.Arrays.fill(fill, value);
    return new Imputer(fill);
  }

  public float[] apply(float[] data, int width) {
    Columns.requireWidth(fill.length, width, "the imputer");
    float[] out = data.clone();
    for (int k = 0; k < out.length; k++) {
      if (Float.isNaN(out[k])) {
        out[k] = fill[k % width];
      }
    }
    return out;
  }

  /** The value each column's missing cells become. */
  public float[] fillValues() {
    return fill.clone();
  }

  /** The rows of {@code data} with no missing value, as row indices (listwise deletion). */
  public static int[] completeRows(float[] data, int width) {
    int rows = Columns.rows(data, width);
    return java.util.stream.IntStream.range(0, rows).filter(r -> {
      for (int c = 0; c < width; c++) {
        if (Float.isNaN(data[r * width + c])) {
          return false;
        }
      }
      return true;
    }).toArray();
  }

  /** The most frequent category of a column (ignoring missing ones), the first in sort order on a tie. */
  public static String mostFrequent(String[] column) {
    java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<>();
    for (String value : column) {
      if (value != null) {
        counts.merge(value, 1, Integer::sum);
      }
    }
    if (counts.isEmpty()) {
      throw new IllegalArgumentException("every value of the column is missing");
    }
    String best = null;
    for (var entry : counts.entrySet()) {
      if (best == null || entry.getValue() > counts.get(best)) {
        best = entry.getKey();
      }
    }
    return best;
  }

  /** The column with missing categories (null) replaced by {@code fill}. */
  public static String[] fillCategories(String[] column, String fill) {
    String[] out = column.clone();
    for (int r = 0; r < out.length; r++) {
      if (out[r] == null) {
        out[r] = fill;
      }
    }
    return out;
  }
}
