package dev.nnet.runtime.optim;

/** Argument checks shared by the optimizers' constructors. */
final class Checks {
  private Checks() {}

  /** A value that must be finite and strictly positive, such as a learning rate or epsilon. */
  static double positive(String what, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number > 0, but got " + value);
    }
    if (!(value > 0)) {
      throw new IllegalArgumentException(what + " must be > 0, but got " + value);
    }
    return value;
  }

  /** A value that must be finite and &gt;= 0, such as a weight decay or an initial accumulator. */
  static double nonNegative(String what, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, but got " + value);
    }
    if (!(value >= 0)) {
      throw new IllegalArgumentException(what + " must be >= 0, but got " + value);
    }
    return value;
  }

  /** A value in [0, 1) such as a momentum or a moment decay rate. */
  static double unitInterval(String what, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), but got " + value);
    }
    return value;
  }
}
