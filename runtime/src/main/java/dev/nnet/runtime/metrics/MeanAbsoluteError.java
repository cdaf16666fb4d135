package dev.nnet.runtime.metrics;

/**
 * Mean absolute error, {@code mae} (Keras' {@code mean_absolute_error}): the mean over all
 * {@code count × width} elements of the absolute difference between output y and target t,
 *
 * <pre>
 *   MAE = (1/(N·W)) Σ_n Σ_j |y_nj − t_nj|
 * </pre>
 *
 * <p>which is also Keras' mean over the batch of each sample's mean. Needs {@code targetWidth ==
 * outputWidth}. Always ≥ 0; NaN only if an output or target is NaN. Stateless; use
 * {@link #INSTANCE}.
 */
public final class MeanAbsoluteError implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "mae";

  public static final MeanAbsoluteError INSTANCE = new MeanAbsoluteError();

  private MeanAbsoluteError() {}

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
      sum += Math.abs((double) outputs[i] - targets[i]);
    }
    return sum / n;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
