package dev.nnet.runtime.init;

import java.util.SplittableRandom;

/**
 * Standard normal deviates from a {@link SplittableRandom}, by Marsaglia's polar method (Marsaglia
 * &amp; Bray 1964, "A convenient method for generating normal variables"), and the truncated
 * normal fills of the variance-scaling initializers.
 *
 * <p>Only {@code nextDouble} and {@link StrictMath#log} enter the deviates, so a seed gives the
 * same values on every JVM ({@code RandomGenerator.nextGaussian} makes no such promise).
 */
final class Normals {

  /** The truncation point in standard deviations of the untruncated normal: beyond, redraw. */
  static final double CUTOFF = 2.0;

  /**
   * The standard deviation of a standard normal truncated to [−2, 2]:
   * √(1 − 4φ(2) / (2Φ(2) − 1)). Keras divides by it so that the truncated values have the
   * requested standard deviation.
   */
  static final double TRUNCATED_STDDEV = 0.87962566103423978;

  private final SplittableRandom random;
  private double spare;
  private boolean hasSpare;

  Normals(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The next standard normal deviate. */
  double next() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double factor = Math.sqrt(-2 * StrictMath.log(s) / s);
    spare = v * factor;
    hasSpare = true;
    return u * factor;
  }

  /** The next standard normal deviate within [−{@link #CUTOFF}, {@link #CUTOFF}]. */
  double nextTruncated() {
    double z;
    do {
      z = next();
    } while (Math.abs(z) > CUTOFF);
    return z;
  }

  /**
   * Fills {@code count} values from {@code offset} with a normal of mean 0 truncated to ±2 of its
   * own standard deviations, scaled so that the values have standard deviation {@code stddev}.
   */
  static void fillTruncated(float[] target, int offset, int count, double stddev, long seed) {
    Checks.range(target.length, offset, count);
    final double scale = stddev / TRUNCATED_STDDEV;
    Normals normals = new Normals(seed);
    for (int i = 0; i < count; i++) {
      target[offset + i] = (float) (scale * normals.nextTruncated());
    }
  }

  /** The double twin of {@link #fillTruncated(float[], int, int, double, long)}. */
  static void fillTruncated(double[] target, int offset, int count, double stddev, long seed) {
    Checks.range(target.length, offset, count);
    final double scale = stddev / TRUNCATED_STDDEV;
    Normals normals = new Normals(seed);
    for (int i = 0; i < count; i++) {
      target[offset + i] = scale * normals.nextTruncated();
    }
  }
}
