package dev.nnet.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossTest {
  private static final int COUNT = 3;
  private static final int WIDTH = 4;
  private static final int OFFSET = 5;

  @Test
  void meanSquaredErrorValueIsKerasMeanOfMeans() {
    // Two samples of width 2: sample means (1 + 4)/2 = 2.5 and (0 + 9)/2 = 4.5, mean 3.5.
    float[] outputs = {1, 2, 3, 4};
    float[] targets = {0, 0, 3, 1};
    assertEquals(3.5f, MeanSquaredError.INSTANCE.value(outputs, targets, 0, 2, 2), 1e-6f);
    float[] gradient = new float[4];
    MeanSquaredError.INSTANCE.valueAndGradient(outputs, targets, 0, gradient, 2, 2);
    // 2·(y − t)/(N·W) = (y − t)/2
    assertEquals(0.5f, gradient[0], 1e-7f);
    assertEquals(1.5f, gradient[3], 1e-7f);
  }

  @Test
  void meanSquaredErrorGradientMatchesFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(1);
    double[] outputs = randoms(random, COUNT * WIDTH, -2, 2);
    double[] targets = withOffset(randoms(random, COUNT * WIDTH, -2, 2));
    checkGradient(MeanSquaredError.INSTANCE, outputs, targets);
  }

  @Test
  void crossEntropyGradientMatchesFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(2);
    double[] outputs = randoms(random, COUNT * WIDTH, 0.05, 0.95);
    double[] targets = withOffset(distributions(random, COUNT, WIDTH));
    checkGradient(CategoricalCrossEntropy.INSTANCE, outputs, targets);
  }

  @Test
  void crossEntropyClipsLikeKeras() {
    float[] outputs = {0f, 1f};
    float[] targets = {1f, 0f};
    // −log(1e-7) for the zero probability of the true class: finite, not infinite.
    assertEquals(-Math.log(1e-7), CategoricalCrossEntropy.INSTANCE.value(outputs, targets, 0, 1, 2),
        1e-4);
    float[] gradient = new float[2];
    CategoricalCrossEntropy.INSTANCE.valueAndGradient(outputs, targets, 0, gradient, 1, 2);
    assertEquals(0f, gradient[0]); // the clip is flat below ε
    assertEquals(0f, gradient[1]);
    // One-hot: L = −log(p of the true class), averaged.
    float[] probabilities = {0.25f, 0.75f, 0.5f, 0.5f};
    float[] oneHot = {0, 1, 1, 0};
    assertEquals((-Math.log(0.75) - Math.log(0.5)) / 2,
        CategoricalCrossEntropy.INSTANCE.value(probabilities, oneHot, 0, 2, 2), 1e-6);
  }

  @Test
  void floatAndDoubleOverloadsAgree() {
    SplittableRandom random = new SplittableRandom(3);
    double[] outputs = randoms(random, COUNT * WIDTH, 0.05, 0.95);
    double[] targets = withOffset(distributions(random, COUNT, WIDTH));
    for (Loss loss : new Loss[] {MeanSquaredError.INSTANCE, CategoricalCrossEntropy.INSTANCE}) {
      double[] gradient = new double[COUNT * WIDTH];
      float[] floatGradient = new float[COUNT * WIDTH];
      double value = loss.valueAndGradient(outputs, targets, OFFSET, gradient, COUNT, WIDTH);
      float floatValue = loss.valueAndGradient(toFloat(outputs), toFloat(targets), OFFSET,
          floatGradient, COUNT, WIDTH);
      assertEquals(value, floatValue, 1e-5, loss.name());
      assertEquals(value, loss.value(outputs, targets, OFFSET, COUNT, WIDTH), 1e-15);
      assertEquals(floatValue,
          loss.value(toFloat(outputs), toFloat(targets), OFFSET, COUNT, WIDTH), 0f);
      for (int i = 0; i < gradient.length; i++) {
        assertEquals(gradient[i], floatGradient[i], 1e-5 * Math.max(1, Math.abs(gradient[i])));
      }
    }
  }

  @Test
  void fusedSoftmaxGradientMatchesFiniteDifferencesOfFusedValue() {
    SplittableRandom random = new SplittableRandom(4);
    double[] logits = randoms(random, COUNT * WIDTH, -3, 3);
    double[] targets = withOffset(distributions(random, COUNT, WIDTH));
    double[] probabilities = new double[COUNT * WIDTH];
    double[] gradient = new double[COUNT * WIDTH];
    CategoricalCrossEntropy.softmaxValueAndGradient(
        logits, targets, OFFSET, probabilities, gradient, COUNT, WIDTH);
    double[] scratchP = new double[COUNT * WIDTH];
    double[] scratchG = new double[COUNT * WIDTH];
    for (int i = 0; i < logits.length; i++) {
      double h = 1e-5;
      double saved = logits[i];
      logits[i] = saved + h;
      double plus = CategoricalCrossEntropy.softmaxValueAndGradient(
          logits, targets, OFFSET, scratchP, scratchG, COUNT, WIDTH);
      logits[i] = saved - h;
      double minus = CategoricalCrossEntropy.softmaxValueAndGradient(
          logits, targets, OFFSET, scratchP, scratchG, COUNT, WIDTH);
      logits[i] = saved;
      assertRelativelyClose((plus - minus) / (2 * h), gradient[i], "logit " + i);
    }
    // And the gradient is (p − t)/N for targets that sum to 1.
    for (int i = 0; i < gradient.length; i++) {
      assertEquals((probabilities[i] - targets[OFFSET + i]) / COUNT, gradient[i], 1e-15);
    }
  }

  @Test
  void fusedSoftmaxAgreesWithSoftmaxThenCrossEntropy() {
    SplittableRandom random = new SplittableRandom(5);
    double[] logits = randoms(random, COUNT * WIDTH, -3, 3);
    double[] targets = withOffset(distributions(random, COUNT, WIDTH));
    double[] probabilities = new double[COUNT * WIDTH];
    double fused = CategoricalCrossEntropy.softmaxValueAndGradient(
        logits, targets, OFFSET, probabilities, new double[COUNT * WIDTH], COUNT, WIDTH);
    for (int row = 0; row < COUNT; row++) {
      double sum = 0;
      for (int j = 0; j < WIDTH; j++) {
        sum += Math.exp(logits[row * WIDTH + j]);
      }
      for (int j = 0; j < WIDTH; j++) {
        assertEquals(Math.exp(logits[row * WIDTH + j]) / sum, probabilities[row * WIDTH + j],
            1e-15);
      }
    }
    assertEquals(CategoricalCrossEntropy.INSTANCE.value(probabilities, targets, OFFSET, COUNT,
        WIDTH), fused, 1e-12);
  }

  @Test
  void fusedSoftmaxIsStableForHugeLogits() {
    float[] logits = {1e4f, -1e4f, 0f, -1e4f, 1e4f, 1e4f};
    float[] targets = {0, 1, 0, 1, 0, 0};
    float[] probabilities = new float[6];
    float[] gradient = new float[6];
    float loss = CategoricalCrossEntropy.softmaxValueAndGradient(
        logits, targets, 0, probabilities, gradient, 2, 3);
    // Row 0: the true class is 2e4 below the max: loss 2e4. Row 1: true class at −1e4 against two
    // at +1e4: loss 2e4 + log 2.
    assertEquals((2e4 + 2e4 + Math.log(2)) / 2, loss, 1e-2);
    for (int i = 0; i < 6; i++) {
      assertTrue(Float.isFinite(probabilities[i]) && Float.isFinite(gradient[i]), "index " + i);
    }
    assertEquals(1f, probabilities[0]);
    assertEquals(0.5f, probabilities[4]);
    assertEquals(-0.5f, gradient[1], 1e-7f); // (0 − 1)/2
    double[] doubleLogits = {1e4, -1e4, 0};
    double doubleLoss = CategoricalCrossEntropy.softmaxValueAndGradient(
        doubleLogits, new double[] {1, 0, 0}, 0, new double[3], new double[3], 1, 3);
    assertEquals(0, doubleLoss, 1e-12);
  }

  @Test
  void fusedSoftmaxMayWorkInPlaceButNotIntoTheGradient() {
    float[] logits = {1f, 2f, 3f};
    float[] separate = new float[3];
    float expected = CategoricalCrossEntropy.softmaxValueAndGradient(
        logits.clone(), new float[] {0, 0, 1}, 0, separate, new float[3], 1, 3);
    float inPlace = CategoricalCrossEntropy.softmaxValueAndGradient(
        logits, new float[] {0, 0, 1}, 0, logits, new float[3], 1, 3);
    assertEquals(expected, inPlace);
    assertEquals(separate[2], logits[2]);
    assertThrows(IllegalArgumentException.class, () -> CategoricalCrossEntropy
        .softmaxValueAndGradient(logits, new float[3], 0, new float[3], logits, 1, 3));
  }

  @Test
  void checksBoundsWithMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MeanSquaredError.INSTANCE.value(new float[4], new float[4], 2, 2, 2));
    assertEquals("targets must hold 2 × 2 values from offset 2, but has length 4",
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CategoricalCrossEntropy.INSTANCE.value(new float[4], new float[4], 0, 0, 2));
  }

  @Test
  void lookupByName() {
    assertSame(MeanSquaredError.INSTANCE, Losses.byName("mean_squared_error"));
    assertSame(CategoricalCrossEntropy.INSTANCE, Losses.byName("categorical_crossentropy"));
    assertSame(MeanSquaredError.INSTANCE, Losses.byName("mse"));
    assertEquals("mean_squared_error", Losses.byName("mse").name());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Losses.byName("MSE"))
        .getMessage().startsWith("unknown loss 'MSE'; known losses are [bce, "));
    assertEquals("mean_squared_error", MeanSquaredError.INSTANCE.toString());
  }

  /** Central differences of the double value against the analytic double gradient. */
  private static void checkGradient(Loss loss, double[] outputs, double[] targets) {
    double[] gradient = new double[outputs.length];
    loss.valueAndGradient(outputs, targets, OFFSET, gradient, COUNT, WIDTH);
    for (int i = 0; i < outputs.length; i++) {
      double h = 1e-6;
      double saved = outputs[i];
      outputs[i] = saved + h;
      double plus = loss.value(outputs, targets, OFFSET, COUNT, WIDTH);
      outputs[i] = saved - h;
      double minus = loss.value(outputs, targets, OFFSET, COUNT, WIDTH);
      outputs[i] = saved;
      assertRelativelyClose((plus - minus) / (2 * h), gradient[i], loss.name() + " output " + i);
    }
  }

  private static void assertRelativelyClose(double numeric, double analytic, String what) {
    double error = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
    assertTrue(error <= 1e-6,
        what + ": finite difference " + numeric + " vs gradient " + analytic + ", relative error "
            + error);
  }

  private static double[] randoms(SplittableRandom random, int n, double low, double high) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextDouble(low, high);
    }
    return values;
  }

  /** Rows that are probability distributions (soft targets exercise more than one-hot). */
  private static double[] distributions(SplittableRandom random, int count, int width) {
    double[] values = randoms(random, count * width, 0.1, 1);
    for (int row = 0; row < count; row++) {
      double sum = 0;
      for (int j = 0; j < width; j++) {
        sum += values[row * width + j];
      }
      for (int j = 0; j < width; j++) {
        values[row * width + j] /= sum;
      }
    }
    return values;
  }

  /** The same values preceded by OFFSET unrelated ones, to exercise targetOffset. */
  private static double[] withOffset(double[] values) {
    double[] shifted = new double[OFFSET + values.length];
    java.util.Arrays.fill(shifted, 0, OFFSET, 7.0);
    System.arraycopy(values, 0, shifted, OFFSET, values.length);
    return shifted;
  }

  private static float[] toFloat(double[] values) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return result;
  }
}
