package dev.nnet.runtime.optim;

/**
 * An optimizer that updates each parameter from its own gradient and state alone, as every
 * optimizer of this package does. It implements {@link #update} for a range of parameters; a
 * whole {@link #step} is that update over all of them, and data-parallel training splits a step
 * into ranges, one per thread, with the same result.
 */
public interface ElementwiseOptimizer extends Optimizer {

  @Override
  default void step(
      float[] parameters, float[] gradients, OptimizerState state, double learningRate) {
    state.checkStep(parameters, gradients, learningRate);
    update(parameters, gradients, state, learningRate, state.incrementIterations(), 0,
        parameters.length);
  }

  @Override
  default boolean updatesElementwise() {
    return true;
  }

  @Override
  void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to);
}
