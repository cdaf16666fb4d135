package dev.nnet.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionMetricTest {
  // Two samples of width 2. Differences y − t: 1, 0, −2, 1.
  private static final float[] OUTPUTS = {1, 2, 3, 4};
  private static final float[] TARGETS = {0, 2, 5, 3};

  @Test
  void meanAbsoluteAndRootMeanSquaredError() {
    assertEquals(1.0, MeanAbsoluteError.INSTANCE.compute(OUTPUTS, TARGETS, 2, 2, 2), 1e-15);
    assertEquals(Math.sqrt(6.0 / 4),
        RootMeanSquaredError.INSTANCE.compute(OUTPUTS, TARGETS, 2, 2, 2), 1e-15);
    assertEquals(0, MeanAbsoluteError.INSTANCE.compute(OUTPUTS, OUTPUTS, 2, 2, 2));
  }

  @Test
  void rSquaredAveragesColumns() {
    // Column 0: t = (0, 5), mean 2.5, total 12.5; y = (1, 3), residual 1 + 4 = 5 → 1 − 5/12.5 = 0.6.
    // Column 1: t = (2, 3), mean 2.5, total 0.5; y = (2, 4), residual 0 + 1 = 1 → 1 − 2 = −1.
    assertEquals((0.6 - 1) / 2, RSquared.INSTANCE.compute(OUTPUTS, TARGETS, 2, 2, 2), 1e-12);
    assertEquals(1.0, RSquared.INSTANCE.compute(TARGETS, TARGETS, 2, 2, 2));
    // Predicting each column's mean scores 0.
    float[] means = {2.5f, 2.5f, 2.5f, 2.5f};
    assertEquals(0.0, RSquared.INSTANCE.compute(means, TARGETS, 2, 2, 2), 1e-12);
  }

  @Test
  void rSquaredOfConstantTargetsIsOneOrZero() {
    float[] constant = {0.1f, 0.1f, 0.1f};
    assertEquals(1.0, RSquared.INSTANCE.compute(constant, constant, 3, 1, 1));
    assertEquals(0.0, RSquared.INSTANCE.compute(new float[] {0.1f, 0.1f, 0.2f}, constant, 3, 1, 1));
    // A single sample has no variance either.
    assertEquals(1.0, RSquared.INSTANCE.compute(new float[] {7}, new float[] {7}, 1, 1, 1));
    assertEquals(0.0, RSquared.INSTANCE.compute(new float[] {6}, new float[] {7}, 1, 1, 1));
    assertEquals(Double.NaN,
        RSquared.INSTANCE.compute(new float[] {Float.NaN, 1}, new float[] {1, 2}, 2, 1, 1));
  }

  @Test
  void regressionNeedsEqualWidths() {
    assertEquals("mae needs targets as wide as the outputs (2), but got targetWidth 1",
        assertThrows(IllegalArgumentException.class,
            () -> MeanAbsoluteError.INSTANCE.compute(OUTPUTS, TARGETS, 2, 2, 1)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RSquared.INSTANCE.compute(OUTPUTS, TARGETS, 3, 2, 2));
  }

  @Test
  void lookupByName() {
    assertEquals(List.of("accuracy", "auc", "f1", "mae", "precision", "r2", "recall", "rmse",
        "top_k_accuracy"), Metrics.names());
    for (String name : Metrics.names()) {
      assertEquals(name, Metrics.byName(name).name());
    }
    assertSame(Accuracy.INSTANCE, Metrics.byName("accuracy"));
    assertSame(RSquared.INSTANCE, Metrics.byName("r2"));
    assertEquals(new TopKAccuracy(5), Metrics.byName("top_k_accuracy"));
    assertEquals("unknown metric 'mse'; known metrics are " + Metrics.names(),
        assertThrows(IllegalArgumentException.class, () -> Metrics.byName("mse")).getMessage());
  }
}
