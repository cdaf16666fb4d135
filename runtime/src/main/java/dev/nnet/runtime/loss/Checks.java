package dev.nnet.runtime.loss;

/**
 * Bounds checks shared by the losses: cheap, once per call, so that a wrong count or offset fails
 * with a message instead of an ArrayIndexOutOfBoundsException deep in a loop. Also the sample
 * weight lookup, so that {@code null} weights mean all ones everywhere in the same way.
 */
final class Checks {
  private Checks() {}

  static void batch(int count, int width) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, but got " + count);
    }
    if (width < 1) {
      throw new IllegalArgumentException("width must be >= 1, but got " + width);
    }
  }

  static void array(String what, int length, int offset, int count, int width) {
    long needed = (long) offset + (long) count * width;
    if (offset < 0 || needed > length) {
      throw new IllegalArgumentException(
          what + " must hold " + count + " × " + width + " values from offset " + offset
              + ", but has length " + length);
    }
  }

  /** The usual checks of a loss call whose targets have the outputs' width. */
  static void outputsAndTargets(
      int outputs, int targets, int targetOffset, int count, int width) {
    batch(count, width);
    array("outputs", outputs, 0, count, width);
    array("targets", targets, targetOffset, count, width);
  }

  static void sampleWeights(float[] weights, int count) {
    if (weights != null) {
      sampleWeights(weights.length, count);
    }
  }

  static void sampleWeights(double[] weights, int count) {
    if (weights != null) {
      sampleWeights(weights.length, count);
    }
  }

  private static void sampleWeights(int length, int count) {
    if (length < count) {
      throw new IllegalArgumentException(
          "sample weights must hold " + count + " values (one per sample), but has length "
              + length);
    }
  }

  /** The weight of sample {@code row}: 1 when there are no weights. */
  static double weight(float[] weights, int row) {
    return weights == null ? 1.0 : weights[row];
  }

  /** The weight of sample {@code row}: 1 when there are no weights. */
  static double weight(double[] weights, int row) {
    return weights == null ? 1.0 : weights[row];
  }

  /** A loss parameter that must be finite and strictly positive, such as Huber's delta. */
  static double positive(String what, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number > 0, but got " + value);
    }
    if (!(value > 0)) {
      throw new IllegalArgumentException(what + " must be > 0, but got " + value);
    }
    return value;
  }
}
