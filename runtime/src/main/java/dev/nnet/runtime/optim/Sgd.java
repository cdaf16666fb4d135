package dev.nnet.runtime.optim;

/**
 * Stochastic gradient descent, optionally with momentum and Nesterov momentum, with the update
 * rules of Keras' {@code SGD}. For learning rate η, momentum μ and gradient g:
 *
 * <ul>
 *   <li>μ = 0: {@code w ← w − η·g}
 *   <li>μ &gt; 0: {@code v ← μ·v − η·g}, then {@code w ← w + v}
 *   <li>μ &gt; 0, Nesterov: {@code v ← μ·v − η·g}, then {@code w ← w + μ·v − η·g}
 * </ul>
 *
 * <p>(Sutskever, Martens, Dahl &amp; Hinton 2013, "On the importance of initialization and momentum
 * in deep learning", in the reformulation Keras uses.) The velocity {@code v} starts at zero and
 * lives in the state slot {@code "velocity"}, which exists only when μ &gt; 0.
 *
 * <p>Defaults: η = 0.01, μ = 0, no Nesterov. Immutable.
 */
public record Sgd(double learningRate, double momentum, boolean nesterov)
    implements ElementwiseOptimizer {

  /** The name of the velocity slot in {@link OptimizerState}. */
  public static final String VELOCITY = "velocity";

  public static final double DEFAULT_LEARNING_RATE = 0.01;

  /** Plain SGD with learning rate 0.01. */
  public Sgd() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** Plain SGD without momentum. */
  public Sgd(double learningRate) {
    this(learningRate, 0, false);
  }

  /** SGD with classical momentum. */
  public Sgd(double learningRate, double momentum) {
    this(learningRate, momentum, false);
  }

  /**
   * @throws IllegalArgumentException if the learning rate is not finite and &gt; 0, or the
   *     momentum is not in [0, 1)
   */
  public Sgd {
    learningRate = Checks.positive("learning rate", learningRate);
    momentum = Checks.unitInterval("momentum", momentum);
    nesterov = nesterov;
  }

  @Override
  public OptimizerState newState(int parameterCount) {
    // Without momentum there is nothing to remember but the step count.
    return momentum == 0
        ? new OptimizerState(parameterCount)
        : new OptimizerState(parameterCount, VELOCITY);
  }

  @Override
  public void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to) {
    final float lr = (float) learningRate;
    if (momentum == 0) {
      for (int i = from; i < to; i++) {
        parameters[i] -= lr * gradients[i];
      }
      return;
    }
    final float mu = (float) momentum;
    final float[] velocity = state.slot(VELOCITY);
    if (nesterov) {
      for (int i = from; i < to; i++) {
        float g = gradients[i];
        float v = mu * velocity[i] - lr * g;
        velocity[i] = v;
        parameters[i] += mu * v - lr * g;
      }
    } else {
      for (int i = from; i < to; i++) {
        float v = mu * velocity[i] - lr * gradients[i];
        velocity[i] = v;
        parameters[i] += v;
      }
    }
  }
}
