package dev.nnet.runtime.init;

import java.util.Arrays;

/**
 * Fills with one value, {@code constant} (Keras' {@code Constant(value)}). Ignores the fans and
 * the seed. The float overload fills {@code (float) value}. Immutable.
 *
 * <p>It is the one initializer that needs an argument, so {@link Initializers#byName} does not
 * return it: construct it.
 */
public final class Constant implements Initializer {

  /** The name of the initializer. */
  public static final String NAME = "constant";

  private final double value;

  /** @throws IllegalArgumentException if {@code value} is NaN or infinite */
  public Constant(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value must be a finite number, but got " + value);
    }
    this.value = value;
  }

  /** The value every element is set to. */
  public double value() {
    return value;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Arrays.fill(target, offset, offset + count, (float) value);
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Arrays.fill(target, offset, offset + count, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Constant other && Double.compare(value, other.value) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(value);
  }

  @Override
  public String toString() {
    return NAME + "(value: " + value + ")";
  }
}
