package dev.nnet.runtime.metrics;

/**
 * Top-k accuracy, {@code top_k_accuracy} (Keras' {@code top_k_categorical_accuracy} and its
 * sparse twin): the fraction of samples whose target class is among the k largest outputs,
 *
 * <pre>
 *   top_k = (1/N) Σ_n [ #{j : y_nj &gt; y_n,target_n} &lt; k ]
 * </pre>
 *
 * <p>Ties count in the sample's favour, as in TensorFlow's {@code in_top_k}: an output equal to the
 * target class's output does not push it out of the top k. A NaN output for the target class is a
 * miss. With k ≥ the number of outputs every sample is a hit; with k = 1 this is
 * {@link Accuracy} (except on ties). Needs at least 2 outputs; targets are one-hot rows or class
 * indices as {@link Metric} describes. Always in [0, 1]. Immutable.
 */
public final class TopKAccuracy implements Metric {

  /** The name {@link Metrics#byName} accepts (with k = {@link #DEFAULT_K}). */
  public static final String NAME = "top_k_accuracy";

  /** Keras' default k. */
  public static final int DEFAULT_K = 5;

  private final int k;

  /** @throws IllegalArgumentException if {@code k} &lt; 1 */
  public TopKAccuracy(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, but got " + k);
    }
    this.k = k;
  }

  public int k() {
    return k;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double compute(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    Checks.classification(NAME, outputs, targets, count, outputWidth, targetWidth);
    if (outputWidth < 2) {
      throw new IllegalArgumentException(
          NAME + " needs at least 2 outputs (classes), but got outputWidth " + outputWidth);
    }
    int hits = 0;
    for (int n = 0; n < count; n++) {
      final int row = n * outputWidth;
      final float score = outputs[row + Checks.actual(targets, n, outputWidth, targetWidth)];
      if (score != score) {
        continue;
      }
      int above = 0;
      for (int j = 0; j < outputWidth; j++) {
        if (outputs[row + j] > score) {
          above++;
        }
      }
      if (above < k) {
        hits++;
      }
    }
    return (double) hits / count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopKAccuracy other && k == other.k;
  }

  @Override
  public int hashCode() {
    return k;
  }

  @Override
  public String toString() {
    return NAME + "(k: " + k + ")";
  }
}
