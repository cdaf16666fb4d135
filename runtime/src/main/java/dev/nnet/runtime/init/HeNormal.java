package dev.nnet.runtime.init;

/**
 * He (Kaiming) normal initialization, {@code he_normal} (He, Zhang, Ren &amp; Sun 2015, "Delving
 * deep into rectifiers", eq. 10), for layers followed by ReLU: a truncated normal with mean 0 and
 * standard deviation
 *
 * <pre>
 *   σ = √(2 / fanIn)
 * </pre>
 *
 * <p>Truncated as in Keras and {@link GlorotNormal}: drawn with σ' = σ / 0.8796, values beyond 2σ'
 * redrawn, so the values have standard deviation σ and lie within ±2σ' ≈ ±2.274σ. {@code fanOut}
 * is checked but does not enter. Float and double overloads fill the same values from the same
 * seed. Stateless; use {@link #INSTANCE}.
 */
public final class HeNormal implements Initializer {

  /** The name written in a {@code .nnet} file. */
  public static final String NAME = "he_normal";

  public static final HeNormal INSTANCE = new HeNormal();

  private HeNormal() {}

  /** The standard deviation σ of the values for a tensor with this fan-in. */
  public static double stddev(int fanIn) {
    Checks.fans(fanIn, 1);
    return Math.sqrt(2.0 / fanIn);
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
