package dev.nnet.runtime.metrics;

/** Argument checks and class decoding shared by the metrics. */
final class Checks {
  private Checks() {}

  /** The sizes every metric needs: positive count and widths, arrays long enough. */
  static void batch(
      float[] outputs, float[] targets, int count, int outputWidth, int targetWidth) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, but got " + count);
    }
    if (outputWidth < 1) {
      throw new IllegalArgumentException("outputWidth must be >= 1, but got " + outputWidth);
    }
    if (targetWidth < 1) {
      throw new IllegalArgumentException("targetWidth must be >= 1, but got " + targetWidth);
    }
    array("outputs", outputs.length, count, outputWidth);
    array("targets", targets.length, count, targetWidth);
  }

  private static void array(String what, int length, int count, int width) {
    if ((long) count * width > length) {
      throw new IllegalArgumentException(
          what + " must hold " + count + " × " + width + " values, but has length " + length);
    }
  }

  /** {@link #batch}, plus target rows that are one-hot rows or class indices. */
  static void classification(
      String metric, float[] outputs, float[] targets, int count, int outputWidth,
      int targetWidth) {
    batch(outputs, targets, count, outputWidth, targetWidth);
    if (targetWidth != outputWidth && targetWidth != 1) {
      throw new IllegalArgumentException(
          metric + " needs targetWidth " + outputWidth + " (one-hot, as wide as the outputs) or 1"
              + " (class indices), but got " + targetWidth);
    }
  }

  /** {@link #batch}, plus targets as wide as the outputs. */
  static void regression(
      String metric, float[] outputs, float[] targets, int count, int outputWidth,
      int targetWidth) {
    batch(outputs, targets, count, outputWidth, targetWidth);
    if (targetWidth != outputWidth) {
      throw new IllegalArgumentException(
          metric + " needs targets as wide as the outputs (" + outputWidth + "), but got"
              + " targetWidth " + targetWidth);
    }
  }

  /** The number of classes: 2 for a single (binary) output. */
  static int classes(int outputWidth) {
    return outputWidth == 1 ? 2 : outputWidth;
  }

  /** The predicted class of sample {@code sample}: argmax, or the 0.5 threshold for width 1. */
  static int predicted(float[] outputs, int sample, int outputWidth) {
    if (outputWidth == 1) {
      return outputs[sample] > 0.5f ? 1 : 0;
    }
    return argmax(outputs, sample * outputWidth, outputWidth);
  }

  /** The target class of sample {@code sample}. */
  static int actual(float[] targets, int sample, int outputWidth, int targetWidth) {
    if (outputWidth == 1) {
      return targets[sample] > 0.5f ? 1 : 0;
    }
    if (targetWidth == outputWidth) {
      return argmax(targets, sample * targetWidth, targetWidth);
    }
    float value = targets[sample];
    int index = (int) value;
    if (index != value || index < 0 || index >= outputWidth) {
      throw new IllegalArgumentException(
          "the target of sample " + sample + " must be a class index from 0 to "
              + (outputWidth - 1) + ", but got " + value);
    }
    return index;
  }

  /**
   * The index of the largest of {@code width} values from {@code from}: the first on ties, never a
   * NaN unless all are (then 0).
   */
  static int argmax(float[] values, int from, int width) {
    int best = 0;
    float bestValue = values[from];
    for (int j = 1; j < width; j++) {
      float v = values[from + j];
      if (v > bestValue || (bestValue != bestValue && v == v)) {
        best = j;
        bestValue = v;
      }
    }
    return best;
  }
}
