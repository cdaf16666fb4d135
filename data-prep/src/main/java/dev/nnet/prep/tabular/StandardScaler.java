package dev.nnet.prep.tabular;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Standardizer;

/**
 * {@code (x − mean) / standard deviation} per column, with the statistics of the training rows
 * (the runtime's {@link Standardizer} does the work). Impute missing values first.
 */
public final class StandardScaler {
  private final Standardizer standardizer;
  private final int width;

  private StandardScaler(Standardizer standardizer, int width) {
    this.standardizer = standardizer;
    this.width = width;
  }

  public static StandardScaler fit(float[] train, int width) {
    Columns.requireRows(train, width, "a standard scaler");
    for (float v : train) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("standard scaling needs finite values, but found " + v
            + "; impute missing values first");
      }
    }
    return new StandardScaler(Standardizer.fit(Dataset.of(train, width, new float[Columns.rows(train, width)], 1)), width);
  }

  /** New rows, scaled with the fitted statistics. */
  public float[] apply(float[] data, int width) {
    Columns.requireWidth(this.width, width, "the standard scaler");
    return standardizer.apply(Dataset.of(data, width, new float[Columns.rows(data, width)], 1)).features();
  }

  public double[] means() {
    return standardizer.means();
  }

  /** The standard deviations (1 for a constant column). */
  public double[] scales() {
    return standardizer.scales();
  }
}
