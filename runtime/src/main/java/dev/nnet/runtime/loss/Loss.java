package dev.nnet.runtime.loss;

/**
 * A loss on a batch of network outputs: {@code count} rows of {@code width} values, compared with
 * targets of the same layout. The value is the mean over the batch of each sample's loss.
 *
 * <p>Double overloads exist so that the double-precision variant of a network (used in gradient
 * checks) computes its loss exactly as the float class does.
 */
public interface Loss {

  /** The loss's name as written in a {@code .nnet} file ({@code mean_squared_error}). */
  String name();

  /** The mean loss over {@code count} samples of outputs (from index 0) against targets. */
  float value(float[] outputs, float[] targets, int targetOffset, int count, int width);

  /**
   * The mean loss, and its gradient with respect to {@code outputs} written into {@code gradient}
   * (from index 0, same layout), already divided by {@code count}.
   */
  float valueAndGradient(
      float[] outputs, float[] targets, int targetOffset, float[] gradient, int count, int width);

  double value(double[] outputs, double[] targets, int targetOffset, int count, int width);

  double valueAndGradient(
      double[] outputs, double[] targets, int targetOffset, double[] gradient, int count, int width);
}
