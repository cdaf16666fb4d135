package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class SeriesScalerTest {

  @Test
  void minMaxIsFitOnTheTrainingPartOnlyAndOtherPartsMayLeaveZeroToOne() {
    Series series = Series.of(2, 4, 6, 8, 0);
    ChronologicalSplit split = ChronologicalSplit.of(5, 0.6, 0.2);
    SeriesScaler scaler = SeriesScaler.fit(split.train(series));
    assertEquals(SeriesScaler.fitMinMax(split.train(series)).offset(), scaler.offset());
    assertEquals(2, scaler.offset());
    assertEquals(4, scaler.scale());
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, -0.5}, scaler.apply(series).values(), 1e-12);
    assertArrayEquals(new double[] {1.5}, scaler.apply(split.validation(series)).values(), 1e-12);
    assertArrayEquals(series.values(), scaler.invert(scaler.apply(series)).values(), 1e-12);
  }

  @Test
  void standardUsesTheTrainingMeanAndPopulationStandardDeviation() {
    SeriesScaler scaler = SeriesScaler.fitStandard(Series.of(1, 3, 5));
    assertEquals(3, scaler.offset(), 1e-12);
    assertEquals(Math.sqrt(8.0 / 3), scaler.scale(), 1e-12);
    assertEquals(0, scaler.apply(3), 1e-12);
    assertEquals(7, scaler.invert(scaler.apply(7)), 1e-12);
    assertArrayEquals(new double[] {3, 3 + scaler.scale()},
        scaler.invert(new float[] {0f, 1f}), 1e-6);
  }

  @Test
  void aConstantTrainingPartIsOnlyShiftedAndMissingValuesStayMissing() {
    SeriesScaler scaler = SeriesScaler.fitMinMax(Series.of(5, 5));
    assertEquals(1, scaler.scale());
    assertArrayEquals(new double[] {0, 1, Double.NaN},
        scaler.apply(Series.of(5, 6, Double.NaN)).values());
    assertEquals(1, SeriesScaler.fitStandard(Series.of(5, 5)).scale());
  }

  @Test
  void onCo2TheLaterPartsRiseAboveOne() throws IOException {
    Series co2 = GapFilling.linear(SeriesCsv.read(SeriesCsvTest.DATA.resolve("co2.csv")));
    ChronologicalSplit split = ChronologicalSplit.of(co2.size(), 0.7, 0.15);
    SeriesScaler scaler = SeriesScaler.fitMinMax(split.train(co2));
    Series train = scaler.apply(split.train(co2));
    Series test = scaler.apply(split.test(co2));
    for (double v : train.values()) {
      assertTrue(v >= 0 && v <= 1);
    }
    assertTrue(test.value(test.size() - 1) > 1, "a rising series leaves [0, 1] after training");
  }

  @Test
  void rejectsEmptyOrGappyTrainingPartsAndBadGivenScales() {
    assertEquals("cannot fit a scaler on an empty series",
        assertThrows(IllegalArgumentException.class,
            () -> SeriesScaler.fitMinMax(Series.of())).getMessage());
    String message = assertThrows(IllegalArgumentException.class,
        () -> SeriesScaler.fitStandard(Series.of(1, Double.NaN))).getMessage();
    assertTrue(message.startsWith("fitting a scaler needs a series without gaps"), message);
    assertThrows(IllegalArgumentException.class, () -> SeriesScaler.of(0, 0));
    assertEquals(2.5, SeriesScaler.of(1, 2).invert(0.75), 1e-12);
  }
}
