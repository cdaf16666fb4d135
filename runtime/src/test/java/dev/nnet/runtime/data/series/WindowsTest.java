package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {

  final Series oneToTen = Series.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

  @Test
  void sizeThreeHorizonOneStrideTwo() {
    Dataset data = Windows.of(oneToTen, 3, 1, 2);
    assertEquals(4, data.size());
    assertEquals(3, data.featureWidth());
    assertEquals(1, data.targetWidth());
    assertArrayEquals(new float[] {1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9}, data.features());
    assertArrayEquals(new float[] {4, 6, 8, 10}, data.targets());
  }

  @Test
  void horizonIsHowFarAfterTheWindowTheTargetLies() {
    Dataset data = Windows.of(oneToTen, 3, 2, 1);
    assertEquals(6, data.size());
    assertArrayEquals(new float[] {1, 2, 3}, java.util.Arrays.copyOfRange(data.features(), 0, 3));
    assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10}, data.targets());
    assertEquals(4, Windows.targetPosition(0, 3, 2, 1));
    assertEquals("4", oneToTen.time(Windows.targetPosition(0, 3, 2, 1)));
  }

  @Test
  void strideSkipsStartsAndMayLeaveTheLastValuesUnused() {
    Dataset data = Windows.of(oneToTen, 4, 1, 3);
    assertEquals(2, data.size());
    assertArrayEquals(new float[] {1, 2, 3, 4, 4, 5, 6, 7}, data.features());
    assertArrayEquals(new float[] {5, 8}, data.targets(), "9 and 10 are in no sample");
  }

  @Test
  void countFormula() {
    assertEquals(4, Windows.count(10, 3, 1, 2));
    assertEquals(6, Windows.count(10, 3, 2, 1));
    assertEquals(1, Windows.count(4, 3, 1, 1));
    assertEquals(0, Windows.count(3, 3, 1, 1));
    assertEquals(7, Windows.count(10, 3, 1, 1));
    assertEquals(Windows.count(10, 3, 1, 1), Windows.of(oneToTen, 3, 1, 1).size());
  }

  @Test
  void sequencesTargetTheNextHorizonValues() {
    Dataset data = Windows.sequences(oneToTen, 3, 2, 3);
    assertEquals(2, data.size());
    assertEquals(Windows.count(10, 3, 2, 3), data.size());
    assertEquals(2, data.targetWidth());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, data.features());
    assertArrayEquals(new float[] {4, 5, 7, 8}, data.targets());
  }

  @Test
  void severalFeatureSeriesAreLaidOutStepsThenFeatures() {
    Series values = Series.of(1, 2, 3, 4, 5);
    Series tens = values.withValues("tens", new double[] {10, 20, 30, 40, 50});
    Dataset data = Windows.of(List.of(values, tens), values, 2, 1, 1);
    assertEquals(3, data.size());
    assertEquals(4, data.featureWidth(), "[steps 2, features 2]");
    assertArrayEquals(new float[] {1, 10, 2, 20, 2, 20, 3, 30, 3, 30, 4, 40}, data.features());
    assertArrayEquals(new float[] {3, 4, 5}, data.targets());
  }

  @Test
  void rollingFeaturesWindowedAfterDroppingTheirLeadingNaN() {
    Series values = Series.of(1, 2, 3, 4, 5, 6);
    int w = 2;
    Series mean = Rolling.mean(values, w).slice(w - 1, 6);
    Series variance = Rolling.variance(values, w).slice(w - 1, 6);
    Series target = values.slice(w - 1, 6);
    Dataset data = Windows.of(List.of(target, mean, variance), target, 2, 1, 1);
    assertEquals(3, data.size());
    assertArrayEquals(new float[] {2, 1.5f, 0.25f, 3, 2.5f, 0.25f},
        java.util.Arrays.copyOfRange(data.features(), 0, 6));
    assertArrayEquals(new float[] {4, 5, 6}, data.targets());
  }

  @Test
  void rejectsGapsShortSeriesMisalignedSeriesAndBadParameters() {
    String gap = assertThrows(IllegalArgumentException.class,
        () -> Windows.of(Series.of(1, Double.NaN, 3, 4), 2, 1, 1)).getMessage();
    assertTrue(gap.startsWith("building windows needs a series without gaps"), gap);
    assertEquals("value has 4 values, too few for one window of size 4 and horizon 1 (needs 5)",
        assertThrows(IllegalArgumentException.class,
            () -> Windows.of(Series.of(1, 2, 3, 4), 4, 1, 1)).getMessage());
    Series shifted = Series.of(1, 2, 3).slice(1, 3);
    Series other = Series.of(7, 8);
    String misaligned = assertThrows(IllegalArgumentException.class,
        () -> Windows.of(List.of(shifted), other, 1, 1, 1)).getMessage();
    assertEquals("feature series 0 (value) is not aligned with the target value: value 0 is at 1"
        + " in one and 0 in the other", misaligned);
    assertEquals("the window size must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class, () -> Windows.of(oneToTen, 0, 1, 1))
            .getMessage());
    assertEquals("the horizon must be >= 1 (1 = the next value), but got 0",
        assertThrows(IllegalArgumentException.class, () -> Windows.of(oneToTen, 2, 0, 1))
            .getMessage());
    assertEquals("the stride must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class, () -> Windows.of(oneToTen, 2, 1, 0))
            .getMessage());
  }
}
