package dev.nnet.runtime.metrics;

/**
 * Accuracy, {@code accuracy}: the fraction of samples whose predicted class is the target class,
 *
 * <pre>
 *   accuracy = (1/N) Σ_n [predicted_n = target_n]
 * </pre>
 *
 * <p>with the classes read as {@link Metric} describes: the argmax of the outputs against a one-hot
 * row or a class index (Keras' {@code categorical_accuracy} and {@code sparse_categorical_accuracy}),
 * or, for a single output, the output thresholded at 0.5 against the target thresholded at 0.5
 * (Keras' {@code binary_accuracy}). Always in [0, 1]. Stateless; use {@link #INSTANCE}.
 */
public final class Accuracy implements Metric {

  /** The name {@link Metrics#byName} accepts. */
  public static final String NAME = "accuracy";

  public static final Accuracy INSTANCE = new Accuracy();

  private Accuracy() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.classification(NAME, outputs, targets, count, outputWidth, targetWidth);
    int correct = 0;
    for (int n = 0; n < count; n++) {
      if (Checks.predicted(outputs, n, outputWidth)
          == Checks.actual(targets, n, outputWidth, targetWidth)) {
        correct++;
      }
    }
    return (double) correct / count;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
