package dev.nnet.runtime.init;

/**
 * LeCun normal initialization, {@code lecun_normal} (LeCun, Bottou, Orr &amp; Müller 1998,
 * "Efficient BackProp", §4.6; the initialization self-normalizing SELU networks need, Klambauer et
 * al. 2017): a truncated normal with mean 0 and standard deviation
 *
 * <pre>
 *   σ = √(1 / fanIn)
 * </pre>
 *
 * <p>Truncated as in Keras and {@link GlorotNormal}: drawn with σ' = σ / 0.8796, values beyond 2σ'
 * redrawn, so the values have standard deviation σ and lie within ±2σ' ≈ ±2.274σ. {@code fanOut}
 * is checked but does not enter. Float and double overloads fill the same values from the same
 * seed. Stateless; use {@link #INSTANCE}.
 */
public final class LecunNormal implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "lecun_normal";

  public static final LecunNormal INSTANCE = new LecunNormal();

  private LecunNormal() {}

  /** The standard deviation σ of the values for a tensor with this fan-in. */
  public static double stddev(int fanIn) {
    Checks.fans(fanIn, 1);
    return Math.sqrt(1.0 / fanIn);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void fill(float[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.fans(fanIn, fanOut);
    Normals.fillTruncated(target, offset, count, stddev(fanIn), seed);
  }

  @Override
  public void fill(double[] target, int offset, int count, int fanIn, int fanOut, long seed) {
    Checks.fans(fanIn, fanOut);
    Normals.fillTruncated(target, offset, count, stddev(fanIn), seed);
  }

  @Override
  public String toString() {
    return NAME;
  }
}
