package dev.nnet.prep.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each transform against hand-computed values; fitted on training rows, then applied unchanged. */
class TransformsTest {
  // Two columns, four training rows.
  private static final float[] TRAIN = {1, 10, 2, 20, 3, 30, 10, 40};
  private static final float[] TEST = {4, 100};

  @Test
  void standardScalerUsesTheTrainingMeanAndDeviation() {
    StandardScaler scaler = StandardScaler.fit(TRAIN, 2);
    // Column 0: mean 4, population variance (9 + 4 + 1 + 36) / 4 = 12.5; column 1: mean 25, variance 125.
    assertArrayEquals(new double[] {4, 25}, scaler.means(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(12.5), Math.sqrt(125)}, scaler.scales(), 1e-12);
    assertArrayEquals(new float[] {0, (float) (75 / Math.sqrt(125))}, scaler.apply(TEST, 2), 1e-6f,
        "test rows use the training statistics");
    assertThrows(IllegalArgumentException.class, () -> StandardScaler.fit(new float[] {1, Float.NaN}, 1));
  }

  @Test
  void minMaxScalerMapsTheTrainingRangeOntoTheTarget() {
    MinMaxScaler unit = MinMaxScaler.fit(TRAIN, 2);
    assertArrayEquals(new float[] {0, 0, 1f / 9, 1f / 3}, Arrays.copyOf(unit.apply(TRAIN, 2), 4), 1e-6f);
    assertArrayEquals(new float[] {1f / 3, 3}, unit.apply(TEST, 2), 1e-6f, "outside the training range: not clipped");
    MinMaxScaler symmetric = MinMaxScaler.fit(TRAIN, 2, -1, 1);
    assertArrayEquals(new float[] {-1, -1}, Arrays.copyOf(symmetric.apply(TRAIN, 2), 2), 1e-6f);
    assertArrayEquals(new float[] {-1f / 3, 5}, symmetric.apply(TEST, 2), 1e-6f);
  }

  @Test
  void robustScalerCentresOnTheMedianAndDividesByTheIqr() {
    RobustScaler scaler = RobustScaler.fit(TRAIN, 2);
    // Column 0 sorted 1, 2, 3, 10: median 2.5, Q1 = 1.75, Q3 = 4.75 (linear), IQR 3.
    assertArrayEquals(new double[] {2.5, 25}, scaler.medians(), 1e-12);
    assertArrayEquals(new double[] {3, 15}, scaler.interquartileRanges(), 1e-12);
    assertArrayEquals(new float[] {0.5f, 5}, scaler.apply(TEST, 2), 1e-6f);
  }

  @Test
  void imputerFillsWithTrainingStatistics() {
    float[] train = {1, Float.NaN, 2, 5, 2, 5, Float.NaN, 7};
    float[] test = {Float.NaN, Float.NaN};
    assertArrayEquals(new float[] {5f / 3, 17f / 3}, Imputer.fit(train, 2, Imputer.Strategy.MEAN).apply(test, 2), 1e-6f);
    assertArrayEquals(new float[] {2, 5}, Imputer.fit(train, 2, Imputer.Strategy.MEDIAN).apply(test, 2), 0f);
    assertArrayEquals(new float[] {2, 5}, Imputer.fit(train, 2, Imputer.Strategy.MOST_FREQUENT).apply(test, 2), 0f);
    assertArrayEquals(new float[] {-1, 3}, Imputer.constant(2, -1).apply(new float[] {Float.NaN, 3}, 2), 0f);
    assertArrayEquals(new int[] {1, 2}, Imputer.completeRows(train, 2), "rows without a missing value");
    assertEquals("b", Imputer.mostFrequent(new String[] {"b", null, "a", "b"}));
    assertArrayEquals(new String[] {"a", "z"}, Imputer.fillCategories(new String[] {"a", null}, "z"));
  }

  @Test
  void oneHotAndOrdinalEncoding() {
    OneHotEncoder oneHot = OneHotEncoder.fit(new String[] {"red", "blue", "red"});
    assertEquals(List.of("blue", "red"), oneHot.categories());
    assertArrayEquals(new float[] {0, 1, 1, 0}, oneHot.apply(new String[] {"red", "blue"}));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> oneHot.apply(new String[] {"green"}));
    assertEquals("row 0: category 'green' was not seen in training; the categories are [blue, red]", unknown.getMessage());
    assertArrayEquals(new float[] {0, 0}, oneHot.ignoringUnknown().apply(new String[] {"green"}));

    OrdinalEncoder sizes = OrdinalEncoder.of(List.of("small", "medium", "large"));
    assertArrayEquals(new float[] {2, 0, 1}, sizes.apply(new String[] {"large", "small", "medium"}));
    assertArrayEquals(new int[] {1, 0}, OrdinalEncoder.fit(new String[] {"b", "a"}).indices(new String[] {"b", "a"}));
    assertThrows(IllegalArgumentException.class, () -> sizes.apply(new String[] {null}));
  }

  @Test
  void stratifiedSplitKeepsClassSharesIsSeededAndCoversEveryRowOnce() {
    int[] labels = IntStream.range(0, 100).map(i -> i < 80 ? 0 : 1).toArray();
    StratifiedSplit split = StratifiedSplit.of(labels, 0.1, 0.2, 42);
    assertEquals(70, split.train().length);
    assertEquals(10, split.validation().length);
    assertEquals(20, split.test().length);
    assertEquals(4, Arrays.stream(split.test()).filter(r -> labels[r] == 1).count(), "20 % of the 20 class-1 rows");
    assertEquals(2, Arrays.stream(split.validation()).filter(r -> labels[r] == 1).count());
    int[] all = IntStream.concat(IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.validation())),
        Arrays.stream(split.test())).sorted().toArray();
    assertArrayEquals(IntStream.range(0, 100).toArray(), all);
    StratifiedSplit again = StratifiedSplit.of(labels, 0.1, 0.2, 42);
    assertArrayEquals(split.test(), again.test(), "the same seed gives the same split");
    assertTrue(!Arrays.equals(split.test(), StratifiedSplit.of(labels, 0.1, 0.2, 43).test()), "another seed another");
    assertArrayEquals(new float[] {5, 6, 1, 2}, StratifiedSplit.rows(new float[] {1, 2, 3, 4, 5, 6}, 2, new int[] {2, 0}));
  }
}
