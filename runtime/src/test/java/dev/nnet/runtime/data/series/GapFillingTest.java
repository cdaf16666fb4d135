package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class GapFillingTest {

  static final double N = Double.NaN;

  /** Gaps at the start, in the middle (two long) and at the end. */
  final Series gappy = Series.of(N, N, 1, N, N, 4, 5, N);

  @Test
  void forwardFillCarriesTheLastValueAndBackFillsOnlyTheStart() {
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 4, 5, 5},
        GapFilling.forwardFill(gappy).values());
  }

  @Test
  void linearInterpolatesInsideAndHoldsTheNearestValueAtTheEdges() {
    assertArrayEquals(new double[] {1, 1, 1, 2, 3, 4, 5, 5},
        GapFilling.linear(gappy).values(), 1e-12);
  }

  @Test
  void meanFillsEveryGapWithTheMeanOfTheObservedValues() {
    assertEquals(10.0 / 3, GapFilling.observedMean(gappy), 1e-12);
    double m = 10.0 / 3;
    assertArrayEquals(new double[] {m, m, 1, m, m, 4, 5, m}, GapFilling.mean(gappy).values(),
        1e-12);
    assertArrayEquals(new double[] {0, 0, 1, 0, 0, 4, 5, 0},
        GapFilling.constant(gappy, 0).values());
  }

  @Test
  void keepsTimesAndNameAndLeavesCompleteSeriesUnchanged() {
    Series filled = GapFilling.linear(gappy);
    assertEquals(gappy.times(), filled.times());
    assertEquals(gappy.name(), filled.name());
    Series complete = Series.of(1, 2, 3);
    assertEquals(complete, GapFilling.forwardFill(complete));
    assertEquals(complete, GapFilling.linear(complete));
    assertEquals(complete, GapFilling.mean(complete));
    assertEquals(8, gappy.size());
    assertEquals(5, gappy.missingCount(), "the input is not changed");
  }

  @Test
  void aSeriesWithNoObservedValueCannotBeFilled() {
    Series empty = Series.of(N, N);
    assertEquals("forward fill needs at least one observed value, but all 2 values of value are"
            + " missing",
        assertThrows(IllegalArgumentException.class, () -> GapFilling.forwardFill(empty))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> GapFilling.linear(empty));
    assertThrows(IllegalArgumentException.class, () -> GapFilling.mean(empty));
    assertThrows(IllegalArgumentException.class, () -> GapFilling.constant(empty, N));
  }

  @Test
  void fillsAllFiftyNineRealGapsOfCo2() throws IOException {
    Series co2 = SeriesCsv.read(SeriesCsvTest.DATA.resolve("co2.csv"));
    assertEquals(59, co2.missingCount());
    for (Series filled : new Series[] {
        GapFilling.forwardFill(co2), GapFilling.linear(co2), GapFilling.mean(co2)}) {
      assertEquals(0, filled.missingCount());
      assertEquals(co2.size(), filled.size());
      int changed = 0;
      for (int i = 0; i < co2.size(); i++) {
        if (Double.isNaN(co2.value(i))) {
          changed++;
        } else {
          assertEquals(co2.value(i), filled.value(i), "observed values are never changed");
        }
      }
      assertEquals(59, changed);
    }
    // The first gap, 19580510, lies between 19580503 (316.9) and 19580517 (317.5).
    assertEquals("19580503", co2.time(5));
    assertEquals("19580517", co2.time(7));
    assertEquals((co2.value(5) + co2.value(7)) / 2, GapFilling.linear(co2).value(6), 1e-9);
    assertEquals(co2.value(5), GapFilling.forwardFill(co2).value(6));
  }
}
