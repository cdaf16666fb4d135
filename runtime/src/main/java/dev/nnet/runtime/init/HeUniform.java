package dev.nnet.runtime.init;

import java.util.SplittableRandom;

/**
 * He (Kaiming) uniform initialization, {@code he_uniform} (He, Zhang, Ren &amp; Sun 2015, "Delving
 * deep into rectifiers"), for layers followed by ReLU: values drawn uniformly from [−limit, limit)
 * with
 *
 * <pre>
 *   limit = √(6 / fanIn)
 * </pre>
 *
 * <p>(variance limit²/3 = 2/fanIn). {@code fanOut} is checked but does not enter. The values are
 * doubles from {@code new SplittableRandom(seed)}; the float overload casts them, so float and
 * double fill the same values. Stateless; use {@link #INSTANCE}.
 */
public final class HeUniform implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "he_uniform";

  public static final HeUniform INSTANCE = new HeUniform();

  private HeUniform() {}

  /** The bound of the uniform distribution for a tensor with this fan-in. */
  public static double limit(int fanIn) {
    Checks.fans(fanIn, 1);
    return Math.sqrt(6.0 / fanIn);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Checks.fans(fanIn, fanOut);
    double limit = limit(fanIn);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      target[offset + i] = (float) random.nextDouble(-limit, limit);
    }
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.range(target.length, offset, count);
    Checks.fans(fanIn, fanOut);
    double limit = limit(fanIn);
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
