package dev.nnet.runtime.metrics;

/**
 * Root mean squared error, {@code rmse} (Keras' {@code RootMeanSquaredError}): the square root of
 * the mean over all {@code count × width} elements of the squared difference between output y and
 * target t,
 *
 * <pre>
 *   RMSE = √( (1/(N·W)) Σ_n Σ_j (y_nj − t_nj)² )
 * </pre>
 *
 * <p>in the targets' units. Needs {@code targetWidth == outputWidth}. Always ≥ 0; NaN only if an
 * output or target is NaN. Stateless; use {@link #INSTANCE}.
 */
public final class RootMeanSquaredError implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "rmse";

  public static final RootMeanSquaredError INSTANCE = new RootMeanSquaredError();

  private RootMeanSquaredError() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.regression(NAME, outputs, targets, count, outputWidth, targetWidth);
    final int n = count * outputWidth;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = (double) outputs[i] - targets[i];
      sum += d * d;
    }
    return Math.sqrt(sum / n);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
