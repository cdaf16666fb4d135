package dev.nnet.runtime.loss;

/**
 * The squared hinge loss, {@code squared_hinge}, with Keras' semantics: targets t are −1 or 1,
 * outputs y are scores, and each sample's loss is the mean over its width. With sample weights s
 * (all 1 without weights) and N = {@code count}, W = {@code width}:
 *
 * <pre>
 *   L = (1/N) Σ_n s_n · (1/W) Σ_j max(1 − t_nj·y_nj, 0)²
 *   ∂L/∂y_nj = −2·s_n·t_nj·max(1 − t_nj·y_nj, 0) / (N·W)
 * </pre>
 *
 * <p>Unlike {@link Hinge}, the gradient is continuous. <b>0/1 targets</b> are converted as for
 * {@link Hinge}: if every target of the call is exactly 0 or 1, they are read as 2t − 1 (Keras'
 * {@code convert_binary_labels_to_hinge}, decided per call, that is per batch); otherwise they are
 * used as they are. Sums are accumulated in double precision, also in the float overloads.
 * Stateless; use {@link #INSTANCE}.
 */
public final class SquaredHinge implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "squared_hinge";

  public static final SquaredHinge INSTANCE = new SquaredHinge();

  private SquaredHinge() {}

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
    final boolean binary = Hinge.isBinary(targets, targetOffset, count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        double margin = Math.max(1 - t * outputs[base + j], 0);
        sum += margin * margin;
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
    final boolean binary = Hinge.isBinary(targets, targetOffset, count * width);
    final double scale = 2.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        double margin = Math.max(1 - t * outputs[base + j], 0);
        sum += margin * margin;
        gradient[base + j] = (float) (-t * margin * rowScale);
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
    final boolean binary = Hinge.isBinary(targets, targetOffset, count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        double margin = Math.max(1 - t * outputs[base + j], 0);
        sum += margin * margin;
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
    final boolean binary = Hinge.isBinary(targets, targetOffset, count * width);
    final double scale = 2.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double t = binary ? 2.0 * targets[targetBase + j] - 1 : targets[targetBase + j];
        double margin = Math.max(1 - t * outputs[base + j], 0);
        sum += margin * margin;
        gradient[base + j] = -t * margin * rowScale;
      }
      total += weight * sum;
    }
    return total / ((double) count * width);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
