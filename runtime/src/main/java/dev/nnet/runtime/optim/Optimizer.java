package dev.nnet.runtime.optim;

/**
 * Updates a flat parameter array from its gradient. The optimizer itself is immutable
 * configuration; what it remembers between steps (moments, step count) lives in an
 * {@link OptimizerState} so it can be saved with a checkpoint.
 */
public interface Optimizer {

  /** The learning rate this optimizer was declared with. */
  double learningRate();

  /** Fresh state for {@code parameterCount} parameters. */
  OptimizerState newState(int parameterCount);

  /**
   * One update of {@code parameters} from {@code gradients}, using {@code learningRate} (which a
   * schedule may have changed from {@link #learningRate()}). Allocates nothing.
   */
  void step(float[] parameters, float[] gradients, OptimizerState state, double learningRate);
}
