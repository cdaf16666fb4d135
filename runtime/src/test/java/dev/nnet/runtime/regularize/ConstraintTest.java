package dev.nnet.runtime.regularize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MaxNorm and GradientClipping. */
class ConstraintTest {

  @Test
  void maxNormRescalesOnlyLongColumns() {
    // A [3, 2] matrix at offset 1: column 0 = (3, 4, 0), norm 5; column 1 = (0.1, 0.2, 0.2), 0.3.
    float[] w = {7, 3, 0.1f, 4, 0.2f, 0, 0.2f, 7};
    new MaxNorm(2).apply(w, 1, 3, 2);
    assertArrayEquals(new float[] {7, 1.2f, 0.1f, 1.6f, 0.2f, 0, 0.2f, 7}, w, 1e-6f);
    assertEquals(0.1f, w[2], 0f); // the short column is untouched, bit for bit
    double[] d = {3, 0.1, 4, 0.2, 0, 0.2};
    new MaxNorm(2).apply(d, 0, 3, 2);
    assertArrayEquals(new double[] {1.2, 0.1, 1.6, 0.2, 0, 0.2}, d, 1e-15);
  }

  @Test
  void maxNormBoundsEveryColumnAndKeepsDirections() {
    SplittableRandom random = new SplittableRandom(5);
    int rows = 50;
    int columns = 20;
    float[] w = new float[rows * columns];
    for (int i = 0; i < w.length; i++) {
      // Column j has norm about √(50/3)·(0.1 + 0.05·j): from 0.4 to 4.3, around the bound 2.
      w[i] = (float) (random.nextDouble(-1, 1) * (0.1 + 0.05 * (i % columns)));
    }
    float[] before = w.clone();
    new MaxNorm(2).apply(w, 0, rows, columns);
    int rescaled = 0;
    for (int j = 0; j < columns; j++) {
      double oldNorm = columnNorm(before, rows, columns, j);
      double newNorm = columnNorm(w, rows, columns, j);
      if (oldNorm > 2) {
        rescaled++;
        assertEquals(2, newNorm, 1e-5);
        for (int i = 0; i < rows; i++) {
          assertEquals(before[i * columns + j] * 2 / oldNorm, w[i * columns + j], 1e-6);
        }
      } else {
        for (int i = 0; i < rows; i++) {
          assertEquals(before[i * columns + j], w[i * columns + j], 0f);
        }
      }
    }
    assertTrue(rescaled > 0 && rescaled < columns, rescaled + " columns rescaled");
  }

  @Test
  void maxNormChecksArguments() {
    assertEquals(2.0, new MaxNorm().maxValue());
    assertEquals("MaxNorm(maxValue=3.0)", new MaxNorm(3).toString());
    assertEquals(new MaxNorm(3), new MaxNorm(3.0));
    assertEquals("maxValue must be > 0, but got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new MaxNorm(0)).getMessage());
    assertEquals("maxValue must be a finite number > 0, but got Infinity",
        assertThrows(IllegalArgumentException.class,
            () -> new MaxNorm(Double.POSITIVE_INFINITY)).getMessage());
    assertEquals("parameters must hold 3 × 2 values from offset 1, but has length 6",
        assertThrows(IllegalArgumentException.class,
            () -> new MaxNorm().apply(new float[6], 1, 3, 2)).getMessage());
    assertEquals("columns must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class,
            () -> new MaxNorm().apply(new double[6], 0, 3, 0)).getMessage());
  }

  @Test
  void clipByValueClampsAndKeepsNaN() {
    float[] g = {-3, -0.5f, 0, 0.5f, 3, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY};
    GradientClipping.clipByValue(g, 1);
    assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f, 1, Float.NaN, 1, -1}, g);
    double[] d = {-3, 0.25, 3};
    GradientClipping.clipByValue(d, 0.5);
    assertArrayEquals(new double[] {-0.5, 0.25, 0.5}, d);
    assertEquals("limit must be > 0, but got -1.0",
        assertThrows(IllegalArgumentException.class,
            () -> GradientClipping.clipByValue(new float[1], -1)).getMessage());
  }

  @Test
  void clipByGlobalNormScalesTheWholeVector() {
    float[] g = {3, 4};
    assertEquals(5, GradientClipping.clipByGlobalNorm(g, 1), 0);
    assertArrayEquals(new float[] {0.6f, 0.8f}, g, 1e-7f);
    float[] small = {3, 4};
    assertEquals(5, GradientClipping.clipByGlobalNorm(small, 10), 0);
    assertArrayEquals(new float[] {3, 4}, small);
    assertEquals(5, GradientClipping.clipByGlobalNorm(small, 5), 0); // exactly at the bound
    assertArrayEquals(new float[] {3, 4}, small);
    double[] d = {1, 2, 2};
    assertEquals(3, GradientClipping.clipByGlobalNorm(d, 1.5), 1e-15);
    assertArrayEquals(new double[] {0.5, 1, 1}, d, 1e-15);

    // Summed in double: 1e20² overflows float but not double.
    float[] huge = {1e20f, 1e20f};
    assertEquals(Math.sqrt(2) * (double) 1e20f, GradientClipping.clipByGlobalNorm(huge, 1), 1e6);
    assertEquals((float) Math.sqrt(0.5), huge[0], 1e-7f);

    float[] nan = {Float.NaN, 1};
    assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(nan, 1)));
    assertEquals(1f, nan[1]);
    float[] infinite = {Float.POSITIVE_INFINITY, 2};
    assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipByGlobalNorm(infinite, 1));
    assertEquals(2f, infinite[1]);
    assertEquals("maxNorm must be a finite number > 0, but got NaN",
        assertThrows(IllegalArgumentException.class,
            () -> GradientClipping.clipByGlobalNorm(new double[1], Double.NaN)).getMessage());
  }

  @Test
  void nothingAllocates() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    float[] w = new float[64 * 32];
    float[] g = new float[64 * 32];
    java.util.Arrays.fill(w, 0.5f);
    MaxNorm maxNorm = new MaxNorm(1);
    L1L2 l1l2 = new L1L2(0.01, 0.01);
    double sink = 0;
    for (int round = 0; round < 2; round++) { // the first round warms up
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 200; i++) {
        java.util.Arrays.fill(g, 3f);
        GradientClipping.clipByValue(g, 1);
        sink += GradientClipping.clipByGlobalNorm(g, 1);
        sink += l1l2.penalty(w, 0, w.length);
        l1l2.addGradient(w, g, 0, w.length);
        maxNorm.apply(w, 0, 64, 32);
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      if (round == 1) {
        assertTrue(allocated < 1024, allocated + " bytes allocated");
      }
    }
    assertTrue(sink > 0);
  }

  private static double columnNorm(float[] w, int rows, int columns, int j) {
    double squares = 0;
    for (int i = 0; i < rows; i++) {
      squares += (double) w[i * columns + j] * w[i * columns + j];
    }
    return Math.sqrt(squares);
  }
}
