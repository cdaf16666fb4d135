package dev.nnet.runtime.regularize;

/**
 * L1 penalty (lasso), Keras' {@code L1(l1)}: for the weights w,
 *
 * <pre>
 *   penalty = l1 · Σ_i |w_i|,    ∂penalty/∂w_i = l1 · sign(w_i)
 * </pre>
 *
 * <p>with sign(0) = 0, the subgradient TensorFlow uses for |w| at 0, so a weight at exactly 0 gets
 * no push. It drives weights towards exactly zero (sparse weights). Immutable.
 */
public final class L1 implements Regularizer {

  /** Keras' default factor. */
  public static final double DEFAULT_L1 = 0.01;

  private final double l1;

  /** L1 with factor 0.01. */
  public L1() {
    this(DEFAULT_L1);
  }

  /** @throws IllegalArgumentException if {@code l1} is not finite and &gt;= 0 */
  public L1(double l1) {
    this.l1 = Checks.nonNegative("l1", l1);
  }

  public double l1() {
    return l1;
  }

  @Override
  public double penalty(float[] parameters, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    double sum = 0;
    for (int i = offset, end = offset + count; i < end; i++) {
      sum += Math.abs(parameters[i]);
    }
    return l1 * sum;
  }

  @Override
  public void addGradient(float[] parameters, float[] gradients, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    Checks.range("gradients", gradients.length, offset, count);
    final float scale = (float) l1;
    for (int i = offset, end = offset + count; i < end; i++) {
      gradients[i] += scale * Math.signum(parameters[i]);
    }
  }

  @Override
  public double penalty(double[] parameters, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    double sum = 0;
    for (int i = offset, end = offset + count; i < end; i++) {
      sum += Math.abs(parameters[i]);
    }
    return l1 * sum;
  }

  @Override
  public void addGradient(double[] parameters, double[] gradients, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    Checks.range("gradients", gradients.length, offset, count);
    for (int i = offset, end = offset + count; i < end; i++) {
      gradients[i] += l1 * Math.signum(parameters[i]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L1 other && Double.compare(l1, other.l1) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(l1);
  }

  @Override
  public String toString() {
    return "L1(l1=" + l1 + ")";
  }
}
