package dev.nnet.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AucTest {

  @Test
  void smallRankedExampleWithTies() {
    // Positives 0.8, 0.6, 0.4; negatives 0.6, 0.3, 0.1, 0.4. Sorted, with midranks:
    //   0.1n(1) 0.3n(2) 0.4p 0.4n (3.5, 3.5) 0.6p 0.6n (5.5, 5.5) 0.8p(7)
    // R₊ = 3.5 + 5.5 + 7 = 16, U = 16 − 3·4/2 = 10, AUC = 10 / (3·4).
    float[] scores = {0.6f, 0.8f, 0.3f, 0.4f, 0.1f, 0.6f, 0.4f};
    float[] labels = {0, 1, 0, 1, 0, 1, 0};
    assertEquals(10.0 / 12, Auc.INSTANCE.compute(scores, labels, 7, 1, 1), 1e-15);
  }

  @Test
  void twoOutputsScoreByTheSecond() {
    // The same example as softmax rows [1 − s, s], with class-index and one-hot targets.
    float[] scores = {0.6f, 0.8f, 0.3f, 0.4f, 0.1f, 0.6f, 0.4f};
    int[] classes = {0, 1, 0, 1, 0, 1, 0};
    float[] rows = new float[14];
    for (int n = 0; n < 7; n++) {
      rows[2 * n] = 1 - scores[n];
      rows[2 * n + 1] = scores[n];
    }
    assertEquals(10.0 / 12, Auc.INSTANCE.compute(rows, ClassificationMetricTest.indices(classes),
        7, 2, 1), 1e-15);
    assertEquals(10.0 / 12, Auc.INSTANCE.compute(rows,
        ClassificationMetricTest.oneHot(classes, 2), 7, 2, 2), 1e-15);
  }

  @Test
  void extremesAndDegenerateCases() {
    float[] labels = {1, 0, 1, 0};
    assertEquals(1.0, Auc.INSTANCE.compute(new float[] {0.9f, 0.1f, 0.8f, 0.2f}, labels, 4, 1, 1));
    assertEquals(0.0, Auc.INSTANCE.compute(new float[] {0.1f, 0.9f, 0.2f, 0.8f}, labels, 4, 1, 1));
    // All scores tied: every pair counts one half.
    assertEquals(0.5, Auc.INSTANCE.compute(new float[] {0.3f, 0.3f, 0.3f, 0.3f}, labels, 4, 1, 1));
    // -0.0 and 0.0 are the same score.
    assertEquals(0.5, Auc.INSTANCE.compute(new float[] {-0f, 0f}, new float[] {1, 0}, 2, 1, 1));
    // One class only: nothing to rank, 0.5 by definition.
    assertEquals(Auc.ONE_CLASS,
        Auc.INSTANCE.compute(new float[] {0.9f, 0.1f}, new float[] {1, 1}, 2, 1, 1));
    assertEquals(Auc.ONE_CLASS,
        Auc.INSTANCE.compute(new float[] {0.9f, 0.1f}, new float[] {0, 0}, 2, 1, 1));
    assertEquals(Double.NaN,
        Auc.INSTANCE.compute(new float[] {Float.NaN, 0.1f}, new float[] {1, 0}, 2, 1, 1));
    assertEquals("auc is binary: it needs 1 output (the score) or 2 (scored by the second), but got"
        + " outputWidth 3", assertThrows(IllegalArgumentException.class,
            () -> Auc.INSTANCE.compute(new float[3], new float[1], 1, 3, 1)).getMessage());
  }

  @Test
  void matchesPairCountingOnRandomTiedScores() {
    SplittableRandom random = new SplittableRandom(17);
    int count = 500;
    float[] scores = new float[count];
    float[] labels = new float[count];
    for (int n = 0; n < count; n++) {
      labels[n] = random.nextDouble() < 0.3 ? 1 : 0;
      // Scores on a coarse grid (many ties), higher for positives on average.
      scores[n] = Math.round((random.nextDouble() + 0.3 * labels[n]) * 10) / 10f;
    }
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < count; j++) {
        if (labels[i] == 1 && labels[j] == 0) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }
    assertEquals(wins / pairs, Auc.INSTANCE.compute(scores, labels, count, 1, 1), 1e-12);
  }
}
