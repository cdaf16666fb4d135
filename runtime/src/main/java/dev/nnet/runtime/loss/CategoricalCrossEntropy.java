package dev.nnet.runtime.loss;

/**
 * Categorical cross-entropy, {@code categorical_crossentropy}, on predicted probabilities y against
 * target distributions t (usually one-hot), with Keras' clipping of y to [ε, 1 − ε], ε = 1e-7, and
 * sample weights s (all 1 without weights):
 *
 * <pre>
 *   L = −(1/N) Σ_n s_n Σ_j t_nj · log(clip(y_nj, ε, 1 − ε))
 *   ∂L/∂y_nj = −s_n·t_nj / (N · y_nj)   where ε ≤ y_nj ≤ 1 − ε, else 0 (the clip is flat there)
 * </pre>
 *
 * <p>Unlike Keras, the rows of y are not renormalised to sum to 1 first: they are assumed to come
 * from a softmax. When they do, generated code calls the fused {@link #softmaxValueAndGradient}
 * instead, which works on the logits z and is both cheaper and numerically stable:
 *
 * <pre>
 *   p = softmax(z),   L = (1/N) Σ_n s_n Σ_j t_nj · (logsumexp(z_n) − z_nj),
 *   ∂L/∂z_nj = s_n·(p_nj·Σ_k t_nk − t_nj) / N
 * </pre>
 *
 * <p>which is the familiar {@code (p − t)/N} for unweighted targets that sum to 1. Sums are
 * accumulated in double precision, also in the float overloads. Stateless; use {@link #INSTANCE}.
 */
public final class CategoricalCrossEntropy implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "categorical_crossentropy";

  /** Keras' {@code backend.epsilon()}: probabilities are clipped to [EPSILON, 1 − EPSILON]. */
  public static final double EPSILON = 1e-7;

  public static final CategoricalCrossEntropy INSTANCE = new CategoricalCrossEntropy();

  private static final double UPPER = 1 - EPSILON;

  private CategoricalCrossEntropy() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public float value(
      float[] outputs,
      float[] targets,
      int targetOffset,
      float[] sampleWeights,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        float t = targets[targetBase + j];
        // Skipping zero targets is not only faster: it keeps 0·log(0) out of the sum.
        if (t != 0) {
          sum -= t * Math.log(clip(outputs[base + j]));
        }
      }
      total += Checks.weight(sampleWeights, row) * sum;
    }
    return (float) (total / count);
  }

  @Override
  public float valueAndGradient(
      float[] outputs,
      float[] targets,
      int targetOffset,
      float[] sampleWeights,
      float[] gradient,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    Checks.sampleWeights(sampleWeights, count);
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double scale = weight * invCount;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = targets[targetBase + j];
        double y = outputs[base + j];
        if (t == 0) {
          gradient[base + j] = 0f;
          continue;
        }
        double clipped = clip(y);
        sum -= t * Math.log(clipped);
        gradient[base + j] = clipped == y ? (float) (-t * scale / y) : 0f;
      }
      total += weight * sum;
    }
    return (float) (total / count);
  }

  @Override
  public double value(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] sampleWeights,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = targets[targetBase + j];
        if (t != 0) {
          sum -= t * Math.log(clip(outputs[base + j]));
        }
      }
      total += Checks.weight(sampleWeights, row) * sum;
    }
    return total / count;
  }

  @Override
  public double valueAndGradient(
      double[] outputs,
      double[] targets,
      int targetOffset,
      double[] sampleWeights,
      double[] gradient,
      int count,
      int width) {
    check(outputs.length, targets.length, targetOffset, count, width);
    Checks.array("gradient", gradient.length, 0, count, width);
    Checks.sampleWeights(sampleWeights, count);
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double scale = weight * invCount;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = targets[targetBase + j];
        double y = outputs[base + j];
        if (t == 0) {
          gradient[base + j] = 0;
          continue;
        }
        double clipped = clip(y);
        sum -= t * Math.log(clipped);
        gradient[base + j] = clipped == y ? -t * scale / y : 0;
      }
      total += weight * sum;
    }
    return total / count;
  }

  /**
   * Softmax followed by categorical cross-entropy, fused: for each of {@code count} rows of
   * {@code width} logits (from index 0) writes the softmax probabilities into
   * {@code probabilities} and the gradient of the mean loss with respect to the logits into
   * {@code gradient} ({@code (p − t)/count} for targets that sum to 1), and returns the mean
   * cross-entropy computed with log-sum-exp, so logits of any magnitude (±1e4 and beyond) give
   * finite results.
   *
   * <p>{@code probabilities} may be the same array as {@code logits} (the softmax is then computed
   * in place); neither may be {@code gradient}. Allocates nothing.
   *
   * @return the mean loss over the {@code count} rows
   */
  public static float softmaxValueAndGradient(
      float[] logits,
      float[] targets,
      int targetOffset,
      float[] probabilities,
      float[] gradient,
      int count,
      int width) {
    return softmaxValueAndGradient(
        logits, targets, targetOffset, null, probabilities, gradient, count, width);
  }

  /**
   * {@link #softmaxValueAndGradient(float[], float[], int, float[], float[], int, int)} with
   * sample weights: returns (1/N) Σ_n s_n·L_n and writes each row's gradient scaled by s_n / N.
   * {@code sampleWeights} holds {@code count} weights from index 0, or is {@code null} for all
   * ones. The probabilities do not depend on the weights.
   */
  public static float softmaxValueAndGradient(
      float[] logits,
      float[] targets,
      int targetOffset,
      float[] sampleWeights,
      float[] probabilities,
      float[] gradient,
      int count,
      int width) {
    checkFused(logits.length, targets.length, targetOffset, probabilities.length,
        gradient.length, count, width);
    Checks.sampleWeights(sampleWeights, count);
    if (logits == gradient || probabilities == gradient) {
      throw new IllegalArgumentException("gradient must not be the logits or probabilities array");
    }
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      float max = logits[base];
      for (int j = 1; j < width; j++) {
        max = Math.max(max, logits[base + j]);
      }
      // Shifting by the row maximum keeps every exponent ≤ 0: no overflow, and the largest term
      // is exactly 1, so the sum is ≥ 1 and its log is finite.
      double sumExp = 0;
      double sumTargets = 0;
      double targetDotShifted = 0;
      for (int j = 0; j < width; j++) {
        double shifted = (double) logits[base + j] - max;
        double t = targets[targetBase + j];
        sumTargets += t;
        targetDotShifted += t * shifted;
        double e = Math.exp(shifted);
        sumExp += e;
        probabilities[base + j] = (float) e; // may overwrite logits[base + j]: already read
      }
      final double weight = Checks.weight(sampleWeights, row);
      // Σ_j t_j·(logsumexp − z_j) = Σt·log Σexp(z − max) − Σ_j t_j·(z_j − max)
      total += weight * (sumTargets * Math.log(sumExp) - targetDotShifted);
      final double invSum = 1.0 / sumExp;
      final double scale = weight * invCount;
      for (int j = 0; j < width; j++) {
        double p = probabilities[base + j] * invSum;
        probabilities[base + j] = (float) p;
        gradient[base + j] = (float) ((p * sumTargets - targets[targetBase + j]) * scale);
      }
    }
    return (float) (total * invCount);
  }

  /**
   * The double-precision twin of
   * {@link #softmaxValueAndGradient(float[], float[], int, float[], float[], int, int)}.
   */
  public static double softmaxValueAndGradient(
      double[] logits,
      double[] targets,
      int targetOffset,
      double[] probabilities,
      double[] gradient,
      int count,
      int width) {
    return softmaxValueAndGradient(
        logits, targets, targetOffset, null, probabilities, gradient, count, width);
  }

  /**
   * The double-precision twin of
   * {@link #softmaxValueAndGradient(float[], float[], int, float[], float[], float[], int, int)}.
   */
  public static double softmaxValueAndGradient(
      double[] logits,
      double[] targets,
      int targetOffset,
      double[] sampleWeights,
      double[] probabilities,
      double[] gradient,
      int count,
      int width) {
    checkFused(logits.length, targets.length, targetOffset, probabilities.length,
        gradient.length, count, width);
    Checks.sampleWeights(sampleWeights, count);
    if (logits == gradient || probabilities == gradient) {
      throw new IllegalArgumentException("gradient must not be the logits or probabilities array");
    }
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double max = logits[base];
      for (int j = 1; j < width; j++) {
        max = Math.max(max, logits[base + j]);
      }
      double sumExp = 0;
      double sumTargets = 0;
      double targetDotShifted = 0;
      for (int j = 0; j < width; j++) {
        double shifted = logits[base + j] - max;
        double t = targets[targetBase + j];
        sumTargets += t;
        targetDotShifted += t * shifted;
        double e = Math.exp(shifted);
        sumExp += e;
        probabilities[base + j] = e;
      }
      final double weight = Checks.weight(sampleWeights, row);
      total += weight * (sumTargets * Math.log(sumExp) - targetDotShifted);
      final double invSum = 1.0 / sumExp;
      final double scale = weight * invCount;
      for (int j = 0; j < width; j++) {
        double p = probabilities[base + j] * invSum;
        probabilities[base + j] = p;
        gradient[base + j] = (p * sumTargets - targets[targetBase + j]) * scale;
      }
    }
    return total * invCount;
  }

  static double clip(double y) {
    // NaN stays NaN (both comparisons are false), so a diverged network shows up in the loss.
    return y < EPSILON ? EPSILON : y > UPPER ? UPPER : y;
  }

  private static void check(int outputs, int targets, int targetOffset, int count, int width) {
    Checks.outputsAndTargets(outputs, targets, targetOffset, count, width);
  }

  private static void checkFused(
      int logits, int targets, int targetOffset, int probabilities, int gradient, int count,
      int width) {
    Checks.batch(count, width);
    Checks.array("logits", logits, 0, count, width);
    Checks.array("targets", targets, targetOffset, count, width);
    Checks.array("probabilities", probabilities, 0, count, width);
    Checks.array("gradient", gradient, 0, count, width);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
