package dev.nnet.runtime.metrics;

/**
 * F1 score, the harmonic mean of precision and recall, {@code f1}:
 *
 * <pre>
 *   f1(c) = 2·precision·recall / (precision + recall) = 2·TP / (2·TP + FP + FN)
 * </pre>
 *
 * <ul>
 *   <li>Binary problem (a single output, thresholded at 0.5): the F1 of the positive class 1, as
 *       scikit-learn's default {@code average="binary"}.
 *   <li>Two or more outputs: the macro average, the plain mean of the per-class values over the
 *       classes that occur (as target or prediction) in the samples, as scikit-learn's
 *       {@code average="macro"}; {@link ConfusionMatrix#f1(int)} has the per-class values.
 * </ul>
 *
 * <p>F1 is 0 when TP = 0, including a binary problem with neither positive targets nor positive
 * predictions. The macro F1 is the mean of the per-class F1 values, not the F1 of the macro
 * precision and recall. Never NaN; always in [0, 1]. Classes are read as {@link Metric} describes.
 * Stateless; use {@link #INSTANCE}.
 */
public final class F1 implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "f1";

  public static final F1 INSTANCE = new F1();

  private F1() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.classification(NAME, outputs, targets, count, outputWidth, targetWidth);
    ConfusionMatrix matrix = ConfusionMatrix.of(outputs, targets, count, outputWidth, targetWidth);
    return outputWidth == 1 ? matrix.f1(1) : matrix.macroF1();
  }

  @Override
  public String toString() {
    return NAME;
  }
}
