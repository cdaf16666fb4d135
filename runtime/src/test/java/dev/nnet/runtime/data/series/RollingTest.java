package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RollingTest {

  static final double N = Double.NaN;

  @Test
  void meanOfEachTrailingWindowNaNBeforeTheFirstFullWindowAndAroundGaps() {
    Series series = Series.of(1, 2, 3, 4, N, 6, 7, 8);
    Series mean = Rolling.mean(series, 3);
    assertArrayEquals(new double[] {N, N, 2, 3, N, N, N, 7}, mean.values(), 1e-12);
    assertEquals("value mean(3)", mean.name());
    assertEquals(series.times(), mean.times());
  }

  @Test
  void populationVarianceAndStandardDeviation() {
    Series series = Series.of(1, 2, 3, 5, 5, 5);
    double[] expected = {N, N, 2.0 / 3, 14.0 / 9, 8.0 / 9, 0};
    assertArrayEquals(expected, Rolling.variance(series, 3).values(), 1e-12);
    double[] std = Rolling.standardDeviation(series, 3).values();
    for (int i = 2; i < expected.length; i++) {
      assertEquals(Math.sqrt(expected[i]), std[i], 1e-12);
    }
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, Rolling.variance(series, 1).values());
    assertArrayEquals(series.values(), Rolling.mean(series, 1).values());
  }

  @Test
  void isCausalTheValueAtTDependsOnlyOnTAndBefore() {
    Series a = Series.of(1, 2, 3, 4, 5, 6);
    Series b = Series.of(1, 2, 3, 4, 50, 600);
    double[] meanA = Rolling.mean(a, 2).values();
    double[] meanB = Rolling.mean(b, 2).values();
    for (int t = 1; t <= 3; t++) {
      assertEquals(meanA[t], meanB[t], "changing later values does not change position " + t);
    }
  }

  @Test
  void aWindowLongerThanTheSeriesGivesOnlyNaNAndAWindowBelowOneIsRejected() {
    assertArrayEquals(new double[] {N, N}, Rolling.mean(Series.of(1, 2), 3).values());
    assertEquals("the window must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class, () -> Rolling.variance(Series.of(1), 0))
            .getMessage());
  }
}
