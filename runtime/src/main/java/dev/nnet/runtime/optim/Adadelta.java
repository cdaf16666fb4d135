package dev.nnet.runtime.optim;

/**
 * Adadelta (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", Algorithm 1) with the
 * update rule of Keras' {@code Adadelta}, which scales Zeiler's update by a learning rate. For
 * learning rate η, decay ρ and gradient g:
 *
 * <pre>
 *   E[g²]  ← ρ·E[g²] + (1 − ρ)·g²
 *   Δ = −√(E[Δ²] + ε) / √(E[g²] + ε) · g
 *   E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²
 *   w ← w + η·Δ
 * </pre>
 *
 * <p>As in Keras, the accumulated update E[Δ²] holds the unscaled Δ, so η only scales the step
 * taken; η = 1 is Zeiler's method. The two running averages start at zero and live in the state
 * slots {@code "accumulated_gradient"} and {@code "accumulated_update"}.
 *
 * <p>Defaults are Keras': η = 0.001, ρ = 0.95, ε = 1e-7. With these, the first step moves every
 * parameter whose gradient is well above √ε by η·√(ε/(1 − ρ)) ≈ 1.4e-6: Adadelta starts slowly,
 * and Zeiler's η = 1 is often the better choice. Immutable.
 */
public record Adadelta(double learningRate, double rho, double epsilon)
    implements ElementwiseOptimizer {

  /** The name of the E[g²] slot in {@link OptimizerState}. */
  public static final String ACCUMULATED_GRADIENT = "accumulated_gradient";
  /** The name of the E[Δ²] slot in {@link OptimizerState}. */
  public static final String ACCUMULATED_UPDATE = "accumulated_update";

  public static final double DEFAULT_LEARNING_RATE = 0.001;
  public static final double DEFAULT_RHO = 0.95;
  public static final double DEFAULT_EPSILON = 1e-7;

  /** Adadelta with Keras' defaults. */
  public Adadelta() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** Adadelta with the given learning rate and Keras' other defaults. */
  public Adadelta(double learningRate) {
    this(learningRate, DEFAULT_RHO, DEFAULT_EPSILON);
  }

  /**
   * @throws IllegalArgumentException if the learning rate or epsilon is not finite and &gt; 0, or
   *     rho is not in [0, 1)
   */
  public Adadelta {
    learningRate = Checks.positive("learning rate", learningRate);
    rho = Checks.unitInterval("rho", rho);
    epsilon = Checks.positive("epsilon", epsilon);
  }

  @Override
  public OptimizerState newState(int parameterCount) {
    return new OptimizerState(parameterCount, ACCUMULATED_GRADIENT, ACCUMULATED_UPDATE);
  }

  @Override
  public void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to) {
    final float[] accumulatedGradient = state.slot(ACCUMULATED_GRADIENT);
    final float[] accumulatedUpdate = state.slot(ACCUMULATED_UPDATE);
    final float lr = (float) learningRate;
    final float r = (float) rho;
    final float oneMinusR = (float) (1 - rho);
    final float eps = (float) epsilon;
    for (int i = from; i < to; i++) {
      float g = gradients[i];
      float eg = r * accumulatedGradient[i] + oneMinusR * g * g;
      accumulatedGradient[i] = eg;
      float delta = -(float) Math.sqrt(accumulatedUpdate[i] + eps) * g
          / (float) Math.sqrt(eg + eps);
      accumulatedUpdate[i] = r * accumulatedUpdate[i] + oneMinusR * delta * delta;
      parameters[i] += lr * delta;
    }
  }
}
