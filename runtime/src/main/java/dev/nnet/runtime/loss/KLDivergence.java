package dev.nnet.runtime.loss;

/**
 * Kullback–Leibler divergence of the predicted distribution y from the target distribution t,
 * {@code kl_divergence} (aliases {@code kld}, {@code kullback_leibler_divergence}), with Keras'
 * semantics: both are clipped to [ε, 1] with ε = 1e-7, and each sample's loss is the
 * <em>sum</em> over its width (not the mean). With sample weights s (all 1 without weights) and
 * N = {@code count}:
 *
 * <pre>
 *   L = (1/N) Σ_n s_n Σ_j t̂_nj · log(t̂_nj / ŷ_nj),   t̂ = clip(t, ε, 1),  ŷ = clip(y, ε, 1)
 *   ∂L/∂y_nj = −s_n·t̂_nj / (N · y_nj)   where ε ≤ y_nj ≤ 1, else 0 (the clip is flat there)
 * </pre>
 *
 * <p>The clip keeps predicted zeros finite, and since zero targets are clipped to ε too (as in
 * Keras), they add a tiny ε·log(ε/ŷ) rather than being skipped. For one-hot targets this is
 * categorical cross-entropy plus those tiny terms. Unlike Keras, rows are not renormalised. Sums
 * are accumulated in double precision, also in the float overloads. Stateless; use
 * {@link #INSTANCE}.
 */
public final class KLDivergence implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "kl_divergence";

  /** Keras' {@code backend.epsilon()}: y and t are clipped to [EPSILON, 1]. */
  public static final double EPSILON = 1e-7;

  public static final KLDivergence INSTANCE = new KLDivergence();

  private KLDivergence() {}

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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = clip(targets[targetBase + j]);
        sum += t * (Math.log(t) - Math.log(clip(outputs[base + j])));
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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
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
        double t = clip(targets[targetBase + j]);
        double y = outputs[base + j];
        double clipped = clip(y);
        sum += t * (Math.log(t) - Math.log(clipped));
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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = clip(targets[targetBase + j]);
        sum += t * (Math.log(t) - Math.log(clip(outputs[base + j])));
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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
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
        double t = clip(targets[targetBase + j]);
        double y = outputs[base + j];
        double clipped = clip(y);
        sum += t * (Math.log(t) - Math.log(clipped));
        gradient[base + j] = clipped == y ? -t * scale / y : 0;
      }
      total += weight * sum;
    }
    return total / count;
  }

  private static double clip(double value) {
    // NaN stays NaN (both comparisons are false).
    return value < EPSILON ? EPSILON : value > 1 ? 1 : value;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
