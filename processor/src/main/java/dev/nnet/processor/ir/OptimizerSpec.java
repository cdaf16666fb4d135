package dev.nnet.processor.ir;

/** The optimizer a {@code train} block declares, with every hyper-parameter resolved. */
public sealed interface OptimizerSpec {
  double learningRate();

  /** {@code sgd(learning_rate: 0.01, momentum: 0.0, nesterov: false)}. */
  record Sgd(double learningRate, double momentum, boolean nesterov) implements OptimizerSpec {}

  /** {@code adam(learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7)}. */
  record Adam(double learningRate, double beta1, double beta2, double epsilon)
      implements OptimizerSpec {}
}
