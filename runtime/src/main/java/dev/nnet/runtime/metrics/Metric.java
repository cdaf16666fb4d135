package dev.nnet.runtime.metrics;

/**
 * A measure of a network's outputs against targets, over a whole evaluation set: accuracy, F1,
 * ROC AUC, mean absolute error and so on. Unlike a {@link dev.nnet.runtime.loss.Loss} it has no
 * gradient and is not averaged batch by batch: pass all the outputs at once.
 *
 * <p>{@code outputs} holds {@code count} rows of {@code outputWidth} values from index 0, and
 * {@code targets} {@code count} rows of {@code targetWidth} values from index 0, as
 * {@link dev.nnet.runtime.Network#predictBatch} and {@link dev.nnet.runtime.data.Dataset} lay them
 * out.
 *
 * <p><b>Classification metrics</b> read the classes like this:
 *
 * <ul>
 *   <li>Predicted class: the index of the largest output (the first one on ties; a NaN output never
 *       wins). With {@code outputWidth == 1} the problem is binary: class 1 (positive) when the
 *       output is &gt; 0.5, else class 0.
 *   <li>Target class: with {@code targetWidth == outputWidth}, the index of the largest target, so a
 *       one-hot row names its class; with {@code targetWidth == 1} (and {@code outputWidth > 1}) the
 *       target is the class index itself, a whole number from 0 to {@code outputWidth − 1}; for a
 *       binary problem (both widths 1), class 1 when the target is &gt; 0.5, else class 0.
 * </ul>
 *
 * <p><b>Regression metrics</b> need {@code targetWidth == outputWidth} and compare the values
 * element by element.
 *
 * <p>Sums are accumulated in double. Each implementation documents what it returns when the
 * metric is undefined (no positive predictions, constant targets, ...). Implementations are
 * immutable and thread-safe.
 */
public interface Metric {

  /** The Keras-style name, which {@link Metrics#byName} accepts ({@code accuracy}). */
  String name();

  /**
   * The metric over the {@code count} samples.
   *
   * @throws IllegalArgumentException if {@code count} or a width is &lt; 1, an array is shorter
   *     than {@code count} rows, the widths do not fit the metric, or a class-index target is not a
   *     class index
   */
  double compute(float[] outputs, float[] targets, int count, int outputWidth, int targetWidth);
}
