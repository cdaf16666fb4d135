package dev.nnet.runtime.loss;

/**
 * Bounds checks shared by the losses: cheap, once per call, so that a wrong count or offset fails
 * with a message instead of an ArrayIndexOutOfBoundsException deep in a loop.
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
}
