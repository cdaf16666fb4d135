package dev.nnet.runtime.loss;

/**
 * Binary cross-entropy, {@code binary_crossentropy} (alias {@code bce}), with Keras' semantics:
 * every output is an independent binary prediction against a target t in [0, 1] (usually 0 or 1),
 * and each sample's loss is the mean over its width. With sample weights s (all 1 without weights)
 * and N = {@code count}, W = {@code width}:
 *
 * <pre>
 *   L = (1/N) Σ_n s_n · (1/W) Σ_j b(y_nj, t_nj),    ∂L/∂y_nj = s_n · b'(y_nj, t_nj) / (N·W)
 * </pre>
 *
 * <p>{@link #INSTANCE} reads y as probabilities (a sigmoid output) and, like Keras, clips them to
 * [ε, 1 − ε] with ε = 1e-7, so outputs of exactly 0 or 1 give a finite loss (at most
 * −log(1e-7) ≈ 16.12 per element):
 *
 * <pre>
 *   b(y, t) = −t·log(ŷ) − (1 − t)·log(1 − ŷ),   ŷ = clip(y, ε, 1 − ε)
 *   b'(y, t) = (y − t) / (y·(1 − y))   where ε ≤ y ≤ 1 − ε, else 0 (the clip is flat there)
 * </pre>
 *
 * <p>{@link #FROM_LOGITS} reads y as logits x (Keras' {@code from_logits=True}) and computes the
 * loss of sigmoid(x) in the stable form TensorFlow's {@code sigmoid_cross_entropy_with_logits}
 * uses, without clipping; logits of any size (±1e4 and beyond) give finite results:
 *
 * <pre>
 *   b(x, t) = max(x, 0) − x·t + log(1 + exp(−|x|))
 *   b'(x, t) = sigmoid(x) − t
 * </pre>
 *
 * <p>Both have the name {@code binary_crossentropy}; {@link Losses#byName} returns
 * {@link #INSTANCE}. Unlike Keras there is no {@code label_smoothing}. Sums are accumulated in
 * double precision, also in the float overloads. Immutable.
 */
public final class BinaryCrossEntropy implements Loss {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "binary_crossentropy";

  /** Binary cross-entropy on probabilities, clipped like Keras. */
  public static final BinaryCrossEntropy INSTANCE = new BinaryCrossEntropy(false);

  /** Binary cross-entropy on logits, Keras' {@code from_logits=True}. */
  public static final BinaryCrossEntropy FROM_LOGITS = new BinaryCrossEntropy(true);

  private final boolean fromLogits;

  /**
   * Binary cross-entropy on logits if {@code fromLogits}, else on probabilities; equal to
   * {@link #FROM_LOGITS} or {@link #INSTANCE}.
   */
  public BinaryCrossEntropy(boolean fromLogits) {
    this.fromLogits = fromLogits;
  }

  /** Whether the outputs are read as logits rather than probabilities. */
  public boolean fromLogits() {
    return fromLogits;
  }

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
        sum += loss(outputs[base + j], targets[targetBase + j]);
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
        sum += loss(y, t);
        gradient[base + j] = (float) (rowScale * slope(y, t));
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
        sum += loss(outputs[base + j], targets[targetBase + j]);
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
        sum += loss(y, t);
        gradient[base + j] = rowScale * slope(y, t);
      }
      total += weight * sum;
    }
    return total / ((double) count * width);
  }

  private double loss(double y, double t) {
    if (fromLogits) {
      // log(1 + e^x) − x·t, rewritten so that exp only sees −|x| ≤ 0.
      return Math.max(y, 0) - y * t + Math.log1p(Math.exp(-Math.abs(y)));
    }
    double clipped = CategoricalCrossEntropy.clip(y);
    return -t * Math.log(clipped) - (1 - t) * Math.log(1 - clipped);
  }

  private double slope(double y, double t) {
    if (fromLogits) {
      return sigmoid(y) - t;
    }
    return CategoricalCrossEntropy.clip(y) == y ? (y - t) / (y * (1 - y)) : 0;
  }

  /** 1/(1 + e^−x), computed so that exp never overflows. */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinaryCrossEntropy other && fromLogits == other.fromLogits;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(fromLogits);
  }

  /**
   * The name, and {@code from_logits: true} for the logits variant, in the call syntax of a
   * train block: {@code binary_crossentropy} or {@code binary_crossentropy(from_logits: true)}.
   */
  @Override
  public String toString() {
    return fromLogits ? NAME + "(from_logits: true)" : NAME;
  }
}
