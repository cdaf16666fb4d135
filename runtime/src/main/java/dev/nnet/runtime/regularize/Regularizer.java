package dev.nnet.runtime.regularize;

/**
 * A weight penalty added to the training loss, such as L2 weight decay (Keras'
 * {@code kernel_regularizer}). It covers {@code count} parameters from {@code offset}, usually one
 * {@link dev.nnet.runtime.ParameterTensor} of {@link dev.nnet.runtime.Network#parameters()}.
 *
 * <p>As in Keras, the penalty is added to the mean loss of a batch as it is, not divided by the
 * batch size. In a hand-written training loop, after {@code computeGradients} (which overwrites the
 * gradients with those of the mean loss) and before the optimizer step:
 *
 * <pre>{@code
 * float loss = net.computeGradients(inputs, 0, targets, 0, count);
 * loss += (float) l2.penalty(net.parameters(), weight.offset(), weight.size());
 * l2.addGradient(net.parameters(), net.gradients(), weight.offset(), weight.size());
 * optimizer.step(net.parameters(), net.gradients(), state, learningRate);
 * }</pre>
 *
 * <p>{@link #addGradient} adds ∂penalty/∂w to the gradients; it does not overwrite them. Penalties
 * are summed in double, also in the float overloads. Implementations are immutable and do not
 * allocate.
 */
public interface Regularizer {

  /**
   * The penalty of the {@code count} parameters from {@code offset}.
   *
   * @throws IllegalArgumentException if the range does not fit the array
   */
  double penalty(float[] parameters, int offset, int count);

  /**
   * Adds the gradient of {@link #penalty(float[], int, int)} with respect to each of the
   * {@code count} parameters from {@code offset} to the gradient at the same index.
   *
   * @throws IllegalArgumentException if the range does not fit either array
   */
  void addGradient(float[] parameters, float[] gradients, int offset, int count);

  /** The double twin of {@link #penalty(float[], int, int)}. */
  double penalty(double[] parameters, int offset, int count);

  /** The double twin of {@link #addGradient(float[], float[], int, int)}. */
  void addGradient(double[] parameters, double[] gradients, int offset, int count);
}
