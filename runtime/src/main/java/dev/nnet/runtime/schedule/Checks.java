package dev.nnet.runtime.schedule;

/** Argument checks shared by the schedules' constructors. */
final class Checks {
  private Checks() {}

  /** A value that must be finite and &gt; 0. */
  static double positive(String what, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number > 0, but got " + value);
    }
    if (!(value > 0)) {
      throw new IllegalArgumentException(what + " must be > 0, but got " + value);
    }
    return value;
  }

  /** A count that must be &gt;= 1, such as a number of steps. */
  static long atLeastOne(String what, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, but got " + value);
    }
    return value;
  }

  /** A fraction in [0, 1], such as the floor {@code alpha} of a cosine decay. */
  static double fraction(String what, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1], but got " + value);
    }
    return value;
  }
}
