package dev.nnet.runtime.init;

import java.util.Arrays;

/**
 * Fills with ones, {@code ones}: for scales that should start as the identity, such as a
 * normalization layer's gain. Ignores the fans and the seed. Stateless; use {@link #INSTANCE}.
 */
public final class Ones implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "ones";

  public static final Ones INSTANCE = new Ones();

  private Ones() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Arrays.fill(target, offset, offset + count, 1f);
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Arrays.fill(target, offset, offset + count, 1.0);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
