package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTest {

  @Test
  void holdsTimesValuesAndMissingValues() {
    Series series = Series.of("year", "sunspots", List.of("1700", "1701", "1702"),
        new double[] {5, Double.NaN, 16});
    assertEquals(3, series.size());
    assertEquals(1, series.missingCount());
    assertEquals(1, series.firstMissing());
    assertEquals("1701", series.time(1));
    assertArrayEquals(new float[] {5, Float.NaN, 16}, series.toFloats());
    assertEquals("Series(sunspots, 3 values, year 1700 to 1702, 1 missing)", series.toString());
    assertEquals(series, Series.of("year", "sunspots", List.of("1700", "1701", "1702"),
        new double[] {5, Double.NaN, 16}), "NaN equals NaN for series equality");
  }

  @Test
  void isImmutable() {
    double[] values = {1, 2};
    Series series = Series.of(values);
    values[0] = 9;
    series.values()[1] = 9;
    assertArrayEquals(new double[] {1, 2}, series.values());
  }

  @Test
  void rejectsInfiniteValuesMismatchedCountsAndBadSlices() {
    assertEquals("value 1 (index 1) is infinite: Infinity",
        assertThrows(IllegalArgumentException.class,
            () -> Series.of(1, Double.POSITIVE_INFINITY)).getMessage());
    assertEquals("2 times but 1 values", assertThrows(IllegalArgumentException.class,
        () -> Series.of("t", "v", List.of("a", "b"), new double[] {1})).getMessage());
    assertEquals("the series has 2 values, but 3 new values were given",
        assertThrows(IllegalArgumentException.class,
            () -> Series.of(1, 2).withValues(new double[] {1, 2, 3})).getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> Series.of(1, 2).slice(1, 3));
  }
}
