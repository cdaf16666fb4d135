package dev.nnet.runtime.init;

import java.util.Arrays;

/**
 * Fills with zeros, {@code zeros}: the usual initializer for biases. Ignores the fans and the seed.
 * Stateless; use {@link #INSTANCE}.
 */
public final class Zeros implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "zeros";

  public static final Zeros INSTANCE = new Zeros();

  private Zeros() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Arrays.fill(target, offset, offset + count, 0f);
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Arrays.fill(target, offset, offset + count, 0.0);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
