package dev.nnet.runtime.optim;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2). For step t = 1, 2, …, gradient g, learning rate α and weight
 * decay λ:
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t)
 *   v̂ = v / (1 − β2^t)
 *   w ← w − α·λ·w − α·m̂ / (√v̂ + ε)
 * </pre>
 *
 * <p>The decay is <em>decoupled</em>: it shrinks the weights directly instead of adding λ·w to the
 * gradient, so it is not divided by √v̂ and weights with large gradients decay as fast as the
 * others. Without gradients, w shrinks by the factor (1 − α·λ) per step. As in Keras and PyTorch,
 * the decay is scaled by the learning rate α (the paper's schedule multiplier η_t is α here), and
 * it uses the weights from before the step. It applies to every parameter, biases included
 * (Keras' default; there is no {@code exclude_from_weight_decay}).
 *
 * <p>The Adam part is exactly {@link Adam}'s, including where ε goes: after the bias correction,
 * as in Kingma &amp; Ba's Algorithm 1 and PyTorch. Keras adds ε to the uncorrected √v instead,
 * which differs only while √v̂ is of the order of ε. With λ = 0 it takes exactly Adam's steps.
 *
 * <p>Defaults are Keras': α = 0.001, λ = 0.004, β1 = 0.9, β2 = 0.999, ε = 1e-7. The moments live
 * in the state slots {@code "m"} and {@code "v"}, as for Adam. Immutable.
 */
public record AdamW(
    double learningRate,
    double weightDecay,
    double beta1,
    double beta2,
    double epsilon) implements ElementwiseOptimizer {

  /** The name of the first-moment slot in {@link OptimizerState}. */
  public static final String M = Adam.M;
  /** The name of the second-moment slot in {@link OptimizerState}. */
  public static final String V = Adam.V;

  public static final double DEFAULT_LEARNING_RATE = 0.001;
  public static final double DEFAULT_WEIGHT_DECAY = 0.004;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  /** AdamW with Keras' defaults. */
  public AdamW() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** AdamW with the given learning rate and Keras' other defaults. */
  public AdamW(double learningRate) {
    this(learningRate, DEFAULT_WEIGHT_DECAY);
  }

  /** AdamW with the given learning rate and weight decay and Keras' other defaults. */
  public AdamW(double learningRate, double weightDecay) {
    this(learningRate, weightDecay, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  /**
   * The arguments are in Keras' order.
   *
   * @throws IllegalArgumentException if the learning rate or epsilon is not finite and &gt; 0, the
   *     weight decay is not finite and &gt;= 0, or a beta is not in [0, 1)
   */
  public AdamW {
    learningRate = Checks.positive("learning rate", learningRate);
    weightDecay = Checks.nonNegative("weight decay", weightDecay);
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
    // As in Adam: α·m̂/(√v̂ + ε) = stepSize·m / (√v·invSqrtCorrection2 + ε).
    final float stepSize = (float) (learningRate / (1 - Math.pow(beta1, t)));
    final float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
    // w − α·λ·w rather than w·(1 − α·λ): 1 − 4e-6 rounded to float would lose about 2 of the
    // decay's digits.
    final float decay = (float) (learningRate * weightDecay);
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
      float w = parameters[i];
      parameters[i] = w - decay * w
          - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtCorrection2 + eps);
    }
  }
}
