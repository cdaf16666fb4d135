package dev.nnet.runtime.metrics;

/**
 * Precision, {@code precision}:
 *
 * <pre>
 *   precision(c) = TP / (TP + FP)
 * </pre>
 *
 * <ul>
 *   <li>Binary problem (a single output, thresholded at 0.5): the precision of the positive class 1, as
 *       scikit-learn's default {@code average="binary"}.
 *   <li>Two or more outputs: the macro average, the plain mean of the per-class values over the
 *       classes that occur (as target or prediction) in the samples, as scikit-learn's
 *       {@code average="macro"}; {@link ConfusionMatrix#precision(int)} has the per-class values.
 * </ul>
 *
 * <p>A class that nothing was predicted as has precision 0 (scikit-learn's
 * {@code zero_division=0}), so a binary problem with no positive predictions gives 0. Never NaN;
 * always in [0, 1]. Classes are read as {@link Metric} describes. Stateless; use
 * {@link #INSTANCE}.
 */
public final class Precision implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "precision";

  public static final Precision INSTANCE = new Precision();

  private Precision() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.classification(NAME, outputs, targets, count, outputWidth, targetWidth);
    ConfusionMatrix matrix = ConfusionMatrix.of(outputs, targets, count, outputWidth, targetWidth);
    return outputWidth == 1 ? matrix.precision(1) : matrix.macroPrecision();
  }

  @Override
  public String toString() {
    return NAME;
  }
}
