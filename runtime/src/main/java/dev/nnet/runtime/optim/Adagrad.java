package dev.nnet.runtime.optim;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", diagonal version) with the update rule of Keras' {@code Adagrad}. For
 * learning rate η, initial accumulator value a₀ and gradient g:
 *
 * <pre>
 *   A ← A + g²                  A starts at a₀
 *   w ← w − η·g / √(A + ε)
 * </pre>
 *
 * <p>Every parameter's effective step shrinks with the squared gradients it has seen so far. As in
 * Keras, ε is added inside the square root.
 *
 * <p>The state slot {@code "squared_gradient_sum"} holds Σg², the accumulator <em>without</em>
 * a₀ (Keras' {@code accumulator} is this slot + a₀). It therefore starts at zero like every slot,
 * and {@link OptimizerState#reset()} gives a fresh state; a₀ is added in each step.
 *
 * <p>Defaults are Keras': η = 0.001, a₀ = 0.1, ε = 1e-7. (Duchi et al.'s form corresponds to
 * η = 1 and a₀ = 0.) Immutable.
 */
public record Adagrad(double learningRate, double initialAccumulatorValue, double epsilon)
    implements ElementwiseOptimizer {

  /** The name of the slot holding the sum of squared gradients, without the initial value. */
  public static final String SQUARED_GRADIENT_SUM = "squared_gradient_sum";

  public static final double DEFAULT_LEARNING_RATE = 0.001;
  public static final double DEFAULT_INITIAL_ACCUMULATOR_VALUE = 0.1;
  public static final double DEFAULT_EPSILON = 1e-7;

  /** Adagrad with Keras' defaults. */
  public Adagrad() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** Adagrad with the given learning rate and Keras' other defaults. */
  public Adagrad(double learningRate) {
    this(learningRate, DEFAULT_INITIAL_ACCUMULATOR_VALUE, DEFAULT_EPSILON);
  }

  /**
   * The arguments are in Keras' order.
   *
   * @throws IllegalArgumentException if the learning rate or epsilon is not finite and &gt; 0, or
   *     the initial accumulator value is not finite and &gt;= 0
   */
  public Adagrad {
    learningRate = Checks.positive("learning rate", learningRate);
    initialAccumulatorValue =
        Checks.nonNegative("initial accumulator value", initialAccumulatorValue);
    epsilon = Checks.positive("epsilon", epsilon);
  }

  @Override
  public OptimizerState newState(int parameterCount) {
    return new OptimizerState(parameterCount, SQUARED_GRADIENT_SUM);
  }

  @Override
  public void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to) {
    final float[] sum = state.slot(SQUARED_GRADIENT_SUM);
    final float lr = (float) learningRate;
    // a₀ and ε are both constants under the root: add them once.
    final float offset = (float) (initialAccumulatorValue + epsilon);
    for (int i = from; i < to; i++) {
      float g = gradients[i];
      float s = sum[i] + g * g;
      sum[i] = s;
      parameters[i] -= lr * g / (float) Math.sqrt(s + offset);
    }
  }
}
