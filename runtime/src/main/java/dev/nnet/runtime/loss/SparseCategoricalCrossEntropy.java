package dev.nnet.runtime.loss;

/**
 * Sparse categorical cross-entropy, {@code sparse_categorical_crossentropy}: categorical
 * cross-entropy against a class index instead of a one-hot row. Each sample has
 * {@link #targetWidth one target value}: its class c as a float (0, 1, 2, …), which must be an
 * integer in [0, {@code width}). On predicted probabilities y, with Keras' clipping to [ε, 1 − ε],
 * ε = 1e-7, and sample weights s (all 1 without weights):
 *
 * <pre>
 *   L = −(1/N) Σ_n s_n · log(clip(y_n,c_n, ε, 1 − ε))
 *   ∂L/∂y_nj = −s_n / (N · y_nj)   for j = c_n where ε ≤ y_nj ≤ 1 − ε, else 0
 * </pre>
 *
 * <p>This is exactly {@link CategoricalCrossEntropy} with one-hot targets, without building them.
 * Sample n's target is {@code targets[targetOffset + n]}. Every class index is checked before
 * anything is written: one that is not an integer in [0, width) (including NaN) throws
 * {@link IllegalArgumentException} naming the sample and the value.
 *
 * <p>Like {@link CategoricalCrossEntropy}, the rows of y are not renormalised, and a softmax output
 * should rather use the fused {@link #softmaxValueAndGradient}, which is stable for logits of any
 * size:
 *
 * <pre>
 *   p = softmax(z),   L = (1/N) Σ_n s_n · (logsumexp(z_n) − z_n,c_n),
 *   ∂L/∂z_nj = s_n·(p_nj − [j = c_n]) / N
 * </pre>
 *
 * <p>Sums are accumulated in double precision, also in the float overloads. Stateless; use
 * {@link #INSTANCE}.
 */
public final class SparseCategoricalCrossEntropy implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "sparse_categorical_crossentropy";

  public static final SparseCategoricalCrossEntropy INSTANCE =
      new SparseCategoricalCrossEntropy();

  private SparseCategoricalCrossEntropy() {}

  @Override
  public String name() {
    return NAME;
  }

  /** One target per sample, the class index, whatever the output width. */
  @Override
  public int targetWidth(int outputWidth) {
    return 1;
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
    checkClasses(targets, targetOffset, count, width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      int c = (int) targets[targetOffset + row];
      total -= Checks.weight(sampleWeights, row)
          * Math.log(CategoricalCrossEntropy.clip(outputs[row * width + c]));
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
    checkClasses(targets, targetOffset, count, width);
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int c = (int) targets[targetOffset + row];
      final double weight = Checks.weight(sampleWeights, row);
      for (int j = 0; j < width; j++) {
        gradient[base + j] = 0f;
      }
      double y = outputs[base + c];
      double clipped = CategoricalCrossEntropy.clip(y);
      total -= weight * Math.log(clipped);
      if (clipped == y) {
        gradient[base + c] = (float) (-weight * invCount / y);
      }
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
    checkClasses(targets, targetOffset, count, width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      int c = (int) targets[targetOffset + row];
      total -= Checks.weight(sampleWeights, row)
          * Math.log(CategoricalCrossEntropy.clip(outputs[row * width + c]));
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
    checkClasses(targets, targetOffset, count, width);
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int c = (int) targets[targetOffset + row];
      final double weight = Checks.weight(sampleWeights, row);
      for (int j = 0; j < width; j++) {
        gradient[base + j] = 0;
      }
      double y = outputs[base + c];
      double clipped = CategoricalCrossEntropy.clip(y);
      total -= weight * Math.log(clipped);
      if (clipped == y) {
        gradient[base + c] = -weight * invCount / y;
      }
    }
    return total / count;
  }

  /**
   * Softmax followed by sparse categorical cross-entropy, fused: for each of {@code count} rows of
   * {@code width} logits (from index 0) and its class index {@code targets[targetOffset + row]},
   * writes the softmax probabilities into {@code probabilities} and the gradient of the mean loss
   * with respect to the logits into {@code gradient}, and returns the mean cross-entropy computed
   * with log-sum-exp, so logits of any magnitude (±1e4 and beyond) give finite results.
   *
   * <p>{@code probabilities} may be the same array as {@code logits}; neither may be
   * {@code gradient}. Allocates nothing.
   *
   * @return the mean loss over the {@code count} rows
   * @throws IllegalArgumentException if a class index is not an integer in [0, width), naming
   *     the sample, before anything is written
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
   * ones.
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
    checkClasses(targets, targetOffset, count, width);
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int c = (int) targets[targetOffset + row];
      float max = logits[base];
      for (int j = 1; j < width; j++) {
        max = Math.max(max, logits[base + j]);
      }
      final double targetShifted = (double) logits[base + c] - max;
      double sumExp = 0;
      for (int j = 0; j < width; j++) {
        double e = Math.exp((double) logits[base + j] - max);
        sumExp += e;
        probabilities[base + j] = (float) e; // may overwrite logits[base + j]: already read
      }
      final double weight = Checks.weight(sampleWeights, row);
      // logsumexp(z) − z_c = log Σ exp(z − max) − (z_c − max)
      total += weight * (Math.log(sumExp) - targetShifted);
      final double invSum = 1.0 / sumExp;
      final double scale = weight * invCount;
      for (int j = 0; j < width; j++) {
        double p = probabilities[base + j] * invSum;
        probabilities[base + j] = (float) p;
        gradient[base + j] = (float) ((j == c ? p - 1 : p) * scale);
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
    checkClasses(targets, targetOffset, count, width);
    final double invCount = 1.0 / count;
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int c = (int) targets[targetOffset + row];
      double max = logits[base];
      for (int j = 1; j < width; j++) {
        max = Math.max(max, logits[base + j]);
      }
      final double targetShifted = logits[base + c] - max;
      double sumExp = 0;
      for (int j = 0; j < width; j++) {
        double e = Math.exp(logits[base + j] - max);
        sumExp += e;
        probabilities[base + j] = e;
      }
      final double weight = Checks.weight(sampleWeights, row);
      total += weight * (Math.log(sumExp) - targetShifted);
      final double invSum = 1.0 / sumExp;
      final double scale = weight * invCount;
      for (int j = 0; j < width; j++) {
        double p = probabilities[base + j] * invSum;
        probabilities[base + j] = p;
        gradient[base + j] = (j == c ? p - 1 : p) * scale;
      }
    }
    return total * invCount;
  }

  private static void checkClasses(float[] targets, int targetOffset, int count, int width) {
    for (int row = 0; row < count; row++) {
      float value = targets[targetOffset + row];
      if (!isClass(value, width)) {
        throw notAClass(row, Float.toString(value), width);
      }
    }
  }

  private static void checkClasses(double[] targets, int targetOffset, int count, int width) {
    for (int row = 0; row < count; row++) {
      double value = targets[targetOffset + row];
      if (!isClass(value, width)) {
        throw notAClass(row, Double.toString(value), width);
      }
    }
  }

  private static boolean isClass(double value, int width) {
    // The range test is written so that NaN fails it.
    return value >= 0 && value < width && value == Math.rint(value);
  }

  private static IllegalArgumentException notAClass(int row, String value, int width) {
    return new IllegalArgumentException(
        "sample " + row + " has target " + value + ", but a class index must be an integer in"
            + " [0, " + width + ")");
  }

  private static void check(int outputs, int targets, int targetOffset, int count, int width) {
    Checks.batch(count, width);
    Checks.array("outputs", outputs, 0, count, width);
    Checks.array("targets", targets, targetOffset, count, 1);
  }

  private static void checkFused(
      int logits, int targets, int targetOffset, int probabilities, int gradient, int count,
      int width) {
    Checks.batch(count, width);
    Checks.array("logits", logits, 0, count, width);
    Checks.array("targets", targets, targetOffset, count, 1);
    Checks.array("probabilities", probabilities, 0, count, width);
    Checks.array("gradient", gradient, 0, count, width);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
