package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DifferencingTest {

  final Series squares = Series.of(1, 4, 9, 16, 25);

  @Test
  void differencesOfOrderOneAndTwoKeepTheTimesOfTheirLaterValue() {
    Series first = Differencing.apply(squares, 1);
    assertArrayEquals(new double[] {3, 5, 7, 9}, first.values());
    assertEquals(List.of("1", "2", "3", "4"), first.times());
    Series second = Differencing.apply(squares, 2);
    assertArrayEquals(new double[] {2, 2, 2}, second.values());
    assertEquals(List.of("2", "3", "4"), second.times());
  }

  @Test
  void invertingWithTheFirstValuesGivesTheSeriesBack() {
    for (int order = 1; order <= 3; order++) {
      Series differences = Differencing.apply(squares, order);
      Series back = Differencing.invert(differences, squares.slice(0, order), order);
      assertEquals(squares.slice(order, squares.size()), back, "order " + order);
    }
  }

  @Test
  void roundTripOnTheRealCo2Series() throws IOException {
    Series co2 = GapFilling.linear(SeriesCsv.read(SeriesCsvTest.DATA.resolve("co2.csv")));
    for (int order = 1; order <= 2; order++) {
      Series back = Differencing.invert(
          Differencing.apply(co2, order), co2.slice(0, order), order);
      assertEquals(co2.size() - order, back.size());
      assertEquals(co2.slice(order, co2.size()).times(), back.times());
      assertArrayEquals(co2.slice(order, co2.size()).values(), back.values(), 1e-9);
    }
  }

  @Test
  void forecastDifferencesBecomeValuesFromTheLastObservedOnes() {
    // x = 1, 4, 9, 16, 25 observed; the next second differences are 2, 2: values 36, 49.
    double[] values = Differencing.invert(new double[] {2, 2}, squares.values(), 2);
    assertArrayEquals(new double[] {36, 49}, values, 1e-12);
    double[] next = Differencing.invert(new double[] {11, 13}, new double[] {25}, 1);
    assertArrayEquals(new double[] {36, 49}, next, 1e-12);
  }

  @Test
  void rejectsGapsShortSeriesAndBadOrders() {
    String gap = assertThrows(IllegalArgumentException.class,
        () -> Differencing.apply(Series.of(1, Double.NaN, 3), 1)).getMessage();
    assertTrue(gap.startsWith("differencing needs a series without gaps, but value 1 of value"
        + " (index 1) is missing"), gap);
    assertEquals("differencing of order 2 needs more than 2 values, but value has 2",
        assertThrows(IllegalArgumentException.class,
            () -> Differencing.apply(Series.of(1, 2), 2)).getMessage());
    assertEquals("the differencing order must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class,
            () -> Differencing.apply(squares, 0)).getMessage());
    assertEquals("inverting differences of order 2 needs the 2 values before them, but the"
            + " history has 1",
        assertThrows(IllegalArgumentException.class,
            () -> Differencing.invert(new double[] {1}, new double[] {1}, 2)).getMessage());
  }
}
