package dev.nnet.runtime.init;

import java.util.SplittableRandom;

/**
 * Glorot (Xavier) uniform initialization, {@code glorot_uniform} (Glorot &amp; Bengio 2010,
 * "Understanding the difficulty of training deep feedforward neural networks", eq. 16): values
 * drawn uniformly from [−limit, limit) with
 *
 * <pre>
 *   limit = √(6 / (fanIn + fanOut))
 * </pre>
 *
 * <p>The values are doubles drawn from {@code new SplittableRandom(seed)}; the float overload casts
 * them, so a float network and its double twin start from the same values (to float precision).
 * Stateless; use {@link #INSTANCE}.
 */
public final class GlorotUniform implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "glorot_uniform";

  public static final GlorotUniform INSTANCE = new GlorotUniform();

  private GlorotUniform() {}

  /** The bound of the uniform distribution for a tensor with these fans. */
  public static double limit(int fanIn, int fanOut) {
    Checks.fans(fanIn, fanOut);
    return Math.sqrt(6.0 / ((double) fanIn + fanOut));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    double limit = limit(fanIn, fanOut);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      target[offset + i] = (float) random.nextDouble(-limit, limit);
    }
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    double limit = limit(fanIn, fanOut);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      target[offset + i] = random.nextDouble(-limit, limit);
    }
  }

  @Override
  public String toString() {
    return NAME;
  }
}
