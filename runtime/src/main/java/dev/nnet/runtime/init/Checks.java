package dev.nnet.runtime.init;

/** Argument checks shared by the initializers. */
final class Checks {
  private Checks() {}

  static void range(int length, int offset, int count) {
    if (count < 0 || offset < 0 || (long) offset + count > length) {
      throw new IllegalArgumentException(
          "cannot fill " + count + " values from offset " + offset + " of an array of length "
              + length);
    }
  }

  static void fans(int fanIn, int fanOut) {
    if (fanIn < 1 || fanOut < 1) {
      throw new IllegalArgumentException(
          "fanIn and fanOut must be >= 1, but got fanIn=" + fanIn + ", fanOut=" + fanOut);
    }
  }
}
