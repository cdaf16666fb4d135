package dev.nnet.runtime.optim;

/**
 * Nadam: Adam with Nesterov momentum (Dozat 2016, "Incorporating Nesterov Momentum into Adam",
 * Algorithm 2), in the formulation of Keras 2's {@code tf.keras.optimizers.Nadam}: the first
 * moment decays with the constant β1, and the Nesterov look-ahead uses Dozat's momentum schedule
 * ("momentum cache") with schedule decay 0.004,
 *
 * <pre>
 *   μ_t = β1·(1 − ½·0.96^(0.004·t))
 * </pre>
 *
 * <p>For step t = 1, 2, …, gradient g, learning rate α:
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = μ_{t+1}·m / (1 − Π_{i≤t+1} μ_i)  +  (1 − μ_t)·g / (1 − Π_{i≤t} μ_i)
 *   v̂ = v / (1 − β2^t)
 *   w ← w − α·m̂ / (√v̂ + ε)
 * </pre>
 *
 * <p>Keras 3 writes the schedule as β1·(1 − ½·0.96^t), without the 0.004; this class keeps
 * Dozat's (and Keras 2's) 0.004, under which μ_t rises from about β1/2 towards β1 over tens of
 * thousands of steps (it is 0.75·β1 after about 4,200) instead of within about a hundred. ε is
 * added to √v̂, as in both Kerases and the paper.
 *
 * <p>The product Π μ_i is not stored: it is recomputed from the step count
 * ({@link OptimizerState#iterations()}), so the state is only the slots {@code "m"} and
 * {@code "v"} and a checkpoint of slots and iterations restores Nadam exactly. Each μ_i is below
 * 0.51 for i ≤ 62, so the product falls below 2^−60 within about 62 factors; from there
 * 1 − Π is exactly 1 in double precision and the recomputation stops, so a step costs at most
 * about 62 scalar multiplications however long training runs. The coefficients are computed once
 * per step, in double precision.
 *
 * <p>Defaults are Keras': α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-7. Immutable.
 */
public record Nadam(double learningRate, double beta1, double beta2, double epsilon)
    implements ElementwiseOptimizer {

  /** The name of the first-moment slot in {@link OptimizerState}. */
  public static final String M = Adam.M;
  /** The name of the second-moment slot in {@link OptimizerState}. */
  public static final String V = Adam.V;

  public static final double DEFAULT_LEARNING_RATE = 0.001;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-7;

  /** Dozat's schedule decay: μ_t = β1·(1 − ½·0.96^(SCHEDULE_DECAY·t)). */
  public static final double SCHEDULE_DECAY = 0.004;

  /** Below this, 1 − Π μ_i rounds to exactly 1 in double precision. */
  private static final double NEGLIGIBLE_PRODUCT = 0x1p-60;

  /** Nadam with Keras' defaults. */
  public Nadam() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** Nadam with the given learning rate and Keras' other defaults. */
  public Nadam(double learningRate) {
    this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  /**
   * @throws IllegalArgumentException if the learning rate or epsilon is not finite and &gt; 0, or
   *     a beta is not in [0, 1)
   */
  public Nadam {
    learningRate = Checks.positive("learning rate", learningRate);
    beta1 = Checks.unitInterval("beta1", beta1);
    beta2 = Checks.unitInterval("beta2", beta2);
    epsilon = Checks.positive("epsilon", epsilon);
  }

  /** The momentum schedule μ_t = β1·(1 − ½·0.96^(0.004·t)) for 1-based step t. */
  public double momentumAt(long t) {
    return beta1 * (1 - 0.5 * Math.pow(0.96, SCHEDULE_DECAY * t));
  }

  /**
   * The product μ_1·μ_2·…·μ_t, or a value below 2^−60 that is no larger than it once the product
   * gets there (1 − either is then exactly 1).
   */
  double momentumProduct(long t) {
    double product = 1;
    for (long i = 1; i <= t && product >= NEGLIGIBLE_PRODUCT; i++) {
      product *= momentumAt(i);
    }
    return product;
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
    final double mu = momentumAt(t);
    final double muNext = momentumAt(t + 1);
    final double product = momentumProduct(t);
    final double productNext = product * muNext;
    // α·m̂/(√v̂ + ε) = (momentumStep·m + gradientStep·g) / (√v·invSqrtCorrection2 + ε).
    final float momentumStep = (float) (learningRate * muNext / (1 - productNext));
    final float gradientStep = (float) (learningRate * (1 - mu) / (1 - product));
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
      parameters[i] -= (momentumStep * mi + gradientStep * g)
          / ((float) Math.sqrt(vi) * invSqrtCorrection2 + eps);
    }
  }
}
