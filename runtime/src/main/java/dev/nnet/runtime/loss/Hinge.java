package dev.nnet.runtime.loss;

/**
 * The hinge loss, {@code hinge}, with Keras' semantics: targets t are −1 or 1, outputs y are
 * scores, and each sample's loss is the mean over its width. With sample weights s (all 1 without
 * weights) and N = {@code count}, W = {@code width}:
 *
 * <pre>
 *   L = (1/N) Σ_n s_n · (1/W) Σ_j max(1 − t_nj·y_nj, 0)
 *   ∂L/∂y_nj = −s_n·t_nj / (N·W)   where t_nj·y_nj &lt; 1, else 0
 * </pre>
 *
 * <p><b>0/1 targets.</b> Like Keras' {@code convert_binary_labels_to_hinge}, if every target of
 * the call (all {@code count × width} of them) is exactly 0 or 1, the targets are read as
 * 2t − 1, so 0 means −1; otherwise they are used as they are. The decision is made per call,
 * that is per batch, as Keras makes it per batch: mixing 0, 1 and −1 in one batch leaves the 0s
 * as 0.
 *
 * <p>At t·y = 1 exactly the gradient is 0. Sums are accumulated in double precision, also in the
 * float overloads. Stateless; use {@link #INSTANCE}.
 */
public final class Hinge implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "hinge";

  public static final Hinge INSTANCE = new Hinge();

  private Hinge() {}

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
    final boolean binary = isBinary(targets, targetOffset, count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        sum += Math.max(1 - t * outputs[base + j], 0);
      }
      total += Checks.weight(sampleWeights, row) * sum;
    }
    return (float) (total / ((double) count * width));
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
    final boolean binary = isBinary(targets, targetOffset, count * width);
    final double scale = 1.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        double margin = 1 - t * outputs[base + j];
        if (margin > 0) {
          sum += margin;
          gradient[base + j] = (float) (-t * rowScale);
        } else {
          sum += Math.max(margin, 0); // 0, or NaN for a NaN output
          gradient[base + j] = 0f;
        }
      }
      total += weight * sum;
    }
    return (float) (total / ((double) count * width));
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
    final boolean binary = isBinary(targets, targetOffset, count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        sum += Math.max(1 - t * outputs[base + j], 0);
      }
      total += Checks.weight(sampleWeights, row) * sum;
    }
    return total / ((double) count * width);
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
    final boolean binary = isBinary(targets, targetOffset, count * width);
    final double scale = 1.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        double margin = 1 - t * outputs[base + j];
        if (margin > 0) {
          sum += margin;
          gradient[base + j] = -t * rowScale;
        } else {
          sum += Math.max(margin, 0);
          gradient[base + j] = 0;
        }
      }
      total += weight * sum;
    }
    return total / ((double) count * width);
  }

  /**
   * Whether all {@code n} targets from {@code offset} are exactly 0 or 1, in which case the hinge
   * losses read them as −1 and 1 (Keras' {@code convert_binary_labels_to_hinge}).
   */
  static boolean isBinary(float[] targets, int offset, int n) {
    for (int i = offset, end = offset + n; i < end; i++) {
      float t = targets[i];
      if (t != 0 && t != 1) {
        return false;
      }
    }
    return true;
  }

  /** The double-precision twin of {@link #isBinary(float[], int, int)}. */
  static boolean isBinary(double[] targets, int offset, int n) {
    for (int i = offset, end = offset + n; i < end; i++) {
      double t = targets[i];
      if (t != 0 && t != 1) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
