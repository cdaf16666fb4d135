package dev.nnet.runtime.regularize;

/**
 * L1 and L2 penalties together (elastic net), Keras' {@code L1L2(l1, l2)}: for the weights w,
 *
 * <pre>
 *   penalty = l1 · Σ_i |w_i| + l2 · Σ_i w_i²,    ∂penalty/∂w_i = l1 · sign(w_i) + 2 · l2 · w_i
 * </pre>
 *
 * <p>with sign(0) = 0, as in {@link L1} and {@link L2}, in one pass. Immutable.
 */
public final class L1L2 implements Regularizer {

  private final double l1;
  private final double l2;

  /** @throws IllegalArgumentException if a factor is not finite and &gt;= 0 */
  public L1L2(double l1, double l2) {
    this.l1 = Checks.nonNegative("l1", l1);
    this.l2 = Checks.nonNegative("l2", l2);
  }

  public double l1() {
    return l1;
  }

  public double l2() {
    return l2;
  }

  @Override
  public double penalty(float[] parameters, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    double absolute = 0;
    double squares = 0;
    for (int i = offset, end = offset + count; i < end; i++) {
      double w = parameters[i];
      absolute += Math.abs(w);
      squares += w * w;
    }
    return l1 * absolute + l2 * squares;
  }

  @Override
  public void addGradient(float[] parameters, float[] gradients, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    Checks.range("gradients", gradients.length, offset, count);
    final float a = (float) l1;
    final float b = (float) (2 * l2);
    for (int i = offset, end = offset + count; i < end; i++) {
      float w = parameters[i];
      gradients[i] += a * Math.signum(w) + b * w;
    }
  }

  @Override
  public double penalty(double[] parameters, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    double absolute = 0;
    double squares = 0;
    for (int i = offset, end = offset + count; i < end; i++) {
      double w = parameters[i];
      absolute += Math.abs(w);
      squares += w * w;
    }
    return l1 * absolute + l2 * squares;
  }

  @Override
  public void addGradient(double[] parameters, double[] gradients, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    Checks.range("gradients", gradients.length, offset, count);
    final double b = 2 * l2;
    for (int i = offset, end = offset + count; i < end; i++) {
      double w = parameters[i];
      gradients[i] += l1 * Math.signum(w) + b * w;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1L2 other
        && Double.compare(l1, other.l1) == 0
        && Double.compare(l2, other.l2) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(l1) * 31 + Double.hashCode(l2);
  }

  @Override
  public String toString() {
    return "L1L2(l1=" + l1 + ", l2=" + l2 + ")";
  }
}
