package dev.nnet.runtime.loss;

/**
 * The Huber loss, {@code huber} (Huber 1964, "Robust Estimation of a Location Parameter"), with
 * Keras' semantics: quadratic for errors up to δ, linear beyond, averaged over each sample's width.
 * With d = y − t:
 *
 * <pre>
 *   h(d) = ½·d²              if |d| ≤ δ          h'(d) = d
 *        = δ·|d| − ½·δ²      otherwise           h'(d) = δ·sign(d)
 *   L = (1/N) Σ_n s_n · (1/W) Σ_j h(y_nj − t_nj),    ∂L/∂y_nj = s_n · h'(y_nj − t_nj) / (N·W)
 * </pre>
 *
 * <p>for N = {@code count} samples of W = {@code width} outputs y, targets t and sample weights s
 * (all 1 without weights). Both pieces meet with equal value and slope at |d| = δ, so the
 * gradient is continuous and bounded by δ. Sums are accumulated in double precision, also in the
 * float overloads. Immutable; {@link #INSTANCE} has Keras' default δ = 1.
 */
public final class Huber implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "huber";

  public static final double DEFAULT_DELTA = 1.0;

  /** Huber with δ = 1. */
  public static final Huber INSTANCE = new Huber(DEFAULT_DELTA);

  private final double delta;
  private final double halfDeltaSquared;

  /** @throws IllegalArgumentException if delta is not finite and &gt; 0 */
  public Huber(double delta) {
    this.delta = Checks.positive("delta", delta);
    this.halfDeltaSquared = 0.5 * delta * delta;
  }

  /** Where the loss turns from quadratic to linear. */
  public double delta() {
    return delta;
  }

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
        sum += huber((double) outputs[base + j] - targets[targetBase + j]);
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
        sum += huber(d);
        gradient[base + j] = (float) (rowScale * slope(d));
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
        sum += huber(outputs[base + j] - targets[targetBase + j]);
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
        sum += huber(d);
        gradient[base + j] = rowScale * slope(d);
      }
      total += weight * sum;
    }
    return total / ((double) count * width);
  }

  private double huber(double d) {
    double a = Math.abs(d);
    // NaN fails the comparison and takes the linear branch, which keeps it NaN.
    return a <= delta ? 0.5 * d * d : delta * a - halfDeltaSquared;
  }

  private double slope(double d) {
    return Math.abs(d) <= delta ? d : delta * Math.signum(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Huber other && Double.compare(delta, other.delta) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(delta);
  }

  /**
   * The name and δ, with Keras' argument name in the call syntax of a train block:
   * {@code huber(delta: 1.0)}.
   */
  @Override
  public String toString() {
    return NAME + "(delta: " + delta + ")";
  }
}
