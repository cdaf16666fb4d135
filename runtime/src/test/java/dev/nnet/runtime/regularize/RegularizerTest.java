package dev.nnet.runtime.regularize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegularizerTest {
  private static final List<Regularizer> ALL =
      List.of(new L1(0.03), new L2(0.07), new L1L2(0.03, 0.07));

  @Test
  void penaltiesByHand() {
    float[] w = {9, 1, -2, 0.5f, 9};
    // Over w[1..3]: Σ|w| = 3.5, Σw² = 5.25. Keras: l2·Σw², no ½.
    assertEquals(0.1 * 3.5, new L1(0.1).penalty(w, 1, 3), 1e-12);
    assertEquals(0.1 * 5.25, new L2(0.1).penalty(w, 1, 3), 1e-12);
    assertEquals(0.1 * 3.5 + 0.2 * 5.25, new L1L2(0.1, 0.2).penalty(w, 1, 3), 1e-12);
    double[] d = {9, 1, -2, 0.5, 9};
    assertEquals(0.1 * 5.25, new L2(0.1).penalty(d, 1, 3), 1e-15);
    assertEquals(0, new L2(0.1).penalty(d, 2, 0));
    assertEquals(0, new L1L2(0, 0).penalty(d, 0, 5));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(3);
    int size = 40;
    int offset = 5;
    int count = 30;
    double[] w = new double[size];
    for (int i = 0; i < size; i++) {
      // Away from 0, where |w| has a kink.
      double magnitude = 0.1 + random.nextDouble(2);
      w[i] = random.nextBoolean() ? magnitude : -magnitude;
    }
    double h = 1e-6;
    for (Regularizer regularizer : ALL) {
      double[] gradients = new double[size];
      java.util.Arrays.fill(gradients, 0.25);
      regularizer.addGradient(w, gradients, offset, count);
      for (int i = 0; i < size; i++) {
        boolean inside = i >= offset && i < offset + count;
        if (!inside) {
          assertEquals(0.25, gradients[i], regularizer + " touched " + i);
          continue;
        }
        double saved = w[i];
        w[i] = saved + h;
        double plus = regularizer.penalty(w, offset, count);
        w[i] = saved - h;
        double minus = regularizer.penalty(w, offset, count);
        w[i] = saved;
        double numeric = (plus - minus) / (2 * h);
        // addGradient adds to what was there.
        assertEquals(numeric, gradients[i] - 0.25, 1e-7, regularizer + " at " + i);
      }
    }
  }

  @Test
  void floatOverloadsMatchDouble() {
    SplittableRandom random = new SplittableRandom(4);
    float[] w = new float[64];
    double[] d = new double[64];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextDouble(-3, 3);
      d[i] = w[i];
    }
    for (Regularizer regularizer : ALL) {
      assertEquals(regularizer.penalty(d, 0, 64), regularizer.penalty(w, 0, 64), 1e-12);
      float[] g = new float[64];
      double[] gd = new double[64];
      regularizer.addGradient(w, g, 0, 64);
      regularizer.addGradient(d, gd, 0, 64);
      for (int i = 0; i < 64; i++) {
        assertEquals(gd[i], g[i], 1e-6, regularizer + " at " + i);
      }
    }
  }

  @Test
  void l1GradientIsZeroAtZero() {
    float[] w = {0, -0f, 2, -2};
    float[] g = new float[4];
    new L1(0.5).addGradient(w, g, 0, 4);
    assertEquals(0f, g[0]);
    assertEquals(0f, g[1], 0f);
    assertEquals(0.5f, g[2]);
    assertEquals(-0.5f, g[3]);
    double[] gd = new double[1];
    new L1L2(0.5, 1).addGradient(new double[] {0}, gd, 0, 1);
    assertEquals(0, gd[0]);
  }

  @Test
  void argumentsAreChecked() {
    assertEquals("l2 must be >= 0, but got -1.0",
        assertThrows(IllegalArgumentException.class, () -> new L2(-1)).getMessage());
    assertEquals("l1 must be a finite number >= 0, but got NaN",
        assertThrows(IllegalArgumentException.class, () -> new L1(Double.NaN)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new L1L2(0.1, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new L1L2(-0.1, 0));
    assertEquals("parameters must hold 4 values from offset 2, but has length 5",
        assertThrows(IllegalArgumentException.class,
            () -> new L2().penalty(new float[5], 2, 4)).getMessage());
    assertEquals("gradients must hold 4 values from offset 1, but has length 3",
        assertThrows(IllegalArgumentException.class,
            () -> new L1().addGradient(new float[5], new float[3], 1, 4)).getMessage());
    assertEquals("count must be >= 0, but got -1",
        assertThrows(IllegalArgumentException.class,
            () -> new L1L2(1, 1).penalty(new double[5], 0, -1)).getMessage());
  }

  @Test
  void defaultsToStringAndEquality() {
    assertEquals(0.01, new L1().l1());
    assertEquals(0.01, new L2().l2());
    assertEquals("L1(l1=0.01)", new L1().toString());
    assertEquals("L2(l2=0.01)", new L2().toString());
    assertEquals("L1L2(l1=0.01, l2=0.001)", new L1L2(0.01, 0.001).toString());
    assertEquals(new L2(0.5), new L2(0.5));
    assertEquals(new L2(0.5).hashCode(), new L2(0.5).hashCode());
    assertEquals(new L1L2(1, 2), new L1L2(1, 2));
    assertNotEquals(new L1L2(1, 2), new L1L2(2, 1));
    assertNotEquals(new L1(0.5), new L2(0.5));
  }
}
