package dev.nnet.runtime.optim;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1). For
 * step t = 1, 2, …, gradient g, learning rate α:
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t)
 *   v̂ = v / (1 − β2^t)
 *   w ← w − α·m̂ / (√v̂ + ε)
 * </pre>
 *
 * <p>The bias corrections 1/(1 − β^t) are computed once per step, in double precision, and the
 * per-element loop only multiplies. Note that ε is added to the bias-corrected √v̂ exactly as in
 * Algorithm 1 (as PyTorch does); Keras instead adds ε to the uncorrected √v, which differs only
 * while √v̂ is of the order of ε.
 *
 * <p>Defaults are Keras': α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-7. The moments live in the state
 * slots {@code "m"} and {@code "v"}. Immutable.
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon)
    implements ElementwiseOptimizer {

  /** The name of the first-moment slot in {@link OptimizerState}. */
  public static final String M = "m";
  /** The name of the second-moment slot in {@link OptimizerState}. */
  public static final String V = "v";

  public static final double DEFAULT_LEARNING_RATE = 0.001;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  /** Adam with Keras' defaults. */
  public Adam() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** Adam with the given learning rate and Keras' other defaults. */
  public Adam(double learningRate) {
    this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  /**
   * @throws IllegalArgumentException if the learning rate or epsilon is not finite and &gt; 0, or
   *     a beta is not in [0, 1)
   */
  public Adam {
    learningRate = Checks.positive("learning rate", learningRate);
    beta1 = Checks.unitInterval("beta1", beta1);
    beta2 = Checks.unitInterval("beta2", beta2);
    epsilon = Checks.positive("epsilon", epsilon);
  }

  @Override
  public OptimizerState newState(int parameterCount) {
    return new OptimizerState(parameterCount, M, V);
  }

  @Override
  public void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to) {
    final float[] m = state.slot(M);
    final float[] v = state.slot(V);
    // Once per step: α/(1 − β1^t) and 1/√(1 − β2^t), so that
    // α·m̂/(√v̂ + ε) = stepSize·m / (√v·invSqrtCorrection2 + ε).
    final float stepSize = (float) (learningRate / (1 - Math.pow(beta1, t)));
    final float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
    final float b1 = (float) beta1;
    final float b2 = (float) beta2;
    final float oneMinusB1 = (float) (1 - beta1);
    final float oneMinusB2 = (float) (1 - beta2);
    final float eps = (float) epsilon;
    for (int i = from; i < to; i++) {
      float g = gradients[i];
      float mi = b1 * m[i] + oneMinusB1 * g;
      float vi = b2 * v[i] + oneMinusB2 * g * g;
      m[i] = mi;
      v[i] = vi;
      parameters[i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtCorrection2 + eps);
    }
  }
}
