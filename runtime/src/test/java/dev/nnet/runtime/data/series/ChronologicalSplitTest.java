package dev.nnet.runtime.data.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.series.ChronologicalSplit.Part;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChronologicalSplitTest {

  @Test
  void boundariesAreRoundedShares() {
    ChronologicalSplit split = ChronologicalSplit.of(10, 0.7, 0.2);
    assertEquals(7, split.trainEnd());
    assertEquals(9, split.validationEnd());
    assertEquals(7, split.size(Part.TRAIN));
    assertEquals(2, split.size(Part.VALIDATION));
    assertEquals(1, split.size(Part.TEST));
    assertEquals("ChronologicalSplit(train [0, 7), validation [7, 9), test [9, 10))",
        split.toString());
    ChronologicalSplit co2 = ChronologicalSplit.of(2284, 0.7, 0.15);
    assertEquals(1599, co2.trainEnd());
    assertEquals(1942, co2.validationEnd());
    ChronologicalSplit noTest = ChronologicalSplit.of(10, 0.8, 0.2);
    assertEquals(0, noTest.size(Part.TEST));
  }

  @Test
  void partsAreConsecutiveSlicesInTimeOrder() {
    Series series = Series.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    ChronologicalSplit split = ChronologicalSplit.of(10, 0.7, 0.2);
    assertEquals(series.slice(0, 7), split.train(series));
    assertEquals(series.slice(7, 9), split.validation(series));
    assertEquals(series.slice(9, 10), split.test(series));
  }

  /**
   * Each value is its own position, so a sample's floats say exactly which positions it read:
   * every one of them, features and target, must lie inside the sample's part.
   */
  @Test
  void noSampleStraddlesABoundary() {
    int n = 200;
    double[] positions = new double[n];
    for (int i = 0; i < n; i++) {
      positions[i] = i;
    }
    Series series = Series.of(positions);
    ChronologicalSplit split = ChronologicalSplit.of(n, 0.6, 0.25);
    for (int stride = 1; stride <= 3; stride++) {
      for (Part part : Part.values()) {
        Dataset data = split.windows(part, series, 10, 3, stride);
        int from = split.from(part);
        int to = split.to(part);
        assertEquals(Windows.count(to - from, 10, 3, stride), data.size());
        for (float position : data.features()) {
          assertTrue(position >= from && position < to, part + " input " + position);
        }
        for (float position : data.targets()) {
          assertTrue(position >= from && position < to, part + " target " + position);
        }
        // The first target of the part is size + horizon - 1 positions into it.
        assertEquals(from + 12, data.targets()[0]);
      }
    }
    Dataset train = split.windows(Part.TRAIN, series, 10, 3, 1);
    assertEquals(split.trainEnd() - 1, train.targets()[train.size() - 1],
        "the last training target is the last training position");
  }

  @Test
  void severalFeatureSeriesAreCutPerPartToo() {
    Series values = Series.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    Series doubled = values.withValues("doubled", new double[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18});
    ChronologicalSplit split = ChronologicalSplit.of(10, 0.5, 0.3);
    Dataset validation = split.windows(Part.VALIDATION, List.of(values, doubled), values, 2, 1, 1);
    assertEquals(1, validation.size());
    assertEquals(List.of(5f, 10f, 6f, 12f),
        List.of(validation.features()[0], validation.features()[1], validation.features()[2],
            validation.features()[3]));
    assertEquals(7f, validation.targets()[0]);
  }

  @Test
  void onTheRealCo2Series() throws IOException {
    Series co2 = GapFilling.linear(SeriesCsv.read(SeriesCsvTest.DATA.resolve("co2.csv")));
    ChronologicalSplit split = ChronologicalSplit.of(co2.size(), 0.7, 0.15);
    SeriesScaler scaler = SeriesScaler.fitMinMax(split.train(co2));
    Series scaled = scaler.apply(co2);
    Dataset train = split.windows(Part.TRAIN, scaled, 52, 1, 1);
    Dataset validation = split.windows(Part.VALIDATION, scaled, 52, 1, 1);
    Dataset test = split.windows(Part.TEST, scaled, 52, 1, 1);
    assertEquals(1599 - 52, train.size());
    assertEquals(343 - 52, validation.size());
    assertEquals(342 - 52, test.size());
  }

  @Test
  void rejectsBadFractionsMismatchedSeriesAndTooShortParts() {
    assertEquals("the training fraction must be in (0, 1], but got 0.0",
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(10, 0, 0.1))
            .getMessage());
    assertEquals("the validation fraction must be in [0, 1), but got -0.1",
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(10, 0.5, -0.1))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(10, 0.8, 0.3));
    assertEquals("a training fraction of 0.01 of 10 positions leaves no training part",
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.of(10, 0.01, 0.1))
            .getMessage());
    ChronologicalSplit split = ChronologicalSplit.of(10, 0.7, 0.2);
    assertEquals("the split is of 10 positions, but value has 3 values",
        assertThrows(IllegalArgumentException.class, () -> split.train(Series.of(1, 2, 3)))
            .getMessage());
    Series series = Series.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertEquals("the validation part has 2 values [7, 9), too few for one window of size 2 and"
            + " horizon 1 (needs 3)",
        assertThrows(IllegalArgumentException.class,
            () -> split.windows(Part.VALIDATION, series, 2, 1, 1)).getMessage());
  }
}
