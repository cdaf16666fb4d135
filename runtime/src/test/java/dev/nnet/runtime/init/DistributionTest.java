package dev.nnet.runtime.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statistics, bounds, seeding and argument checks of the random initializers. */
class DistributionTest {
  private static final int DRAWS = 200_000;
  private static final int FAN_IN = 300;
  private static final int FAN_OUT = 100;

  /** The random initializers that fill any count (Orthogonal has its own test). */
  private static final List<Initializer> RANDOM = List.of(GlorotUniform.INSTANCE,
      GlorotNormal.INSTANCE, HeUniform.INSTANCE, HeNormal.INSTANCE, LecunUniform.INSTANCE,
      LecunNormal.INSTANCE);

  @Test
  void heUniformHasItsLimitAndVariance() {
    double limit = Math.sqrt(6.0 / FAN_IN);
    assertEquals(limit, HeUniform.limit(FAN_IN), 1e-15);
    checkUniform(HeUniform.INSTANCE, limit, 2.0 / FAN_IN);
  }

  @Test
  void lecunUniformHasItsLimitAndVariance() {
    double limit = Math.sqrt(3.0 / FAN_IN);
    assertEquals(limit, LecunUniform.limit(FAN_IN), 1e-15);
    checkUniform(LecunUniform.INSTANCE, limit, 1.0 / FAN_IN);
  }

  @Test
  void glorotNormalIsTruncatedWithKerasStddev() {
    double sigma = Math.sqrt(2.0 / (FAN_IN + FAN_OUT));
    assertEquals(sigma, GlorotNormal.stddev(FAN_IN, FAN_OUT), 1e-15);
    checkTruncatedNormal(GlorotNormal.INSTANCE, sigma);
  }

  @Test
  void heNormalIsTruncatedWithKerasStddev() {
    double sigma = Math.sqrt(2.0 / FAN_IN);
    assertEquals(sigma, HeNormal.stddev(FAN_IN), 1e-15);
    checkTruncatedNormal(HeNormal.INSTANCE, sigma);
  }

  @Test
  void lecunNormalIsTruncatedWithKerasStddev() {
    double sigma = Math.sqrt(1.0 / FAN_IN);
    assertEquals(sigma, LecunNormal.stddev(FAN_IN), 1e-15);
    checkTruncatedNormal(LecunNormal.INSTANCE, sigma);
  }

  @Test
  void truncationConstantIsTheStddevOfTheTruncatedStandardNormal() {
    // Var of N(0, 1) truncated to [−2, 2] is 1 − 2·2·φ(2) / (2Φ(2) − 1), with 2Φ(2) − 1 = erf(√2).
    double phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    double mass = 0.9544997361036416; // erf(√2)
    assertEquals(Math.sqrt(1 - 4 * phi2 / mass), Normals.TRUNCATED_STDDEV, 1e-12);
  }

  @Test
  void sameSeedSameValuesAndFloatEqualsDouble() {
    for (Initializer initializer : RANDOM) {
      float[] a = new float[257];
      float[] b = new float[257];
      double[] d = new double[257];
      initializer.fill(a, 0, a.length, 16, 8, 99);
      initializer.fill(b, 0, b.length, 16, 8, 99);
      initializer.fill(d, 0, d.length, 16, 8, 99);
      assertArrayEquals(a, b, initializer.name());
      for (int i = 0; i < a.length; i++) {
        assertEquals((float) d[i], a[i], initializer.name() + " at " + i);
      }
      float[] other = new float[257];
      initializer.fill(other, 0, other.length, 16, 8, 100);
      assertFalse(Arrays.equals(a, other), initializer.name());
    }
  }

  @Test
  void fillTouchesOnlyItsRangeAndChecksArguments() {
    for (Initializer initializer : RANDOM) {
      float[] values = new float[12];
      Arrays.fill(values, 9f);
      initializer.fill(values, 3, 6, 4, 4, 1);
      for (int i = 0; i < values.length; i++) {
        boolean inside = i >= 3 && i < 9;
        assertEquals(inside, values[i] != 9f, initializer.name() + " at " + i);
      }
      double[] doubles = new double[12];
      Arrays.fill(doubles, 9);
      initializer.fill(doubles, 3, 6, 4, 4, 1);
      assertEquals(9, doubles[2]);
      assertEquals(9, doubles[9]);
      IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
          () -> initializer.fill(new float[4], 2, 3, 1, 1, 0));
      assertEquals("cannot fill 3 values from offset 2 of an array of length 4",
          range.getMessage());
      IllegalArgumentException fans = assertThrows(IllegalArgumentException.class,
          () -> initializer.fill(new float[4], 0, 4, 2, 0, 0));
      assertEquals("fanIn and fanOut must be >= 1, but got fanIn=2, fanOut=0", fans.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> initializer.fill(new double[4], 0, 4, 0, 2, 0));
    }
  }

  @Test
  void onesAndConstant() {
    float[] values = new float[5];
    Ones.INSTANCE.fill(values, 1, 3, 7, 7, 0);
    assertArrayEquals(new float[] {0, 1, 1, 1, 0}, values);
    double[] doubles = new double[3];
    Ones.INSTANCE.fill(doubles, 0, 3, 1, 1, 0);
    assertArrayEquals(new double[] {1, 1, 1}, doubles);
    assertEquals("ones", Ones.INSTANCE.toString());

    Constant tenth = new Constant(0.1);
    assertEquals(0.1, tenth.value());
    tenth.fill(values, 0, 2, 1, 1, 0);
    assertArrayEquals(new float[] {0.1f, 0.1f, 1, 1, 0}, values);
    tenth.fill(doubles, 2, 1, 1, 1, 0);
    assertArrayEquals(new double[] {1, 1, 0.1}, doubles);
    assertEquals("constant", tenth.name());
    assertEquals("constant(value: 0.1)", tenth.toString());
    assertEquals(new Constant(0.1), tenth);
    assertEquals(new Constant(0.1).hashCode(), tenth.hashCode());
    assertFalse(tenth.equals(new Constant(0.2)));
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> new Constant(Double.NaN));
    assertEquals("value must be a finite number, but got NaN", nan.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Constant(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> tenth.fill(new float[2], 1, 2, 1, 1, 0));
  }

  /** Uniform on [−limit, limit): within the bound, reaching it, mean 0, the given variance. */
  private static void checkUniform(Initializer initializer, double limit, double variance) {
    float[] values = new float[DRAWS];
    initializer.fill(values, 0, DRAWS, FAN_IN, FAN_OUT, 5);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    double sum = 0;
    double squares = 0;
    for (float v : values) {
      assertTrue(Math.abs(v) <= (float) limit, "value " + v + " beyond limit " + limit);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      squares += (double) v * v;
    }
    assertTrue(min < -0.999 * limit && max > 0.999 * limit, min + " " + max);
    // Standard errors: σ/√n ≈ 0.0022σ for the mean, about 0.2% for the variance.
    double sigma = Math.sqrt(variance);
    assertEquals(0, sum / DRAWS, 0.012 * sigma);
    assertEquals(variance, squares / DRAWS, 0.015 * variance);
  }

  /**
   * Keras' truncated normal: drawn with σ' = σ / 0.8796, redrawn beyond 2σ'. So the values lie in
   * ±2σ', have standard deviation σ, and the share within ±σ' is that of a normal truncated at 2,
   * (2Φ(1) − 1) / (2Φ(2) − 1) = 0.71523 (a normal clipped at 2σ' would give 0.68269).
   */
  private static void checkTruncatedNormal(Initializer initializer, double sigma) {
    float[] values = new float[DRAWS];
    initializer.fill(values, 0, DRAWS, FAN_IN, FAN_OUT, 11);
    double unTruncated = sigma / 0.87962566103423978;
    double bound = 2 * unTruncated;
    double sum = 0;
    double squares = 0;
    double largest = 0;
    int withinOne = 0;
    int atBound = 0;
    for (float v : values) {
      assertTrue(Math.abs(v) <= (float) bound, "value " + v + " beyond 2σ' = " + bound);
      largest = Math.max(largest, Math.abs(v));
      sum += v;
      squares += (double) v * v;
      if (Math.abs(v) <= unTruncated) {
        withinOne++;
      }
      if (Math.abs(v) == (float) bound) {
        atBound++;
      }
    }
    assertTrue(largest > 0.99 * bound, "largest " + largest + " for bound " + bound);
    assertTrue(atBound < 3, atBound + " values exactly at the bound: clipped, not redrawn");
    double mean = sum / DRAWS;
    assertEquals(0, mean, 0.012 * sigma);
    assertEquals(sigma, Math.sqrt(squares / DRAWS - mean * mean), 0.01 * sigma);
    assertEquals(0.71523, (double) withinOne / DRAWS, 0.005);
  }
}
