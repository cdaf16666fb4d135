package dev.nnet.runtime;

/**
 * The double-precision variant of a generated network ({@code -Annet.emitDouble=true}). It exists
 * for gradient checks: the same code as the float class, in doubles, so finite differences are
 * accurate to 1e-6 and better.
 */
public interface DoubleNetwork {
  String name();

  int inputSize();

  int outputSize();

  int parameterCount();

  double[] parameters();

  double[] gradients();

  void initialize(long seed);

  void seedTraining(long seed);

  void predict(double[] input, int inputOffset, double[] output, int outputOffset);

  /** As {@link Network#regularizationLoss()}, in doubles: the penalty of the last call below. */
  default double regularizationLoss() {
    return 0;
  }

  /** As {@link Network#computeGradients}, in doubles. */
  double computeGradients(double[] inputs, int inputOffset, double[] targets, int targetOffset, int count);
}
