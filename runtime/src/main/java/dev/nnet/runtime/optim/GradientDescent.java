package dev.nnet.runtime.optim;

/**
 * Plain gradient descent: for learning rate η and gradient g,
 *
 * <pre>
 *   w ← w − η·g
 * </pre>
 *
 * <p>and nothing else: no momentum, no per-parameter scaling, no state but the step count. This is
 * the method of steepest descent (Cauchy 1847; see Nocedal &amp; Wright, "Numerical Optimization",
 * 2nd ed., §3.1, with a fixed step length η).
 *
 * <p>Whether it is stochastic, mini-batch or full-batch gradient descent is decided by the gradient
 * it is given, not by the optimizer. A generated network's {@code computeGradients} writes the
 * gradient of the mean loss over the batch, so when the trainer's batch size is at least the size
 * of the training set (the trainer then uses the whole set as its one batch), every step uses the
 * exact gradient of the training loss and this is classical full-batch gradient descent: the order
 * the trainer shuffles the samples into changes the step only by rounding. With smaller batches
 * it is mini-batch SGD, and then it computes exactly what {@link Sgd} without momentum computes;
 * this class exists so that a {@code .nnet} file or a reader can say which method is meant.
 *
 * <p>Default: η = 0.01 (Keras' {@code SGD} default). Immutable.
 */
public record GradientDescent(double learningRate) implements ElementwiseOptimizer {

  public static final double DEFAULT_LEARNING_RATE = 0.01;

  /** Gradient descent with learning rate 0.01. */
  public GradientDescent() {
    this(DEFAULT_LEARNING_RATE);
  }

  /** @throws IllegalArgumentException if the learning rate is not finite and &gt; 0 */
  public GradientDescent {
    learningRate = Checks.positive("learning rate", learningRate);
  }

  @Override
  public OptimizerState newState(int parameterCount) {
    // Nothing to remember but the step count.
    return new OptimizerState(parameterCount);
  }

  @Override
  public void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to) {
    final float lr = (float) learningRate;
    for (int i = from; i < to; i++) {
      parameters[i] -= lr * gradients[i];
    }
  }
}
