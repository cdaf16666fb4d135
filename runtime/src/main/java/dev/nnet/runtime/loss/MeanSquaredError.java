package dev.nnet.runtime.loss;

/**
 * Mean squared error, {@code mean_squared_error}, with Keras' semantics: the mean over the batch of
 * each sample's mean over its width of the squared difference,
 *
 * <pre>
 *   L = (1/N) Σ_n (1/W) Σ_j (y_nj − t_nj)²,    ∂L/∂y_nj = 2 (y_nj − t_nj) / (N·W)
 * </pre>
 *
 * <p>for N = {@code count} samples of W = {@code width} outputs y and targets t. Sums are
 * accumulated in double precision, also in the float overloads. Stateless; use {@link #INSTANCE}.
 */
public final class MeanSquaredError implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "mean_squared_error";

  public static final MeanSquaredError INSTANCE = new MeanSquaredError();

  private MeanSquaredError() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public float value(float[] outputs, float[] targets, int targetOffset, int count, int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    final int n = count * width;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = outputs[i] - targets[targetOffset + i];
      sum += d * d;
    }
    return (float) (sum / n);
  }

  @Override
  public float valueAndGradient(
      float[] outputs, float[] targets, int targetOffset, float[] gradient, int count, int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    final int n = count * width;
    // Every element's weight in the mean is 1/(N·W), so one scale covers the whole batch.
    final double scale = 2.0 / n;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = outputs[i] - targets[targetOffset + i];
      sum += d * d;
      gradient[i] = (float) (scale * d);
    }
    return (float) (sum / n);
  }

  @Override
  public double value(double[] outputs, double[] targets, int targetOffset, int count, int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    final int n = count * width;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = outputs[i] - targets[targetOffset + i];
      sum += d * d;
    }
    return sum / n;
  }

  @Override
  public double valueAndGradient(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] gradient,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    final int n = count * width;
    final double scale = 2.0 / n;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = outputs[i] - targets[targetOffset + i];
      sum += d * d;
      gradient[i] = scale * d;
    }
    return sum / n;
  }

  private static void check(int outputs, int targets, int targetOffset, int count, int width) {
    Checks.batch(count, width);
    Checks.array("outputs", outputs, 0, count, width);
    Checks.array("targets", targets, targetOffset, count, width);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
