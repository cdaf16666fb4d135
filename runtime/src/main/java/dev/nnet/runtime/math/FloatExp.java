package dev.nnet.runtime.math;

/**
 * The float exponential of the recurrent cells, and the sigmoid and tanh made from it, computed
 * from IEEE additions, multiplications, fused multiply-adds and bit operations only, so every JIT tier, the
 * interpreter and the Vector API code of a generated network get the same bits.
 *
 * <p>{@code Math.exp} does not do for the Vector API cells: their vector counterpart,
 * {@code lanewise(EXP)}, runs the JDK's vector math library once C2 has compiled it and
 * {@code Math.exp} lane by lane before, and the two differ in the last bit. The generated
 * {@code Simd} code writes the steps below with vectors, in the same order, on whole vectors
 * of an array, and calls these methods for the last values: both give the same bits.
 *
 * <p>The method is Cephes's {@code expf}: {@code n = round(x · log₂e)}, {@code r = x − n · ln 2}
 * with {@code ln 2} in two parts (the first exact to 9 bits, so {@code n · LN2_HIGH} is exact),
 * {@code e^r} by a degree-7 polynomial in fused multiply-adds, and the result scaled by
 * {@code 2^n} built from exponent bits, in two halves so that results in the subnormal range
 * round once. A fused multiply-add rounds once by specification, in {@code Math.fma} as in
 * {@code FloatVector.fma}; on a processor without FMA instructions {@code Math.fma} is slow
 * ({@code BigDecimal}) but gives the same bits. Measured against {@code (float) Math.exp} over
 * every float in [−110, 90]: at most 1 ulp apart, and equal for 99.2 % of them;
 * {@code exp(−∞) = 0}, {@code exp(∞) = ∞} (and from {@code 88.72284f} on, as {@code Math.exp}),
 * {@code exp(NaN)} is NaN. (Plain multiplications and additions are as accurate, but their chain
 * of roundings is twice as long: W5 took 21 to 26 % more CPU time per training step, against 6 to
 * 11 % with fused multiply-adds, than with {@code lanewise(EXP)}.)
 */
public final class FloatExp {
  /** Below this, {@code e^x} rounds to 0 in float; inputs are clamped to it. */
  public static final float LOW = -104f;
  /** Above this, {@code e^x} is ∞ in float; clamped here, {@code n} stays ≤ 128. */
  public static final float HIGH = 88.8f;
  public static final float LOG2E = 1.44269504088896341f;
  /** 1.5 · 2²³: added to {@code x · log₂e}, leaves it rounded to an integer in the low bits. */
  public static final float ROUNDER = 12582912f;
  /** The bits of {@link #ROUNDER}: subtracted from the sum's bits, leaves {@code n}. */
  public static final int ROUNDER_BITS = 0x4B400000;
  /** {@code ln 2 = LN2_HIGH − LN2_LOW}: 0.693359375 has 9 significant bits. */
  public static final float LN2_HIGH = 0.693359375f;
  public static final float LN2_LOW = -2.12194440e-4f;
  /** Cephes's coefficients of {@code (e^r − 1 − r) / r²} on [−ln 2 / 2, ln 2 / 2]. */
  public static final float P0 = 1.9875691500e-4f;
  public static final float P1 = 1.3981999507e-3f;
  public static final float P2 = 8.3334519073e-3f;
  public static final float P3 = 4.1665795894e-2f;
  public static final float P4 = 1.6666665459e-1f;
  public static final float P5 = 5.0000001201e-1f;

  private FloatExp() {}

  /** {@code e^x}, within 1 ulp of {@code Math.exp}, the same bits in every JIT tier. */
  public static float exp(float x) {
    x = Math.min(Math.max(x, LOW), HIGH);
    float t = x * LOG2E + ROUNDER;
    float n = t - ROUNDER;
    float r = Math.fma(n, -LN2_HIGH, x);
    r = Math.fma(n, -LN2_LOW, r);
    float p = Math.fma(r, P0, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    p = Math.fma(p, r * r, r);
    p = p + 1f;
    int exponent = Float.floatToRawIntBits(t) - ROUNDER_BITS;
    int half = exponent >> 1;
    return p * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((exponent - half + 127) << 23);
  }

  /** {@code 1 / (1 + e^−x)}. */
  public static float sigmoid(float x) {
    return 1f / (1f + exp(-x));
  }

  /** {@code 1 − 2 / (e^2x + 1)}: one exponential, exact at both ends ({@code Math.tanh} is far slower in float). */
  public static float tanh(float x) {
    return 1f - 2f / (exp(2f * x) + 1f);
  }
}
