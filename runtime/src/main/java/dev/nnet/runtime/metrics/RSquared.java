package dev.nnet.runtime.metrics;

/**
 * The coefficient of determination R², {@code r2} (scikit-learn's {@code r2_score}, Keras'
 * {@code R2Score}): for each output column j, one minus the residual sum of squares over the total
 * sum of squares of the targets about their mean,
 *
 * <pre>
 *   R²_j = 1 − Σ_n (t_nj − y_nj)² / Σ_n (t_nj − t̄_j)²,     R² = (1/W) Σ_j R²_j
 * </pre>
 *
 * <p>averaged uniformly over the W columns ({@code multioutput="uniform_average"}). 1 is a perfect
 * fit, 0 is as good as predicting each column's mean, and a worse fit is negative (unbounded).
 *
 * <p>Constant targets: a column whose targets are all equal has no variance to explain; its R²_j
 * is 1 if the outputs match the targets exactly and 0 otherwise (scikit-learn's
 * {@code force_finite=True}). So a single sample always gives 1 or 0. NaN only if an output or
 * target is NaN. Needs {@code targetWidth == outputWidth}. Two passes per column in double.
 * Stateless; use {@link #INSTANCE}.
 */
public final class RSquared implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "r2";

  public static final RSquared INSTANCE = new RSquared();

  private RSquared() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.regression(NAME, outputs, targets, count, outputWidth, targetWidth);
    final int width = outputWidth;
    final int n = count * width;
    double sum = 0;
    for (int j = 0; j < width; j++) {
      // Two passes in double. Float targets sum exactly in double (below 2^29 samples), so a
      // constant column has a mean of exactly its value and a total of exactly 0.
      double mean = 0;
      for (int i = j; i < n; i += width) {
        mean += targets[i];
      }
      mean /= count;
      double total = 0;
      double residual = 0;
      for (int i = j; i < n; i += width) {
        double spread = targets[i] - mean;
        double error = (double) targets[i] - outputs[i];
        total += spread * spread;
        residual += error * error;
      }
      if (total > 0) {
        sum += 1 - residual / total;
      } else if (residual == 0) {
        sum += 1;
      } else {
        sum += residual == residual ? 0 : Double.NaN;
      }
    }
    return sum / width;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
