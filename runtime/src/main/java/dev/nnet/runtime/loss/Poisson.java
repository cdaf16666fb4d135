package dev.nnet.runtime.loss;

/**
 * The Poisson loss, {@code poisson}, with Keras' semantics: the negative log-likelihood of counts t
 * under Poisson distributions with predicted rates y, up to the term log(t!) that does not depend
 * on y, averaged over each sample's width. With ε = 1e-7, sample weights s (all 1 without weights)
 * and N = {@code count}, W = {@code width}:
 *
 * <pre>
 *   L = (1/N) Σ_n s_n · (1/W) Σ_j (y_nj − t_nj · log(y_nj + ε))
 *   ∂L/∂y_nj = s_n · (1 − t_nj / (y_nj + ε)) / (N·W)
 * </pre>
 *
 * <p>The ε keeps a predicted rate of 0 finite. The rates must be greater than −ε, as from an
 * {@code exp} or {@code softplus} output; below that the log is NaN, as in Keras. Sums are
 * accumulated in double precision, also in the float overloads. Stateless; use
 * {@link #INSTANCE}.
 */
public final class Poisson implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "poisson";

  /** Keras' {@code backend.epsilon()}, added to the rate inside the log. */
  public static final double EPSILON = 1e-7;

  public static final Poisson INSTANCE = new Poisson();

  private Poisson() {}

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
        double y = outputs[base + j];
        sum += y - targets[targetBase + j] * Math.log(y + EPSILON);
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
    final double scale = 1.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double y = outputs[base + j];
        double t = targets[targetBase + j];
        double rate = y + EPSILON;
        sum += y - t * Math.log(rate);
        gradient[base + j] = (float) (rowScale * (1 - t / rate));
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
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double y = outputs[base + j];
        sum += y - targets[targetBase + j] * Math.log(y + EPSILON);
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
    final double scale = 1.0 / ((double) count * width);
    double total = 0;
    for (int row = 0; row < count; row++) {
      final int base = row * width;
      final int targetBase = targetOffset + base;
      final double weight = Checks.weight(sampleWeights, row);
      final double rowScale = scale * weight;
      double sum = 0;
      for (int j = 0; j < width; j++) {
        double y = outputs[base + j];
        double t = targets[targetBase + j];
        double rate = y + EPSILON;
        sum += y - t * Math.log(rate);
        gradient[base + j] = rowScale * (1 - t / rate);
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
