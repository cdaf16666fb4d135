package dev.nnet.runtime.metrics;

/**
 * Recall, {@code recall}:
 *
 * <pre>
 *   recall(c) = TP / (TP + FN)
 * </pre>
 *
 * <ul>
 *   <li>Binary problem (a single output, thresholded at 0.5): the recall of the positive class 1, as
 *       scikit-learn's default {@code average="binary"}.
 *   <li>Two or more outputs: the macro average, the plain mean of the per-class values over the
 *       classes that occur (as target or prediction) in the samples, as scikit-learn's
 *       {@code average="macro"}; {@link ConfusionMatrix#recall(int)} has the per-class values.
 * </ul>
 *
 * <p>A class with no samples has recall 0 (scikit-learn's {@code zero_division=0}), so a binary
 * problem without positive targets gives 0. Never NaN; always in [0, 1]. Classes are read as
 * {@link Metric} describes. Stateless; use {@link #INSTANCE}.
 */
public final class Recall implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "recall";

  public static final Recall INSTANCE = new Recall();

  private Recall() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.classification(NAME, outputs, targets, count, outputWidth, targetWidth);
    ConfusionMatrix matrix = ConfusionMatrix.of(outputs, targets, count, outputWidth, targetWidth);
    return outputWidth == 1 ? matrix.recall(1) : matrix.macroRecall();
  }

  @Override
  public String toString() {
    return NAME;
  }
}
