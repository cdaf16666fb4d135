package dev.nnet.runtime.loss;

/**
 * The logarithm of the hyperbolic cosine of the error, {@code log_cosh} (alias {@code logcosh}),
 * with Keras' semantics: averaged over each sample's width. With d = y − t:
 *
 * <pre>
 *   L = (1/N) Σ_n s_n · (1/W) Σ_j log(cosh(y_nj − t_nj))
 *   ∂L/∂y_nj = s_n · tanh(y_nj − t_nj) / (N·W)
 * </pre>
 *
 * <p>for N = {@code count} samples of W = {@code width} outputs y, targets t and sample weights s
 * (all 1 without weights). log cosh d is about d²/2 for small d and |d| − log 2 for large d: like
 * {@link MeanSquaredError} near the target, like {@link MeanAbsoluteError} far from it.
 *
 * <p>cosh overflows for |d| &gt; 710, so it is never computed directly. For |d| ≥ 1 the loss is
 * |d| + log1p(exp(−2|d|)) − log 2 (Keras' form), finite for any finite d; for |d| &lt; 1 it is
 * log1p(2·sinh²(d/2)), which keeps full relative precision as d → 0 where the other form would
 * cancel. The gradient tanh d is bounded by 1. Sums are accumulated in double precision, also in
 * the float overloads. Stateless; use {@link #INSTANCE}.
 */
public final class LogCosh implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "log_cosh";

  public static final LogCosh INSTANCE = new LogCosh();

  private static final double LOG_2 = Math.log(2);

  private LogCosh() {}

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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        sum += logCosh((double) outputs[base + j] - targets[targetBase + j]);
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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    Checks.sampleWeights(sampleWeights, count);
    final double scale = 1.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double d = (double) outputs[base + j] - targets[targetBase + j];
        sum += logCosh(d);
        gradient[base + j] = (float) (rowScale * Math.tanh(d));
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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        sum += logCosh(outputs[base + j] - targets[targetBase + j]);
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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    Checks.sampleWeights(sampleWeights, count);
    final double scale = 1.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double d = outputs[base + j] - targets[targetBase + j];
        sum += logCosh(d);
        gradient[base + j] = rowScale * Math.tanh(d);
      }
      total += weight * sum;
    }
    return total / ((double) count * width);
  }

  /** log(cosh(d)) without overflow for large |d| or cancellation for small |d|. */
  static double logCosh(double d) {
    double a = Math.abs(d);
    if (a < 1) {
      // cosh d − 1 = 2·sinh²(d/2), exactly, and accurately for small d.
      double s = Math.sinh(0.5 * a);
      return Math.log1p(2 * s * s);
    }
    // cosh d = e^|d|·(1 + e^(−2|d|))/2; NaN also lands here and stays NaN.
    return a + Math.log1p(Math.exp(-2 * a)) - LOG_2;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
