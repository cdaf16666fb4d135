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

  /**
   * Whether {@link #update} is supported: each parameter is updated from its own gradient and
   * state alone, so a step may be split into parameter ranges, one per thread, with the same
   * result as one {@link #step}. Every optimizer of this package is elementwise (an
   * {@link ElementwiseOptimizer}).
   */
  default boolean updatesElementwise() {
    return false;
  }

  /**
   * The part of step {@code t} (1-based; {@link OptimizerState#incrementIterations()} has already
   * counted it) that updates parameters {@code from} (inclusive) to {@code to} (exclusive). Calling
   * it for ranges that cover {@code [0, parameters.length)} once each is exactly one {@link #step}.
   * Data-parallel training calls it from several threads at once on disjoint ranges.
   *
   * @throws UnsupportedOperationException unless {@link #updatesElementwise()}
   */
  default void update(float[] parameters, float[] gradients, OptimizerState state,
      double learningRate, long t, int from, int to) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " does not update parameter ranges on their own; call step");
  }
}
