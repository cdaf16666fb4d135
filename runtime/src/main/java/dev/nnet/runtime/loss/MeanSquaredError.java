package dev.nnet.runtime.loss;

/**
 * Mean squared error, {@code mean_squared_error} (alias {@code mse}), with Keras' semantics: each
 * sample's loss is the mean over its width of the squared difference, and the batch's value is
 * the mean over the batch of the weighted sample losses,
 *
 * <pre>
 *   L = (1/N) Σ_n s_n · (1/W) Σ_j (y_nj − t_nj)²,    ∂L/∂y_nj = 2·s_n·(y_nj − t_nj) / (N·W)
 * </pre>
 *
 * <p>for N = {@code count} samples of W = {@code width} outputs y, targets t and sample weights s
 * (all 1 without weights). Sums are accumulated in double precision, also in the float overloads.
 * Stateless; use {@link #INSTANCE}.
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
  public float value(
      float[] outputs,
      float[] targets,
      int targetOffset,
      float[] sampleWeights,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double d = outputs[base + j] - targets[targetBase + j];
        sum += d * d;
      }
      total += Checks.weight(sampleWeights, row) * sum;
    }
    return (float) (total / ((double) count * width));
  }

  @Override
  public float valueAndGradient(
      float[] outputs,
      float[] targets,
      int targetOffset,
      float[] sampleWeights,
      float[] gradient,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    Checks.sampleWeights(sampleWeights, count);
    // Every element's weight in the mean is s_n/(N·W), so one scale covers a row.
    final double scale = 2.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double d = outputs[base + j] - targets[targetBase + j];
        sum += d * d;
        gradient[base + j] = (float) (rowScale * d);
      }
      total += weight * sum;
    }
    return (float) (total / ((double) count * width));
  }

  @Override
  public double value(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] sampleWeights,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double d = outputs[base + j] - targets[targetBase + j];
        sum += d * d;
      }
      total += Checks.weight(sampleWeights, row) * sum;
    }
    return total / ((double) count * width);
  }

  @Override
  public double valueAndGradient(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] sampleWeights,
      double[] gradient,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    Checks.sampleWeights(sampleWeights, count);
    final double scale = 2.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double d = outputs[base + j] - targets[targetBase + j];
        sum += d * d;
        gradient[base + j] = rowScale * d;
      }
      total += weight * sum;
    }
    return total / ((double) count * width);
  }

  private static void check(int outputs, int targets, int targetOffset, int count, int width) {
    Checks.outputsAndTargets(outputs, targets, targetOffset, count, width);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
