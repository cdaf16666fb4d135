package dev.nnet.runtime.optim;

/**
 * RMSprop (Hinton, Srivastava &amp; Swersky 2012, "Neural Networks for Machine Learning",
 * lecture 6e; centered variant from Graves 2013, "Generating Sequences With Recurrent Neural
 * Networks", eq. 38–41) with the update rules of Keras 3's {@code RMSprop}. For learning rate η,
 * decay ρ, momentum μ and gradient g:
 *
 * <pre>
 *   s ← ρ·s + (1 − ρ)·g²                         mean square
 *   a ← ρ·a + (1 − ρ)·g                          mean gradient, only if centered
 *   d = s + ε,  or  s − a² + ε if centered
 *   Δ = η·g / √d
 *   w ← w − Δ                                    if μ = 0
 *   p ← μ·p + Δ,  then  w ← w − p                 if μ &gt; 0
 * </pre>
 *
 * <p>As in Keras 3, ε is added inside the square root (PyTorch adds it to √d instead). The
 * centered variant divides by an estimate of the gradient's standard deviation instead of its
 * root mean square. The slots are {@code "mean_square"} (always), {@code "momentum"} (only when
 * μ &gt; 0) and {@code "mean_gradient"} (only when centered); all start at zero.
 *
 * <p>Defaults are Keras': η = 0.001, ρ = 0.9, μ = 0, ε = 1e-7, not centered. Immutable.
 */
public record RmsProp(
    double learningRate,
    double rho,
    double momentum,
    double epsilon,
    boolean centered) implements ElementwiseOptimizer {

  /** The name of the mean-square slot (Keras' {@code velocity}) in {@link OptimizerState}. */
  public static final String MEAN_SQUARE = "mean_square";
  /** The name of the momentum slot, present only when the momentum is &gt; 0. */
  public static final String MOMENTUM = "momentum";
  /** The name of the mean-gradient slot, present only when centered. */
  public static final String MEAN_GRADIENT = "mean_gradient";

  public static final double DEFAULT_LEARNING_RATE = 0.001;
  public static final double DEFAULT_RHO = 0.9;
  public static final double DEFAULT_MOMENTUM = 0.0;
  public static final double DEFAULT_EPSILON = 1e-7;
  public static final boolean DEFAULT_CENTERED = false;

  /** RMSprop with Keras' defaults. */
  public RmsProp() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** RMSprop with the given learning rate and Keras' other defaults. */
  public RmsProp(double learningRate) {
    this(learningRate, DEFAULT_RHO, DEFAULT_MOMENTUM, DEFAULT_EPSILON, DEFAULT_CENTERED);
  }

  /**
   * The arguments are in Keras' order.
   *
   * @throws IllegalArgumentException if the learning rate or epsilon is not finite and &gt; 0, or
   *     rho or the momentum is not in [0, 1)
   */
  public RmsProp {
    learningRate = Checks.positive("learning rate", learningRate);
    rho = Checks.unitInterval("rho", rho);
    momentum = Checks.unitInterval("momentum", momentum);
    epsilon = Checks.positive("epsilon", epsilon);
    centered = centered;
  }

  @Override
  public OptimizerState newState(int parameterCount) {
    if (momentum > 0 && centered) {
      return new OptimizerState(parameterCount, MEAN_SQUARE, MOMENTUM, MEAN_GRADIENT);
    }
    if (momentum > 0) {
      return new OptimizerState(parameterCount, MEAN_SQUARE, MOMENTUM);
    }
    if (centered) {
      return new OptimizerState(parameterCount, MEAN_SQUARE, MEAN_GRADIENT);
    }
    return new OptimizerState(parameterCount, MEAN_SQUARE);
  }

  @Override
  public void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to) {
    final float[] meanSquare = state.slot(MEAN_SQUARE);
    final float lr = (float) learningRate;
    final float r = (float) rho;
    final float oneMinusR = (float) (1 - rho);
    final float eps = (float) epsilon;
    if (!centered && momentum == 0) {
      // Keras' default configuration, on its own loop.
      for (int i = from; i < to; i++) {
        float g = gradients[i];
        float s = r * meanSquare[i] + oneMinusR * g * g;
        meanSquare[i] = s;
        parameters[i] -= lr * g / (float) Math.sqrt(s + eps);
      }
      return;
    }
    final float[] meanGradient = centered ? state.slot(MEAN_GRADIENT) : null;
    final float[] velocity = momentum > 0 ? state.slot(MOMENTUM) : null;
    final float mu = (float) momentum;
    for (int i = from; i < to; i++) {
      float g = gradients[i];
      float s = r * meanSquare[i] + oneMinusR * g * g;
      meanSquare[i] = s;
      float denominator;
      if (meanGradient != null) {
        float a = r * meanGradient[i] + oneMinusR * g;
        meanGradient[i] = a;
        denominator = s - a * a + eps;
      } else {
        denominator = s + eps;
      }
      float increment = lr * g / (float) Math.sqrt(denominator);
      if (velocity != null) {
        float p = mu * velocity[i] + increment;
        velocity[i] = p;
        parameters[i] -= p;
      } else {
        parameters[i] -= increment;
      }
    }
  }
}
