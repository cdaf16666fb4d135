package dev.nnet.runtime.init;

/**
 * Glorot (Xavier) normal initialization, {@code glorot_normal} (Glorot &amp; Bengio 2010,
 * "Understanding the difficulty of training deep feedforward neural networks"): a truncated normal
 * with mean 0 and standard deviation
 *
 * <pre>
 *   σ = √(2 / (fanIn + fanOut))
 * </pre>
 *
 * <p><b>Truncation, as in Keras.</b> Keras' {@code VarianceScaling} draws from a normal of standard
 * deviation σ' = σ / 0.8796 and redraws every value beyond 2σ', and so does this class. 0.8796 is
 * the standard deviation of a standard normal truncated to [−2, 2], so the values themselves have
 * standard deviation σ (not σ' and not the smaller 0.88σ of a plain truncation), and they lie
 * within ±2σ' ≈ ±2.274σ.
 *
 * <p>The deviates come from {@code new SplittableRandom(seed)} by Marsaglia's polar method, in
 * double; the float overload casts them, so a float network and its double twin start from the
 * same values (to float precision). Stateless; use {@link #INSTANCE}.
 */
public final class GlorotNormal implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "glorot_normal";

  public static final GlorotNormal INSTANCE = new GlorotNormal();

  private GlorotNormal() {}

  /** The standard deviation σ of the values for a tensor with these fans. */
  public static double stddev(int fanIn, int fanOut) {
    Checks.fans(fanIn, fanOut);
    return Math.sqrt(2.0 / ((double) fanIn + fanOut));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Normals.fillTruncated(target, offset, count, stddev(fanIn, fanOut), seed);
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Normals.fillTruncated(target, offset, count, stddev(fanIn, fanOut), seed);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
