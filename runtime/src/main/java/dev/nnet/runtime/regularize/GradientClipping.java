package dev.nnet.runtime.regularize;

/**
 * Gradient clipping, applied to a network's gradients after {@code computeGradients} and before the
 * optimizer step, in place and without allocating. Keras' optimizer arguments {@code clipvalue} and
 * {@code global_clipnorm}:
 *
 * <ul>
 *   <li>{@link #clipByValue}: each gradient clamped to [−limit, limit]
 *       ({@code tf.clip_by_value}). Changes the gradient's direction.
 *   <li>{@link #clipByGlobalNorm}: with ‖g‖ = √(Σ_i g_i²) over the whole array, g ← g · maxNorm /
 *       ‖g‖ when ‖g‖ &gt; maxNorm ({@code tf.clip_by_global_norm}; Pascanu, Mikolov &amp; Bengio
 *       2013, "On the difficulty of training recurrent neural networks"). Keeps the direction.
 *       The norm is summed in double, also for float gradients.
 * </ul>
 *
 * <p>Non-finite gradients: {@code clipByValue} clamps ±∞ and leaves NaN as NaN.
 * {@code clipByGlobalNorm} leaves the gradients unchanged when the norm is NaN or infinite and
 * returns that norm, so the caller can skip the step (TensorFlow sets every gradient to NaN
 * instead).
 */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Clamps every gradient to [−limit, limit] (for float gradients, ±{@code (float) limit}).
   *
   * @throws IllegalArgumentException if {@code limit} is not finite and &gt; 0
   */
  public static void clipByValue(float[] gradients, double limit) {
    Checks.positive("limit", limit);
    final float high = (float) limit;
    final float low = -high;
    for (int i = 0; i < gradients.length; i++) {
      float g = gradients[i];
      if (g > high) {
        gradients[i] = high;
      } else if (g < low) {
        gradients[i] = low;
      }
    }
  }

  /** The double twin of {@link #clipByValue(float[], double)}. */
  public static void clipByValue(double[] gradients, double limit) {
    Checks.positive("limit", limit);
    final double low = -limit;
    for (int i = 0; i < gradients.length; i++) {
      double g = gradients[i];
      if (g > limit) {
        gradients[i] = limit;
      } else if (g < low) {
        gradients[i] = low;
      }
    }
  }

  /**
   * Scales the gradients so that their L2 norm is at most {@code maxNorm}: by maxNorm / ‖g‖ when
   * ‖g‖ &gt; maxNorm, else not at all. After a float rescale the norm is maxNorm to float
   * precision.
   *
   * @return ‖g‖ before clipping (NaN or infinite if the gradients are; they are then unchanged)
   * @throws IllegalArgumentException if {@code maxNorm} is not finite and &gt; 0
   */
  public static double clipByGlobalNorm(float[] gradients, double maxNorm) {
    Checks.positive("maxNorm", maxNorm);
    double squares = 0;
    for (int i = 0; i < gradients.length; i++) {
      double g = gradients[i];
      squares += g * g;
    }
    final double norm = Math.sqrt(squares);
    if (norm > maxNorm && norm < Double.POSITIVE_INFINITY) {
      final float scale = (float) (maxNorm / norm);
      for (int i = 0; i < gradients.length; i++) {
        gradients[i] *= scale;
      }
    }
    return norm;
  }

  /**
   * The double twin of {@link #clipByGlobalNorm(float[], double)}. The norm is infinite, and the
   * gradients unchanged, also when the squares overflow (gradients beyond about 1e154).
   */
  public static double clipByGlobalNorm(double[] gradients, double maxNorm) {
    Checks.positive("maxNorm", maxNorm);
    double squares = 0;
    for (int i = 0; i < gradients.length; i++) {
      double g = gradients[i];
      squares += g * g;
    }
    final double norm = Math.sqrt(squares);
    if (norm > maxNorm && norm < Double.POSITIVE_INFINITY) {
      final double scale = maxNorm / norm;
      for (int i = 0; i < gradients.length; i++) {
        gradients[i] *= scale;
      }
    }
    return norm;
  }
}
