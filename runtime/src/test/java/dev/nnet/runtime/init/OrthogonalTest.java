package dev.nnet.runtime.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OrthogonalTest {

  @Test
  void tallMatrixHasOrthonormalColumns() {
    // [inputs, units] = [64, 16]: WᵀW = I (16 × 16).
    float[] w = new float[64 * 16];
    Orthogonal.INSTANCE.fill(w, 0, w.length, 64, 16, 3);
    assertGram(w, 0, 64, 16, true, 1.0, 1e-5);
    double[] d = new double[64 * 16];
    Orthogonal.INSTANCE.fill(d, 0, d.length, 64, 16, 3);
    assertGram(d, 64, 16, true, 1.0, 1e-12);
  }

  @Test
  void wideMatrixHasOrthonormalRows() {
    // [16, 64]: WWᵀ = I (16 × 16); the columns cannot be orthonormal.
    float[] w = new float[16 * 64];
    Orthogonal.INSTANCE.fill(w, 0, w.length, 16, 64, 4);
    assertGram(w, 0, 16, 64, false, 1.0, 1e-5);
    double[] d = new double[16 * 64];
    Orthogonal.INSTANCE.fill(d, 0, d.length, 16, 64, 4);
    assertGram(d, 16, 64, false, 1.0, 1e-12);
  }

  @Test
  void squareMatrixIsOrthogonalBothWaysAndAtAnOffset() {
    float[] w = new float[3 + 48 * 48 + 2];
    Arrays.fill(w, 7f);
    Orthogonal.INSTANCE.fill(w, 3, 48 * 48, 48, 48, 5);
    assertEquals(7f, w[2]);
    assertEquals(7f, w[3 + 48 * 48]);
    assertGram(w, 3, 48, 48, true, 1.0, 1e-5);
    assertGram(w, 3, 48, 48, false, 1.0, 1e-5);
  }

  @Test
  void gainScales() {
    Orthogonal two = new Orthogonal(2.0);
    assertEquals(2.0, two.gain());
    float[] w = new float[30 * 10];
    two.fill(w, 0, w.length, 30, 10, 6);
    assertGram(w, 0, 30, 10, true, 2.0, 4e-5);
    float[] unit = new float[30 * 10];
    Orthogonal.INSTANCE.fill(unit, 0, unit.length, 30, 10, 6);
    for (int i = 0; i < w.length; i++) {
      assertEquals(2 * unit[i], w[i], 1e-6f);
    }
  }

  @Test
  void seededAndFloatEqualsDouble() {
    float[] a = new float[20 * 12];
    float[] b = new float[20 * 12];
    double[] d = new double[20 * 12];
    Orthogonal.INSTANCE.fill(a, 0, a.length, 20, 12, 8);
    Orthogonal.INSTANCE.fill(b, 0, b.length, 20, 12, 8);
    Orthogonal.INSTANCE.fill(d, 0, d.length, 20, 12, 8);
    assertArrayEquals(a, b);
    for (int i = 0; i < a.length; i++) {
      assertEquals((float) d[i], a[i]);
    }
    float[] other = new float[20 * 12];
    Orthogonal.INSTANCE.fill(other, 0, other.length, 20, 12, 9);
    assertFalse(Arrays.equals(a, other));
    // Random, not a permutation or the identity: entries of a Haar matrix are spread out.
    int small = 0;
    for (float v : a) {
      assertTrue(Math.abs(v) < 0.9f, "entry " + v);
      if (Math.abs(v) < 1e-3f) {
        small++;
      }
    }
    assertTrue(small < a.length / 10, small + " near-zero entries");
  }

  @Test
  void denseLayerSizeIsQuick() {
    // hidden.weight of the MNIST example, [784, 128]: O(m·n²) Gram–Schmidt stays well under a second.
    float[] w = new float[784 * 128];
    long start = System.nanoTime();
    Orthogonal.INSTANCE.fill(w, 0, w.length, 784, 128, 42);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 2_000, millis + " ms");
    assertGram(w, 0, 784, 128, true, 1.0, 1e-5);
  }

  @Test
  void checksCountAndGain() {
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> Orthogonal.INSTANCE.fill(new float[10], 0, 4, 3, 4, 0));
    assertEquals("orthogonal fills one [fanIn, fanOut] matrix, so count must be fanIn × fanOut = "
        + "12, but got 4", count.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Orthogonal.INSTANCE.fill(new double[12], 0, 12, 0, 12, 0));
    assertThrows(IllegalArgumentException.class,
        () -> Orthogonal.INSTANCE.fill(new float[12], 1, 12, 3, 4, 0));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> new Orthogonal(-1));
    assertEquals("gain must be > 0, but got -1.0", negative.getMessage());
    IllegalArgumentException nan =
        assertThrows(IllegalArgumentException.class, () -> new Orthogonal(Double.NaN));
    assertEquals("gain must be a finite number > 0, but got NaN", nan.getMessage());
  }

  @Test
  void namesAndEquality() {
    assertSame(Orthogonal.INSTANCE, Initializers.byName("orthogonal"));
    assertEquals("orthogonal", Orthogonal.INSTANCE.name());
    assertEquals("orthogonal", Orthogonal.INSTANCE.toString());
    assertEquals("orthogonal(gain: 2.0)", new Orthogonal(2).toString());
    assertEquals(Orthogonal.INSTANCE, new Orthogonal(1.0));
    assertEquals(Orthogonal.INSTANCE.hashCode(), new Orthogonal(1.0).hashCode());
    assertNotEquals(Orthogonal.INSTANCE, new Orthogonal(2.0));
  }

  /** WᵀW (columns) or WWᵀ (rows) of the row-major [rows, columns] matrix ≈ gain²·I. */
  private static void assertGram(float[] w, int offset, int rows, int columns, boolean byColumns,
      double gain, double tolerance) {
    double[] d = new double[rows * columns];
    for (int i = 0; i < d.length; i++) {
      d[i] = w[offset + i];
    }
    assertGram(d, rows, columns, byColumns, gain, tolerance);
  }

  private static void assertGram(double[] w, int rows, int columns, boolean byColumns,
      double gain, double tolerance) {
    int vectors = byColumns ? columns : rows;
    int length = byColumns ? rows : columns;
    for (int a = 0; a < vectors; a++) {
      for (int b = 0; b < vectors; b++) {
        double dot = 0;
        for (int k = 0; k < length; k++) {
          dot += byColumns
              ? w[k * columns + a] * w[k * columns + b]
              : w[a * columns + k] * w[b * columns + k];
        }
        double expected = a == b ? gain * gain : 0;
        assertEquals(expected, dot, tolerance, (byColumns ? "columns " : "rows ") + a + ", " + b);
      }
    }
  }
}
