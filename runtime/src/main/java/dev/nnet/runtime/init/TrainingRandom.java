package dev.nnet.runtime.init;

/**
 * The random stream a generated network draws its dropout masks from: SplitMix64, the same
 * sequence as {@code new java.util.SplittableRandom(seed)}, but {@linkplain #reseed reseedable}
 * in place. The trainer reseeds it before every step, so a run resumed after any step draws the
 * masks of an uninterrupted one; reseeding allocates nothing, where a new {@code
 * SplittableRandom} per step would.
 *
 * <p>Not thread-safe: each network (and each data-parallel replica) has its own.
 */
public final class TrainingRandom {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double DOUBLE_UNIT = 0x1.0p-53;

  private long state;

  /** A stream seeded with 0, until {@link #reseed}. */
  public TrainingRandom() {
    this(0);
  }

  public TrainingRandom(long seed) {
    this.state = seed;
  }

  /** Restarts the stream at {@code seed}: the values that follow are those of a new one. */
  public void reseed(long seed) {
    state = seed;
  }

  /** The next 64 random bits, as {@code SplittableRandom.nextLong()}. */
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return Seeds.mix64(state);
  }

  /** A uniform value in [0, 1), as {@code SplittableRandom.nextDouble()}. */
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /**
   * A standard normal value (mean 0, variance 1), for {@code gaussian_noise}: Box–Muller from two
   * uniform values, one value per call (no spare kept, so a {@link #reseed} restarts it exactly),
   * with {@link StrictMath} so every JVM draws the same noise. Not the sequence of {@code
   * SplittableRandom.nextGaussian()}.
   */
  public double nextGaussian() {
    double u = 1.0 - nextDouble(); // in (0, 1]: the logarithm is finite
    double v = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * Math.PI * v);
  }
}
