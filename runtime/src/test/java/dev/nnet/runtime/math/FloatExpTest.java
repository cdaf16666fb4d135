package dev.nnet.runtime.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FloatExp against {@code (float) Math.exp}, and its sigmoid and tanh at the ends. */
class FloatExpTest {

  /** The distance in ulps between two floats of the same sign or zero; 0 if both are NaN. */
  private static long ulps(float a, float b) {
    if (Float.isNaN(a) || Float.isNaN(b)) {
      return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
    }
    return Math.abs((long) ordered(a) - ordered(b));
  }

  /** Float bits mapped so that the integer order is the float order. */
  private static int ordered(float v) {
    int bits = Float.floatToRawIntBits(v);
    return bits < 0 ? Integer.MIN_VALUE - bits : bits;
  }

  @Test
  void withinOneUlpOfMathExpOnASweepOfEveryRange() {
    long worst = 0;
    float worstAt = 0;
    long checked = 0;
    long differing = 0;
    // Every 61st float from −110 to 90 (about 37 million): the underflow to 0 below −103.97,
    // subnormal results below −87.34, normal ones, overflow to ∞ above 88.72.
    for (float sign : new float[] {1f, -1f}) {
      float limit = sign > 0 ? 90f : 110f;
      for (int bits = 0; bits <= Float.floatToRawIntBits(limit); bits += 61) {
        float x = sign * Float.intBitsToFloat(bits);
        float expected = (float) Math.exp(x);
        long u = ulps(FloatExp.exp(x), expected);
        checked++;
        if (u > 0) {
          differing++;
        }
        if (u > worst) {
          worst = u;
          worstAt = x;
        }
      }
    }
    assertTrue(checked > 30_000_000, "checked " + checked);
    assertTrue(worst <= 1, "exp(" + worstAt + ") is " + worst + " ulps from Math.exp");
    assertTrue(differing < checked / 50, differing + " of " + checked + " differ from Math.exp by an ulp");
  }

  @Test
  void specialValues() {
    assertEquals(1f, FloatExp.exp(0f));
    assertEquals(1f, FloatExp.exp(-0f));
    assertEquals(1f, FloatExp.exp(Float.MIN_VALUE));
    assertEquals(1f, FloatExp.exp(-Float.MIN_VALUE));
    assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.POSITIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.MAX_VALUE));
    assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(88.72284f)); // the first float whose e^x overflows
    assertEquals((float) Math.exp(88.72283f), FloatExp.exp(88.72283f)); // the largest finite result
    assertTrue(Float.isFinite(FloatExp.exp(88.72283f)));
    assertEquals(0f, FloatExp.exp(Float.NEGATIVE_INFINITY));
    assertEquals(0f, FloatExp.exp(-Float.MAX_VALUE));
    assertEquals(0f, FloatExp.exp(-104f));
    assertEquals(Float.MIN_VALUE, FloatExp.exp(-103.97f)); // the smallest subnormal, as Math.exp
    assertTrue(Float.isNaN(FloatExp.exp(Float.NaN)));
    assertEquals((float) Math.E, FloatExp.exp(1f));
  }

  @Test
  void sigmoidAndTanhSaturateExactlyAndStayClose() {
    assertEquals(0.5f, FloatExp.sigmoid(0f));
    assertEquals(1f, FloatExp.sigmoid(Float.POSITIVE_INFINITY));
    assertEquals(0f, FloatExp.sigmoid(Float.NEGATIVE_INFINITY));
    assertEquals(1f, FloatExp.sigmoid(200f));
    assertEquals(0f, FloatExp.tanh(0f));
    assertEquals(1f, FloatExp.tanh(Float.POSITIVE_INFINITY));
    assertEquals(-1f, FloatExp.tanh(Float.NEGATIVE_INFINITY));
    assertEquals(-1f, FloatExp.tanh(-60f));
    assertTrue(Float.isNaN(FloatExp.sigmoid(Float.NaN)));
    assertTrue(Float.isNaN(FloatExp.tanh(Float.NaN)));
    for (float x = -20f; x <= 20f; x += 0.01f) {
      assertEquals(1 / (1 + Math.exp(-x)), FloatExp.sigmoid(x), 2e-7, "sigmoid(" + x + ")");
      assertEquals(Math.tanh(x), FloatExp.tanh(x), 4e-7, "tanh(" + x + ")");
    }
  }
}
