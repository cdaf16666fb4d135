package dev.nnet.runtime.regularize;

/**
 * L2 penalty (weight decay, ridge), Keras' {@code L2(l2)}: for the weights w,
 *
 * <pre>
 *   penalty = l2 · Σ_i w_i²,    ∂penalty/∂w_i = 2 · l2 · w_i
 * </pre>
 *
 * <p>Note Keras' convention: no ½ in front, so the gradient carries a 2 (PyTorch's
 * {@code weight_decay=λ} corresponds to l2 = λ/2 with plain SGD). Immutable.
 */
public final class L2 implements Regularizer {

  /** Keras' default factor. */
  public static final double DEFAULT_L2 = 0.01;

  private final double l2;

  /** L2 with factor 0.01. */
  public L2() {
    this(DEFAULT_L2);
  }

  /** @throws IllegalArgumentException if {@code l2} is not finite and &gt;= 0 */
  public L2(double l2) {
    this.l2 = Checks.nonNegative("l2", l2);
  }

  public double l2() {
    return l2;
  }

  @Override
  public double penalty(float[] parameters, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    double sum = 0;
    for (int i = offset, end = offset + count; i < end; i++) {
      double w = parameters[i];
      sum += w * w;
    }
    return l2 * sum;
  }

  @Override
  public void addGradient(float[] parameters, float[] gradients, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    Checks.range("gradients", gradients.length, offset, count);
    final float scale = (float) (2 * l2);
    for (int i = offset, end = offset + count; i < end; i++) {
      gradients[i] += scale * parameters[i];
    }
  }

  @Override
  public double penalty(double[] parameters, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    double sum = 0;
    for (int i = offset, end = offset + count; i < end; i++) {
      double w = parameters[i];
      sum += w * w;
    }
    return l2 * sum;
  }

  @Override
  public void addGradient(double[] parameters, double[] gradients, int offset, int count) {
    Checks.range("parameters", parameters.length, offset, count);
    Checks.range("gradients", gradients.length, offset, count);
    final double scale = 2 * l2;
    for (int i = offset, end = offset + count; i < end; i++) {
      gradients[i] += scale * parameters[i];
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof L2 other && Double.compare(l2, other.l2) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(l2);
  }

  @Override
  public String toString() {
    return "L2(l2=" + l2 + ")";
  }
}
