package dev.nnet.runtime.loss;

/**
 * Cosine similarity as a loss, {@code cosine_similarity}, with Keras' sign convention: each
 * sample's loss is the <em>negative</em> cosine of the angle between its output row y and target
 * row t, so it lies in [−1, 1] and −1 is a perfect match in direction. With ε = 1e-7, sample
 * weights s (all 1 without weights) and N = {@code count}:
 *
 * <pre>
 *   ŷ = y / max(‖y‖, ε),   t̂ = t / max(‖t‖, ε),   c_n = Σ_j ŷ_nj·t̂_nj
 *   L = −(1/N) Σ_n s_n · c_n
 *   ∂L/∂y_nj = −s_n · (t̂_nj − c_n·ŷ_nj) / (N·‖y_n‖)    if ‖y_n‖ &gt; ε
 *            = −s_n · t̂_nj / (N·ε)                       otherwise
 * </pre>
 *
 * <p>The norms are floored at ε as in Keras 3's {@code normalize}, so a zero row gives a loss of 0
 * instead of NaN. The loss does not depend on the length of y, and the gradient is orthogonal to
 * y. Sums are accumulated in double precision, also in the float overloads. Stateless; use
 * {@link #INSTANCE}.
 */
public final class CosineSimilarity implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "cosine_similarity";

  /** Keras' {@code backend.epsilon()}: the floor of both norms. */
  public static final double EPSILON = 1e-7;

  public static final CosineSimilarity INSTANCE = new CosineSimilarity();

  private CosineSimilarity() {}

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
      double yy = 0;
      double tt = 0;
      double yt = 0;
      for (int j = 0; j < width; j++) {
        double y = outputs[base + j];
        double t = targets[targetBase + j];
        yy += y * y;
        tt += t * t;
        yt += y * t;
      }
      total -= Checks.weight(sampleWeights, row) * (yt * inverseNorm(yy) * inverseNorm(tt));
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
      double yy = 0;
      double tt = 0;
      double yt = 0;
      for (int j = 0; j < width; j++) {
        double y = outputs[base + j];
        double t = targets[targetBase + j];
        yy += y * y;
        tt += t * t;
        yt += y * t;
      }
      final double weight = Checks.weight(sampleWeights, row);
      final double inverseY = inverseNorm(yy);
      final double inverseT = inverseNorm(tt);
      final double cosine = yt * inverseY * inverseT;
      total -= weight * cosine;
      // Below the floor ŷ = y/ε is linear in y and the c·ŷ term drops out.
      final double radial = Math.sqrt(yy) > EPSILON ? cosine * inverseY : 0;
      final double scale = -weight * invCount * inverseY;
      for (int j = 0; j < width; j++) {
        double t = targets[targetBase + j];
        gradient[base + j] = (float) (scale * (t * inverseT - radial * outputs[base + j]));
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
    Checks.outputsAndTargets(outputs.length, targets.length, targetOffset, count, width);
    Checks.sampleWeights(sampleWeights, count);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double yy = 0;
      double tt = 0;
      double yt = 0;
      for (int j = 0; j < width; j++) {
        double y = outputs[base + j];
        double t = targets[targetBase + j];
        yy += y * y;
        tt += t * t;
        yt += y * t;
      }
      total -= Checks.weight(sampleWeights, row) * (yt * inverseNorm(yy) * inverseNorm(tt));
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
      double yy = 0;
      double tt = 0;
      double yt = 0;
      for (int j = 0; j < width; j++) {
        double y = outputs[base + j];
        double t = targets[targetBase + j];
        yy += y * y;
        tt += t * t;
        yt += y * t;
      }
      final double weight = Checks.weight(sampleWeights, row);
      final double inverseY = inverseNorm(yy);
      final double inverseT = inverseNorm(tt);
      final double cosine = yt * inverseY * inverseT;
      total -= weight * cosine;
      final double radial = Math.sqrt(yy) > EPSILON ? cosine * inverseY : 0;
      final double scale = -weight * invCount * inverseY;
      for (int j = 0; j < width; j++) {
        double t = targets[targetBase + j];
        gradient[base + j] = scale * (t * inverseT - radial * outputs[base + j]);
      }
    }
    return total / count;
  }

  /** 1 / max(√squaredNorm, ε): Keras 3's {@code normalize} with its ε floor. */
  private static double inverseNorm(double squaredNorm) {
    return 1 / Math.max(Math.sqrt(squaredNorm), EPSILON);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
