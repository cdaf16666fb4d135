package dev.nnet.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClassificationMetricTest {
  /**
   * Ten samples of three classes, worked by hand. Actual → predicted:
   *
   * <pre>
   *   class 0 (4 samples): 0, 0, 0, 1
   *   class 1 (3 samples): 0, 1, 1
   *   class 2 (3 samples): 2, 2, 1
   * </pre>
   */
  private static final int[] ACTUAL = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
  private static final int[] PREDICTED = {0, 0, 0, 1, 0, 1, 1, 2, 2, 1};
  private static final int COUNT = ACTUAL.length;

  @Test
  void confusionMatrixWorkedByHand() {
    ConfusionMatrix matrix = ConfusionMatrix.of(probabilities(PREDICTED, 3), oneHot(ACTUAL, 3),
        COUNT, 3, 3);
    assertEquals(3, matrix.classes());
    assertEquals(10, matrix.total());
    assertArrayEquals(new int[][] {{3, 1, 0}, {1, 2, 0}, {0, 1, 2}}, matrix.counts());
    assertEquals(1, matrix.count(2, 1));
    assertEquals(4, matrix.support(0));
    assertEquals(4, matrix.predictions(1));
    // Column sums (predicted): 4, 4, 2. Row sums (actual): 4, 3, 3.
    assertEquals(3.0 / 4, matrix.precision(0), 1e-15);
    assertEquals(2.0 / 4, matrix.precision(1), 1e-15);
    assertEquals(2.0 / 2, matrix.precision(2), 1e-15);
    assertEquals(3.0 / 4, matrix.recall(0), 1e-15);
    assertEquals(2.0 / 3, matrix.recall(1), 1e-15);
    assertEquals(2.0 / 3, matrix.recall(2), 1e-15);
    // F1 = 2·TP / (2·TP + FP + FN): 6/8, 4/7, 4/5.
    assertEquals(0.75, matrix.f1(0), 1e-15);
    assertEquals(4.0 / 7, matrix.f1(1), 1e-15);
    assertEquals(0.8, matrix.f1(2), 1e-15);
    double macroF1 = (0.75 + 4.0 / 7 + 0.8) / 3; // 0.70714...
    assertEquals(macroF1, matrix.macroF1(), 1e-15);
    assertEquals((0.75 + 0.5 + 1.0) / 3, matrix.macroPrecision(), 1e-15);
    assertEquals((0.75 + 2.0 / 3 + 2.0 / 3) / 3, matrix.macroRecall(), 1e-15);
    assertEquals(0.7, matrix.accuracy(), 1e-15);
    // Not the F1 of the macro precision and recall (0.7222...).
    assertNotEquals(2 * 0.75 * matrix.macroRecall() / (0.75 + matrix.macroRecall()),
        matrix.macroF1(), 1e-3);

    // The metrics agree with the matrix, for one-hot targets and for class indices.
    float[] outputs = probabilities(PREDICTED, 3);
    for (float[] targets : new float[][] {oneHot(ACTUAL, 3), indices(ACTUAL)}) {
      int width = targets.length / COUNT;
      assertEquals(matrix, ConfusionMatrix.of(outputs, targets, COUNT, 3, width));
      assertEquals(0.7, Accuracy.INSTANCE.compute(outputs, targets, COUNT, 3, width), 1e-15);
      assertEquals(0.75, Precision.INSTANCE.compute(outputs, targets, COUNT, 3, width), 1e-15);
      assertEquals(matrix.macroRecall(),
          Recall.INSTANCE.compute(outputs, targets, COUNT, 3, width), 1e-15);
      assertEquals(macroF1, F1.INSTANCE.compute(outputs, targets, COUNT, 3, width), 1e-15);
    }
  }

  @Test
  void macroAveragesSkipClassesThatNeverOccur() {
    // The same samples with a fourth output that is never the target nor the argmax.
    ConfusionMatrix four = ConfusionMatrix.of(probabilities(PREDICTED, 4), oneHot(ACTUAL, 4),
        COUNT, 4, 4);
    assertEquals(0, four.f1(3));
    assertEquals((0.75 + 4.0 / 7 + 0.8) / 3, four.macroF1(), 1e-15);
    // A class that is predicted but never the target does count, with recall 0.
    ConfusionMatrix predictedOnly = new ConfusionMatrix(new int[][] {{1, 1}, {0, 0}});
    assertEquals(0, predictedOnly.recall(1));
    assertEquals(0, predictedOnly.precision(1));
    assertEquals((2.0 / 3 + 0) / 2, predictedOnly.macroF1(), 1e-15);
    ConfusionMatrix empty = new ConfusionMatrix(new int[][] {{0, 0}, {0, 0}});
    assertEquals(0, empty.accuracy());
    assertEquals(0, empty.macroF1());
    assertEquals(0, empty.macroPrecision());
  }

  @Test
  void toStringIsTheJavadocTable() {
    ConfusionMatrix matrix = new ConfusionMatrix(new int[][] {{3, 1, 0}, {1, 2, 0}, {0, 0, 3}});
    assertEquals(""
        + "actual \\ predicted     0     1     2 | precision  recall      f1  support\n"
        + "                 0     3     1     0 |    0.7500  0.7500  0.7500        4\n"
        + "                 1     1     2     0 |    0.6667  0.6667  0.6667        3\n"
        + "                 2     0     0     3 |    1.0000  1.0000  1.0000        3\n"
        + "     macro average                   |    0.8056  0.8056  0.8056       10\n"
        + "accuracy 0.8000 (8 of 10)", matrix.toString());
  }

  @Test
  void confusionMatrixChecksItsCounts() {
    int[][] counts = {{1, 2}, {3, 4}};
    ConfusionMatrix matrix = new ConfusionMatrix(counts);
    counts[0][0] = 100;
    assertEquals(1, matrix.count(0, 0)); // copied in
    matrix.counts()[0][0] = 100;
    assertEquals(1, matrix.count(0, 0)); // copied out
    assertEquals("counts must be square, but row 1 has 1 columns for 2 rows",
        assertThrows(IllegalArgumentException.class,
            () -> new ConfusionMatrix(new int[][] {{1, 2}, {3}})).getMessage());
    assertEquals("counts must be >= 0, but counts[0][1] is -1",
        assertThrows(IllegalArgumentException.class,
            () -> new ConfusionMatrix(new int[][] {{1, -1}, {0, 0}})).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(new int[0][]));
    assertThrows(IndexOutOfBoundsException.class, () -> matrix.precision(2));
  }

  @Test
  void binaryThresholdsAtOneHalf() {
    float[] outputs = {0.9f, 0.2f, 0.6f, 0.4f, 0.7f, 0.5f};
    float[] targets = {1, 0, 0, 1, 1, 0};
    // Predicted (> 0.5): 1 0 1 0 1 0. TP 2 (0, 4), FP 1 (2), FN 1 (3), TN 2 (1, 5; 0.5 is negative).
    assertEquals(4.0 / 6, Accuracy.INSTANCE.compute(outputs, targets, 6, 1, 1), 1e-15);
    assertEquals(2.0 / 3, Precision.INSTANCE.compute(outputs, targets, 6, 1, 1), 1e-15);
    assertEquals(2.0 / 3, Recall.INSTANCE.compute(outputs, targets, 6, 1, 1), 1e-15);
    assertEquals(2.0 / 3, F1.INSTANCE.compute(outputs, targets, 6, 1, 1), 1e-15);
    ConfusionMatrix matrix = ConfusionMatrix.of(outputs, targets, 6, 1, 1);
    assertArrayEquals(new int[][] {{2, 1}, {1, 2}}, matrix.counts());

    // Recall 1/3, precision 1/1: F1 is their harmonic mean, 0.5.
    float[] cautious = {0.9f, 0.1f, 0.1f, 0.1f};
    float[] truth = {1, 1, 1, 0};
    assertEquals(1.0, Precision.INSTANCE.compute(cautious, truth, 4, 1, 1), 1e-15);
    assertEquals(1.0 / 3, Recall.INSTANCE.compute(cautious, truth, 4, 1, 1), 1e-15);
    assertEquals(0.5, F1.INSTANCE.compute(cautious, truth, 4, 1, 1), 1e-15);
  }

  @Test
  void degenerateBinaryCasesAreZeroNotNaN() {
    float[] allNegative = {0.1f, 0.2f, 0.3f};
    float[] someTrue = {1, 0, 1};
    // Nothing predicted positive: precision 0 (not 0/0), recall 0, F1 0.
    assertEquals(0, Precision.INSTANCE.compute(allNegative, someTrue, 3, 1, 1));
    assertEquals(0, Recall.INSTANCE.compute(allNegative, someTrue, 3, 1, 1));
    assertEquals(0, F1.INSTANCE.compute(allNegative, someTrue, 3, 1, 1));
    // No positive targets and none predicted: everything right, yet recall and F1 are 0.
    float[] noneTrue = {0, 0, 0};
    assertEquals(1, Accuracy.INSTANCE.compute(allNegative, noneTrue, 3, 1, 1));
    assertEquals(0, Recall.INSTANCE.compute(allNegative, noneTrue, 3, 1, 1));
    assertEquals(0, F1.INSTANCE.compute(allNegative, noneTrue, 3, 1, 1));
  }

  @Test
  void topKCountsTiesAsHits() {
    float[] outputs = {
      0.1f, 0.5f, 0.3f, 0.1f, // target 2: one larger output        → top 2, not top 1
      0.4f, 0.3f, 0.2f, 0.1f, // target 3: three larger             → miss
      0.25f, 0.25f, 0.25f, 0.25f, // target 3: all tied, none larger → hit even for k = 1
      0.1f, 0.2f, 0.3f, 0.4f, // target 1: two larger               → miss for k = 2
    };
    float[] targets = {2, 3, 3, 1};
    assertEquals(0.25, new TopKAccuracy(1).compute(outputs, targets, 4, 4, 1), 1e-15);
    assertEquals(0.5, new TopKAccuracy(2).compute(outputs, targets, 4, 4, 1), 1e-15);
    assertEquals(0.75, new TopKAccuracy(3).compute(outputs, targets, 4, 4, 1), 1e-15);
    assertEquals(1.0, new TopKAccuracy(4).compute(outputs, targets, 4, 4, 1), 1e-15);
    assertEquals(1.0, new TopKAccuracy(5).compute(outputs, targets, 4, 4, 1), 1e-15);
    assertEquals(0.5, new TopKAccuracy(2).compute(outputs, oneHot(new int[] {2, 3, 3, 1}, 4), 4,
        4, 4), 1e-15);
    // Accuracy takes the first of tied maxima: sample 2 predicts class 0.
    assertEquals(0, Accuracy.INSTANCE.compute(outputs, targets, 4, 4, 1));
    float[] nan = {Float.NaN, 0.5f};
    assertEquals(0, new TopKAccuracy(2).compute(nan, new float[] {0}, 1, 2, 1));

    assertEquals("k must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class, () -> new TopKAccuracy(0)).getMessage());
    assertEquals("top_k_accuracy needs at least 2 outputs (classes), but got outputWidth 1",
        assertThrows(IllegalArgumentException.class,
            () -> new TopKAccuracy(1).compute(new float[1], new float[1], 1, 1, 1))
            .getMessage());
    assertEquals("top_k_accuracy(k: 3)", new TopKAccuracy(3).toString());
    assertEquals(new TopKAccuracy(3), new TopKAccuracy(3));
    assertEquals(new TopKAccuracy(3).hashCode(), new TopKAccuracy(3).hashCode());
    assertNotEquals(new TopKAccuracy(3), new TopKAccuracy(4));
  }

  @Test
  void argumentsAreChecked() {
    float[] outputs = new float[6];
    assertEquals("accuracy needs targetWidth 3 (one-hot, as wide as the outputs) or 1 (class"
        + " indices), but got 2", assertThrows(IllegalArgumentException.class,
            () -> Accuracy.INSTANCE.compute(outputs, new float[4], 2, 3, 2)).getMessage());
    assertEquals("the target of sample 1 must be a class index from 0 to 2, but got 1.5",
        assertThrows(IllegalArgumentException.class,
            () -> Accuracy.INSTANCE.compute(outputs, new float[] {0, 1.5f}, 2, 3, 1))
            .getMessage());
    assertEquals("the target of sample 0 must be a class index from 0 to 2, but got 3.0",
        assertThrows(IllegalArgumentException.class,
            () -> F1.INSTANCE.compute(outputs, new float[] {3, 0}, 2, 3, 1)).getMessage());
    assertEquals("outputs must hold 3 × 3 values, but has length 6",
        assertThrows(IllegalArgumentException.class,
            () -> Accuracy.INSTANCE.compute(outputs, new float[3], 3, 3, 1)).getMessage());
    assertEquals("count must be >= 1, but got 0",
        assertThrows(IllegalArgumentException.class,
            () -> Precision.INSTANCE.compute(outputs, new float[3], 0, 3, 1)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Recall.INSTANCE.compute(outputs, new float[3], 2, 0, 1));
  }

  /** Rows whose argmax is the predicted class: 0.6 there, 0.1 elsewhere. */
  static float[] probabilities(int[] predicted, int width) {
    float[] rows = new float[predicted.length * width];
    for (int n = 0; n < predicted.length; n++) {
      for (int j = 0; j < width; j++) {
        rows[n * width + j] = j == predicted[n] ? 0.6f : 0.1f;
      }
    }
    return rows;
  }

  static float[] oneHot(int[] classes, int width) {
    float[] rows = new float[classes.length * width];
    for (int n = 0; n < classes.length; n++) {
      rows[n * width + classes[n]] = 1;
    }
    return rows;
  }

  static float[] indices(int[] classes) {
    float[] rows = new float[classes.length];
    for (int n = 0; n < classes.length; n++) {
      rows[n] = classes[n];
    }
    return rows;
  }
}
