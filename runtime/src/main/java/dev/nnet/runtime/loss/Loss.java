package dev.nnet.runtime.loss;

/**
 * A loss on a batch of network outputs: {@code count} rows of {@code width} values (from index 0),
 * compared with {@code count} rows of {@link #targetWidth targetWidth(width)} targets (from
 * {@code targetOffset}; for most losses the target rows have the outputs' width).
 *
 * <p>Each sample n has a loss L_n, and the batch's value is Keras' "sum over batch size"
 * reduction: the mean over the batch of the weighted per-sample losses,
 *
 * <pre>
 *   L = (1/N) Σ_n s_n · L_n
 * </pre>
 *
 * <p>for N = {@code count} and sample weights s_n. The weights are read from
 * {@code sampleWeights[0 .. count)}; a {@code null} array means every weight is 1. The divisor is
 * N, not Σ s_n: a weight of 0 removes a sample's contribution but still counts it in N, and a
 * weight of 2 counts the sample twice in the sum. The gradient written is that of L, so each
 * sample's row is already scaled by s_n / N. Weights are not checked: negative or NaN weights
 * go into the sum as they are.
 *
 * <p>The unweighted methods are the weighted ones with {@code null} weights. Sums are accumulated
 * in double precision, also in the float methods. Wrong sizes throw
 * {@link IllegalArgumentException}. Double overloads exist so that the double-precision variant
 * of a network (used in gradient checks) computes its loss exactly as the float class does.
 */
public interface Loss {

  /** The loss's name as written in a {@code .nnet} file ({@code mean_squared_error}). */
  String name();

  /**
   * The number of target values per sample this loss reads for {@code outputWidth} outputs per
   * sample: {@code outputWidth} for most losses, 1 for sparse categorical cross-entropy (whose
   * target is the class index).
   */
  default int targetWidth(int outputWidth) {
    return outputWidth;
  }

  /**
   * The mean weighted loss over {@code count} samples of outputs (from index 0) against targets
   * (from {@code targetOffset}); {@code sampleWeights} may be {@code null} for all ones.
   */
  float value(
      float[] outputs,
      float[] targets,
      int targetOffset,
      float[] sampleWeights,
      int count,
      int width);

  /**
   * The mean weighted loss, and its gradient with respect to {@code outputs} written into
   * {@code gradient} (from index 0, same layout as the outputs), each row already scaled by its
   * sample weight divided by {@code count}. {@code sampleWeights} may be {@code null} for all ones.
   */
  float valueAndGradient(
      float[] outputs,
      float[] targets,
      int targetOffset,
      float[] sampleWeights,
      float[] gradient,
      int count,
      int width);

  /** The double-precision twin of {@link #value(float[], float[], int, float[], int, int)}. */
  double value(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] sampleWeights,
      int count,
      int width);

  /**
   * The double-precision twin of
   * {@link #valueAndGradient(float[], float[], int, float[], float[], int, int)}.
   */
  double valueAndGradient(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] sampleWeights,
      double[] gradient,
      int count,
      int width);

  /** The mean loss over {@code count} samples of outputs (from index 0) against targets. */
  default float value(float[] outputs, float[] targets, int targetOffset, int count, int width) {
    return value(outputs, targets, targetOffset, null, count, width);
  }

  /**
   * The mean loss, and its gradient with respect to {@code outputs} written into {@code gradient}
   * (from index 0, same layout), already divided by {@code count}.
   */
  default float valueAndGradient(
      float[] outputs, float[] targets, int targetOffset, float[] gradient, int count, int width) {
    return valueAndGradient(outputs, targets, targetOffset, null, gradient, count, width);
  }

  /** The double-precision twin of {@link #value(float[], float[], int, int, int)}. */
  default double value(
      double[] outputs, double[] targets, int targetOffset, int count, int width) {
    return value(outputs, targets, targetOffset, null, count, width);
  }

  /**
   * The double-precision twin of
   * {@link #valueAndGradient(float[], float[], int, float[], int, int)}.
   */
  default double valueAndGradient(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] gradient,
      int count,
      int width) {
    return valueAndGradient(outputs, targets, targetOffset, null, gradient, count, width);
  }
}
