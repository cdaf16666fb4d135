package dev.nnet.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss: values against hand-computed cases (most of them Keras' documented examples),
 * gradients against central finite differences, sample weights, extreme inputs, float against
 * double, and lookup by name.
 */
class KerasLossesTest {
  private static final int COUNT = 3;
  private static final int WIDTH = 4;
  private static final int OFFSET = 5;

  /** Random outputs and targets (without the offset) in a loss's domain. */
  private interface Data {
    double[][] make(SplittableRandom random, int count, int width);
  }

  /** A loss, data in its domain, and outputs at the extremes of that domain. */
  private record Case(String label, Loss loss, Data data, double[] extremes) {}

  private static final double[] HUGE = {1e4, -1e4, 0, -1e4, 1e4, 3};
  private static final double[] CERTAIN = {0, 1, 0, 1, 0, 1};

  private static final List<Case> CASES = List.of(
      new Case("mse", MeanSquaredError.INSTANCE, KerasLossesTest::reals, HUGE),
      new Case("mae", MeanAbsoluteError.INSTANCE, KerasLossesTest::reals, HUGE),
      new Case("huber", Huber.INSTANCE, KerasLossesTest::reals, HUGE),
      new Case("huber δ=0.5", new Huber(0.5), KerasLossesTest::reals, HUGE),
      new Case("log_cosh", LogCosh.INSTANCE, KerasLossesTest::reals, HUGE),
      new Case("binary_crossentropy", BinaryCrossEntropy.INSTANCE,
          KerasLossesTest::binaryProbabilities, CERTAIN),
      new Case("binary_crossentropy from logits", BinaryCrossEntropy.FROM_LOGITS,
          KerasLossesTest::binaryLogits, HUGE),
      new Case("categorical_crossentropy", CategoricalCrossEntropy.INSTANCE,
          KerasLossesTest::distributions, CERTAIN),
      new Case("sparse_categorical_crossentropy", SparseCategoricalCrossEntropy.INSTANCE,
          KerasLossesTest::classIndices, CERTAIN),
      new Case("hinge", Hinge.INSTANCE, KerasLossesTest::signs, HUGE),
      new Case("hinge 0/1", Hinge.INSTANCE, KerasLossesTest::bits, HUGE),
      new Case("squared_hinge", SquaredHinge.INSTANCE, KerasLossesTest::signs, HUGE),
      new Case("squared_hinge 0/1", SquaredHinge.INSTANCE, KerasLossesTest::bits, HUGE),
      new Case("kl_divergence", KLDivergence.INSTANCE, KerasLossesTest::distributions, CERTAIN),
      new Case("poisson", Poisson.INSTANCE, KerasLossesTest::counts,
          new double[] {0, 1, 1e4, 0, 1e4, 1}),
      new Case("cosine_similarity", CosineSimilarity.INSTANCE, KerasLossesTest::reals, HUGE));

  // ---------------------------------------------------------------- hand-computed values

  @Test
  void meanAbsoluteErrorByHand() {
    // Sample means (1 + 2)/2 = 1.5 and (0 + 2)/2 = 1, mean 1.25.
    assertValue(1.25, MeanAbsoluteError.INSTANCE, new double[] {1, 2, 3, 4},
        new double[] {0, 0, 3, 2}, 2, 2);
  }

  @Test
  void huberByHand() {
    // Keras' example: errors (0.6, −0.6 | 0.4, 0.6), all within δ = 1: ½d² = 0.18, 0.18 | 0.08,
    // 0.18; sample means 0.18 and 0.13, mean 0.155.
    assertValue(0.155, Huber.INSTANCE, new double[] {0.6, 0.4, 0.4, 0.6},
        new double[] {0, 1, 0, 0}, 2, 2);
    // δ = 0.5, errors 2 and −0.3: 0.5·2 − 0.125 = 0.875 and ½·0.09 = 0.045, mean 0.46.
    assertValue(0.46, new Huber(0.5), new double[] {2, 0.7}, new double[] {0, 1}, 1, 2);
    // A δ larger than every error is half the mean squared error.
    double[] y = {1, -2, 0.5, 3};
    double[] t = {0, 0, 1, 1};
    assertEquals(MeanSquaredError.INSTANCE.value(y, t, 0, 2, 2) / 2,
        new Huber(1e3).value(y, t, 0, 2, 2), 1e-15);
  }

  @Test
  void logCoshByHand() {
    // Keras' example: log cosh 1 = 0.43378, sample means 0.21689 and 0, mean 0.10844.
    assertValue(Math.log(Math.cosh(1)) / 4, LogCosh.INSTANCE, new double[] {1, 1, 0, 0},
        new double[] {0, 1, 0, 0}, 2, 2);
    assertEquals(0.10844, LogCosh.INSTANCE.value(new double[] {1, 1, 0, 0},
        new double[] {0, 1, 0, 0}, 0, 2, 2), 1e-5);
    // Both branches are exact: tiny errors keep their relative precision, huge ones do not
    // overflow, and the branches meet at |d| = 1.
    assertEquals(0.5e-16, LogCosh.logCosh(1e-8), 1e-30);
    assertEquals(1e4 - Math.log(2), LogCosh.logCosh(-1e4), 1e-9);
    assertEquals(Math.log(Math.cosh(1)), LogCosh.logCosh(Math.nextDown(1.0)), 1e-15);
    assertEquals(Math.log(Math.cosh(1)), LogCosh.logCosh(1), 1e-15);
    assertEquals(Math.log(Math.cosh(0.3)), LogCosh.logCosh(0.3), 1e-16);
  }

  @Test
  void binaryCrossEntropyByHand() {
    // Keras' example: sample losses (−log 0.4 − log 0.4)/2 = 0.916 and (−log 0.6 − log 0.4)/2 =
    // 0.714, mean 0.815.
    double expected = (-Math.log(0.4) + (-Math.log(0.6) - Math.log(0.4)) / 2) / 2;
    assertValue(expected, BinaryCrossEntropy.INSTANCE, new double[] {0.6, 0.4, 0.4, 0.6},
        new double[] {0, 1, 0, 0}, 2, 2);
    assertEquals(0.815, expected, 1e-3);
    // From logits: x = 0, t = 1 gives log 2; x = 2, t = 0 gives 2 + log(1 + e^−2).
    assertValue((Math.log(2) + 2 + Math.log1p(Math.exp(-2))) / 2, BinaryCrossEntropy.FROM_LOGITS,
        new double[] {0, 2}, new double[] {1, 0}, 1, 2);
    // Probabilities of exactly 0 are clipped to 1e-7: −log(1e-7) for the positive target,
    // −log(1 − 1e-7) for the negative one.
    assertValue((-Math.log(1e-7) - Math.log(1 - 1e-7)) / 2, BinaryCrossEntropy.INSTANCE,
        new double[] {0, 0}, new double[] {1, 0}, 1, 2);
  }

  @Test
  void binaryCrossEntropyFromLogitsIsCrossEntropyOfTheSigmoid() {
    SplittableRandom random = new SplittableRandom(11);
    double[] logits = randoms(random, 8, -5, 5);
    double[] targets = randoms(random, 8, 0, 1);
    double[] probabilities = new double[8];
    for (int i = 0; i < 8; i++) {
      probabilities[i] = 1 / (1 + Math.exp(-logits[i]));
    }
    double[] logitGradient = new double[8];
    double[] probabilityGradient = new double[8];
    double fromLogits = BinaryCrossEntropy.FROM_LOGITS.valueAndGradient(
        logits, targets, 0, logitGradient, 2, 4);
    double fromProbabilities = BinaryCrossEntropy.INSTANCE.valueAndGradient(
        probabilities, targets, 0, probabilityGradient, 2, 4);
    assertEquals(fromProbabilities, fromLogits, 1e-12);
    for (int i = 0; i < 8; i++) {
      // Chain rule through the sigmoid: ∂/∂x = ∂/∂p · p(1 − p).
      double p = probabilities[i];
      assertEquals(probabilityGradient[i] * p * (1 - p), logitGradient[i], 1e-14);
    }
  }

  @Test
  void categoricalCrossEntropyWeightsByHand() {
    // Probabilities of the true classes 0.75 and 0.5, weights 2 and 0.5: (2·−log 0.75 +
    // 0.5·−log 0.5)/2.
    double[] probabilities = {0.25, 0.75, 0.5, 0.5};
    double[] oneHot = {0, 1, 1, 0};
    double[] weights = {2, 0.5};
    assertEquals((-2 * Math.log(0.75) - 0.5 * Math.log(0.5)) / 2,
        CategoricalCrossEntropy.INSTANCE.value(probabilities, oneHot, 0, weights, 2, 2), 1e-15);
    double[] gradient = new double[4];
    CategoricalCrossEntropy.INSTANCE.valueAndGradient(probabilities, oneHot, 0, weights,
        gradient, 2, 2);
    // −s·t/(N·y): −2/(2·0.75) and −0.5/(2·0.5).
    assertArrayEquals(new double[] {0, -2 / 1.5, -0.5, 0}, gradient, 1e-15);
  }

  @Test
  void sparseCategoricalCrossEntropyByHand() {
    // Keras' example: classes 1 and 2 of [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]: −log 0.95 = 0.0513
    // and −log 0.1 = 2.303, mean 1.177.
    double[] probabilities = {0.05, 0.95, 0, 0.1, 0.8, 0.1};
    double[] classes = {1, 2};
    assertValue((-Math.log(0.95) - Math.log(0.1)) / 2, SparseCategoricalCrossEntropy.INSTANCE,
        probabilities, classes, 2, 3);
    assertEquals(1.177, SparseCategoricalCrossEntropy.INSTANCE.value(probabilities, classes, 0,
        2, 3), 1e-3);
  }

  @Test
  void hingeByHand() {
    // Keras' example: the 0/1 targets [[0, 1], [0, 0]] become [[−1, 1], [−1, −1]]:
    // max(1 + 0.6, 0) = 1.6, 0.6 | 1.4, 1.6; sample means 1.1 and 1.5, mean 1.3.
    double[] y = {0.6, 0.4, 0.4, 0.6};
    double[] bits = {0, 1, 0, 0};
    assertValue(1.3, Hinge.INSTANCE, y, bits, 2, 2);
    assertValue(1.3, Hinge.INSTANCE, y, new double[] {-1, 1, -1, -1}, 2, 2);
    // Squared: 2.56, 0.36 | 1.96, 2.56; means 1.46 and 2.26, mean 1.86 (Keras' example).
    assertValue(1.86, SquaredHinge.INSTANCE, y, bits, 2, 2);
    assertValue(1.86, SquaredHinge.INSTANCE, y, new double[] {-1, 1, -1, -1}, 2, 2);
    // Targets that are not all 0 or 1 are used as they are: with a −1 in the batch, the 0 stays
    // 0 and costs max(1 − 0·5, 0) = 1; then 1 − 0.4 = 0.6 and 1 + 0.4 = 1.4, mean 1.
    assertValue(1.0, Hinge.INSTANCE, new double[] {5, 0.4, 0.4}, new double[] {0, 1, -1}, 1, 3);
    // t·y past the margin costs nothing and has no gradient.
    double[] gradient = new double[2];
    assertEquals(0, Hinge.INSTANCE.valueAndGradient(new double[] {2, -3},
        new double[] {1, -1}, 0, gradient, 1, 2));
    assertArrayEquals(new double[2], gradient);
  }

  @Test
  void klDivergenceByHand() {
    // Keras' example: t̂ = (1e-7, 1) against (0.6, 0.4): 1e-7·log(1e-7/0.6) + log(1/0.4);
    // t̂ = (1e-7, 1e-7) against (0.4, 0.6): 1e-7·(log(1e-7/0.4) + log(1e-7/0.6)). Mean ≈ 0.458.
    double expected = (1e-7 * Math.log(1e-7 / 0.6) + Math.log(1 / 0.4)
        + 1e-7 * (Math.log(1e-7 / 0.4) + Math.log(1e-7 / 0.6))) / 2;
    assertValue(expected, KLDivergence.INSTANCE, new double[] {0.6, 0.4, 0.4, 0.6},
        new double[] {0, 1, 0, 0}, 2, 2);
    assertEquals(0.458, expected, 1e-3);
    // No divergence from itself.
    double[] p = {0.2, 0.3, 0.5};
    assertEquals(0, KLDivergence.INSTANCE.value(p, p, 0, 1, 3), 1e-16);
    // Predictions above 1 are clipped to 1, where the clip is flat.
    double[] gradient = new double[2];
    assertEquals(0, KLDivergence.INSTANCE.valueAndGradient(new double[] {1.5, 0},
        new double[] {1, 0}, 0, gradient, 1, 2), 1e-20);
    assertArrayEquals(new double[2], gradient);
  }

  @Test
  void poissonByHand() {
    // Keras' example: rates [[1, 1], [0, 0]], counts [[0, 1], [0, 0]]: (1 + 1 − log(1 + 1e-7))/2
    // and 0, mean 0.5.
    assertValue((2 - Math.log(1 + 1e-7)) / 4, Poisson.INSTANCE, new double[] {1, 1, 0, 0},
        new double[] {0, 1, 0, 0}, 2, 2);
    // Rate 2 for count 3: 2 − 3·log 2.
    assertValue(2 - 3 * Math.log(2 + 1e-7), Poisson.INSTANCE, new double[] {2},
        new double[] {3}, 1, 1);
  }

  @Test
  void cosineSimilarityByHand() {
    // Keras' example: [[0, 1], [1, 1], [1, 1]] against [[1, 0], [1, 1], [−1, −1]]: −0, −1, +1.
    double[] targets = {0, 1, 1, 1, 1, 1};
    double[] outputs = {1, 0, 1, 1, -1, -1};
    assertValue(0, CosineSimilarity.INSTANCE, outputs, targets, 3, 2);
    assertValue(-1, CosineSimilarity.INSTANCE, Arrays.copyOfRange(outputs, 2, 4),
        Arrays.copyOfRange(targets, 2, 4), 1, 2);
    assertValue(1, CosineSimilarity.INSTANCE, Arrays.copyOfRange(outputs, 4, 6),
        Arrays.copyOfRange(targets, 4, 6), 1, 2);
    // 60°: cos = 0.5, whatever the lengths.
    assertValue(-0.5, CosineSimilarity.INSTANCE, new double[] {3, 0},
        new double[] {0.5, 0.5 * Math.sqrt(3)}, 1, 2);
    // The gradient is orthogonal to the output: the loss ignores its length.
    double[] y = {0.3, -1.2, 2};
    double[] gradient = new double[3];
    CosineSimilarity.INSTANCE.valueAndGradient(y, new double[] {1, 1, 0}, 0, gradient, 1, 3);
    assertEquals(0, y[0] * gradient[0] + y[1] * gradient[1] + y[2] * gradient[2], 1e-15);
    // Below the ε floor a row is divided by ε instead of its norm, so the loss is linear in it:
    // −t̂·y/ε, with gradient −t̂/ε.
    double[] tinyGradient = new double[2];
    assertEquals(-3e-8 / 1e-7, CosineSimilarity.INSTANCE.valueAndGradient(
        new double[] {3e-8, 4e-8}, new double[] {2, 0}, 0, tinyGradient, 1, 2), 1e-12);
    assertArrayEquals(new double[] {-1 / 1e-7, 0}, tinyGradient, 1e-3);
    float[] tinyFloatGradient = new float[2];
    assertEquals(-0.3f, CosineSimilarity.INSTANCE.valueAndGradient(new float[] {3e-8f, 4e-8f},
        new float[] {2, 0}, 0, null, tinyFloatGradient, 1, 2), 1e-6f);
    assertArrayEquals(new float[] {-1e7f, 0}, tinyFloatGradient, 1f);
    // A zero row has no direction: loss 0, no NaN.
    double[] zeroGradient = new double[2];
    assertEquals(0, CosineSimilarity.INSTANCE.valueAndGradient(new double[] {0, 0},
        new double[] {1, 0}, 0, zeroGradient, 1, 2));
    assertTrue(Double.isFinite(zeroGradient[0]) && Double.isFinite(zeroGradient[1]));
  }

  // ---------------------------------------------------------------- every loss

  @TestFactory
  Stream<DynamicTest> gradientsMatchCentralFiniteDifferences() {
    return CASES.stream().map(c -> dynamicTest(c.label(), () -> {
      SplittableRandom random = new SplittableRandom(c.label().hashCode());
      double[][] data = c.data().make(random, COUNT, WIDTH);
      double[] outputs = data[0];
      double[] targets = withOffset(data[1]);
      double[] weights = randoms(random, COUNT, 0.5, 2);
      for (double[] w : new double[][] {null, weights}) {
        double[] gradient = new double[COUNT * WIDTH];
        double value = c.loss().valueAndGradient(outputs, targets, OFFSET, w, gradient, COUNT,
            WIDTH);
        assertEquals(value, c.loss().value(outputs, targets, OFFSET, w, COUNT, WIDTH),
            c.label() + ": value and valueAndGradient differ");
        for (int i = 0; i < outputs.length; i++) {
          double h = 1e-6;
          double saved = outputs[i];
          outputs[i] = saved + h;
          double plus = c.loss().value(outputs, targets, OFFSET, w, COUNT, WIDTH);
          outputs[i] = saved - h;
          double minus = c.loss().value(outputs, targets, OFFSET, w, COUNT, WIDTH);
          outputs[i] = saved;
          assertGradientClose((plus - minus) / (2 * h), gradient[i],
              c.label() + (w == null ? "" : " weighted") + ", output " + i);
        }
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> sampleWeightsScaleEachSampleInTheSumOverBatchSize() {
    return CASES.stream().map(c -> dynamicTest(c.label(), () -> {
      SplittableRandom random = new SplittableRandom(c.label().hashCode() + 1);
      double[][] data = c.data().make(random, COUNT, WIDTH);
      Loss loss = c.loss();
      int targetWidth = loss.targetWidth(WIDTH);
      double[] y = data[0];
      double[] t = data[1];
      // null means all ones, exactly.
      double[] g1 = new double[COUNT * WIDTH];
      double[] g2 = new double[COUNT * WIDTH];
      assertEquals(loss.valueAndGradient(y, t, 0, null, g1, COUNT, WIDTH),
          loss.valueAndGradient(y, t, 0, new double[] {1, 1, 1, 99}, g2, COUNT, WIDTH));
      assertArrayEquals(g1, g2);
      assertEquals(loss.value(y, t, 0, COUNT, WIDTH), loss.value(y, t, 0, null, COUNT, WIDTH));

      // Weight 0 removes sample 1: the sum over the batch is that of samples 0 and 2.
      double[] zeroGradient = new double[COUNT * WIDTH];
      double zero = loss.valueAndGradient(y, t, 0, new double[] {1, 0, 1}, zeroGradient, COUNT,
          WIDTH);
      int[] kept = {0, 2};
      double[] keptGradient = new double[2 * WIDTH];
      double keptValue = loss.valueAndGradient(rows(y, WIDTH, kept), rows(t, targetWidth, kept),
          0, null, keptGradient, 2, WIDTH);
      assertClose(keptValue * 2, zero * COUNT, c.label() + ": weight 0");
      for (int j = 0; j < WIDTH; j++) {
        assertEquals(0, zeroGradient[WIDTH + j], 0.0,
            c.label() + ": gradient of a weight-0 sample");
        assertClose(keptGradient[j] * 2, zeroGradient[j] * COUNT, c.label());
        assertClose(keptGradient[WIDTH + j] * 2, zeroGradient[2 * WIDTH + j] * COUNT, c.label());
      }

      // Weight 2 counts sample 0 twice: the same sum as the batch with sample 0 duplicated.
      double[] twoGradient = new double[COUNT * WIDTH];
      double two = loss.valueAndGradient(y, t, 0, new double[] {2, 1, 1}, twoGradient, COUNT,
          WIDTH);
      int[] duplicated = {0, 0, 1, 2};
      double[] duplicatedGradient = new double[4 * WIDTH];
      double duplicatedValue = loss.valueAndGradient(rows(y, WIDTH, duplicated),
          rows(t, targetWidth, duplicated), 0, null, duplicatedGradient, 4, WIDTH);
      assertClose(duplicatedValue * 4, two * COUNT, c.label() + ": weight 2");
      for (int j = 0; j < WIDTH; j++) {
        assertClose((duplicatedGradient[j] + duplicatedGradient[WIDTH + j]) * 4,
            twoGradient[j] * COUNT, c.label() + ": gradient of a weight-2 sample");
        assertClose(duplicatedGradient[2 * WIDTH + j] * 4, twoGradient[WIDTH + j] * COUNT,
            c.label());
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> extremeInputsGiveFiniteValuesAndGradients() {
    return CASES.stream().map(c -> dynamicTest(c.label(), () -> {
      int count = 2;
      int width = 3;
      double[] outputs = c.extremes();
      double[] targets = c.data().make(new SplittableRandom(5), count, width)[1];
      double[] gradient = new double[count * width];
      double value = c.loss().valueAndGradient(outputs, targets, 0, new double[] {2, 0.5},
          gradient, count, width);
      float[] floatGradient = new float[count * width];
      float floatValue = c.loss().valueAndGradient(toFloat(outputs), toFloat(targets), 0,
          new float[] {2, 0.5f}, floatGradient, count, width);
      assertTrue(Double.isFinite(value), c.label() + ": value " + value);
      assertTrue(Float.isFinite(floatValue), c.label() + ": float value " + floatValue);
      for (int i = 0; i < gradient.length; i++) {
        assertTrue(Double.isFinite(gradient[i]), c.label() + ": gradient " + i);
        assertTrue(Float.isFinite(floatGradient[i]), c.label() + ": float gradient " + i);
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> floatAndDoubleAgree() {
    return CASES.stream().map(c -> dynamicTest(c.label(), () -> {
      SplittableRandom random = new SplittableRandom(c.label().hashCode() + 2);
      double[][] data = c.data().make(random, COUNT, WIDTH);
      // The same float-representable inputs for both, so only the arithmetic differs.
      float[] floatOutputs = toFloat(data[0]);
      float[] floatTargets = toFloat(withOffset(data[1]));
      float[] floatWeights = toFloat(randoms(random, COUNT, 0, 3));
      double[] outputs = toDouble(floatOutputs);
      double[] targets = toDouble(floatTargets);
      double[] weights = toDouble(floatWeights);
      double[] gradient = new double[COUNT * WIDTH];
      float[] floatGradient = new float[COUNT * WIDTH];
      double value = c.loss().valueAndGradient(outputs, targets, OFFSET, weights, gradient,
          COUNT, WIDTH);
      float floatValue = c.loss().valueAndGradient(floatOutputs, floatTargets, OFFSET,
          floatWeights, floatGradient, COUNT, WIDTH);
      assertEquals(value, floatValue, 1e-5 * Math.max(1, Math.abs(value)), c.label());
      assertEquals(floatValue, c.loss().value(floatOutputs, floatTargets, OFFSET, floatWeights,
          COUNT, WIDTH), 0f, c.label() + ": float value and valueAndGradient differ");
      assertEquals(c.loss().value(floatOutputs, floatTargets, OFFSET, COUNT, WIDTH),
          c.loss().value(outputs, targets, OFFSET, COUNT, WIDTH), 1e-5, c.label());
      for (int i = 0; i < gradient.length; i++) {
        assertEquals(gradient[i], floatGradient[i], 1e-7 + 1e-5 * Math.abs(gradient[i]),
            c.label() + ": gradient " + i);
      }
    }));
  }

  // ---------------------------------------------------------------- sparse and fused

  @Test
  void sparseCategoricalCrossEntropyIsCategoricalWithOneHotTargets() {
    SplittableRandom random = new SplittableRandom(21);
    double[][] data = classIndices(random, COUNT, WIDTH);
    double[] probabilities = data[0];
    double[] classes = withOffset(data[1]);
    double[] oneHot = withOffset(oneHot(data[1], WIDTH));
    double[] weights = {0.5, 2, 1};
    double[] sparseGradient = new double[COUNT * WIDTH];
    double[] denseGradient = new double[COUNT * WIDTH];
    assertEquals(
        CategoricalCrossEntropy.INSTANCE.valueAndGradient(probabilities, oneHot, OFFSET, weights,
            denseGradient, COUNT, WIDTH),
        SparseCategoricalCrossEntropy.INSTANCE.valueAndGradient(probabilities, classes, OFFSET,
            weights, sparseGradient, COUNT, WIDTH), 1e-15);
    assertArrayEquals(denseGradient, sparseGradient, 1e-15);

    double[] logits = randoms(random, COUNT * WIDTH, -3, 3);
    double[] denseP = new double[COUNT * WIDTH];
    double[] sparseP = new double[COUNT * WIDTH];
    assertEquals(
        CategoricalCrossEntropy.softmaxValueAndGradient(logits, oneHot, OFFSET, weights, denseP,
            denseGradient, COUNT, WIDTH),
        SparseCategoricalCrossEntropy.softmaxValueAndGradient(logits, classes, OFFSET, weights,
            sparseP, sparseGradient, COUNT, WIDTH), 1e-14);
    assertArrayEquals(denseP, sparseP, 1e-16);
    assertArrayEquals(denseGradient, sparseGradient, 1e-16);

    // The float fused paths agree with the double ones, weights included.
    double value = SparseCategoricalCrossEntropy.softmaxValueAndGradient(logits, classes, OFFSET,
        weights, sparseP, sparseGradient, COUNT, WIDTH);
    for (boolean sparse : new boolean[] {true, false}) {
      float[] floatP = new float[COUNT * WIDTH];
      float[] floatGradient = new float[COUNT * WIDTH];
      float floatValue = sparse
          ? SparseCategoricalCrossEntropy.softmaxValueAndGradient(toFloat(logits),
              toFloat(classes), OFFSET, toFloat(weights), floatP, floatGradient, COUNT, WIDTH)
          : CategoricalCrossEntropy.softmaxValueAndGradient(toFloat(logits), toFloat(oneHot),
              OFFSET, toFloat(weights), floatP, floatGradient, COUNT, WIDTH);
      assertEquals(value, floatValue, 1e-5);
      for (int i = 0; i < floatP.length; i++) {
        assertEquals(sparseP[i], floatP[i], 1e-6);
        assertEquals(sparseGradient[i], floatGradient[i], 1e-6);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> fusedSoftmaxGradientsMatchFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(22);
    double[] logits = randoms(random, COUNT * WIDTH, -3, 3);
    double[] weights = {0.5, 2, 1.5};
    double[] classes = withOffset(classIndices(random, COUNT, WIDTH)[1]);
    double[] distributions = withOffset(distributions(random, COUNT, WIDTH)[1]);
    FusedCall dense = (z, w, p, g) -> CategoricalCrossEntropy.softmaxValueAndGradient(
        z, distributions, OFFSET, w, p, g, COUNT, WIDTH);
    FusedCall sparse = (z, w, p, g) -> SparseCategoricalCrossEntropy.softmaxValueAndGradient(
        z, classes, OFFSET, w, p, g, COUNT, WIDTH);
    return Stream.of(dynamicTest("categorical", () -> checkFused(dense, logits, weights)),
        dynamicTest("sparse", () -> checkFused(sparse, logits, weights)));
  }

  /** A fused softmax loss with everything but the logits, weights and outputs fixed. */
  private interface FusedCall {
    double apply(double[] logits, double[] weights, double[] probabilities, double[] gradient);
  }

  private static void checkFused(FusedCall call, double[] logits, double[] weights) {
    int n = logits.length;
    for (double[] w : new double[][] {null, weights}) {
      double[] gradient = new double[n];
      call.apply(logits, w, new double[n], gradient);
      for (int i = 0; i < n; i++) {
        double h = 1e-6;
        double saved = logits[i];
        logits[i] = saved + h;
        double plus = call.apply(logits, w, new double[n], new double[n]);
        logits[i] = saved - h;
        double minus = call.apply(logits, w, new double[n], new double[n]);
        logits[i] = saved;
        assertGradientClose((plus - minus) / (2 * h), gradient[i],
            (w == null ? "" : "weighted, ") + "logit " + i);
      }
    }
  }

  @Test
  void fusedPathsAreStableForHugeLogitsAndWeighted() {
    float[] logits = {1e4f, -1e4f, 0f, -1e4f, 1e4f, 1e4f};
    float[] classes = {1, 0};
    float[] probabilities = new float[6];
    float[] gradient = new float[6];
    float loss = SparseCategoricalCrossEntropy.softmaxValueAndGradient(
        logits.clone(), classes, 0, new float[] {2, 0}, probabilities, gradient, 2, 3);
    // Sample 0: class 1 is 2e4 below the max, loss 2e4, weight 2; sample 1 has weight 0.
    assertEquals(2 * 2e4 / 2, loss, 1e-2);
    for (int i = 0; i < 6; i++) {
      assertTrue(Float.isFinite(probabilities[i]) && Float.isFinite(gradient[i]), "index " + i);
    }
    assertEquals(1f, probabilities[0]);
    assertEquals(-1f, gradient[1], 1e-7f); // 2·(0 − 1)/2
    assertEquals(0f, gradient[3], 0f);
    // The unweighted overloads are the weighted ones with null weights.
    float[] p1 = new float[6];
    float[] g1 = new float[6];
    float[] p2 = new float[6];
    float[] g2 = new float[6];
    float[] targets = {0, 1, 0, 0.5f, 0, 0.5f};
    assertEquals(
        CategoricalCrossEntropy.softmaxValueAndGradient(logits, targets, 0, p1, g1, 2, 3),
        CategoricalCrossEntropy.softmaxValueAndGradient(logits, targets, 0, null, p2, g2, 2, 3));
    assertArrayEquals(g1, g2);
    assertEquals(
        SparseCategoricalCrossEntropy.softmaxValueAndGradient(logits, classes, 0, p1, g1, 2, 3),
        SparseCategoricalCrossEntropy.softmaxValueAndGradient(logits, classes, 0, null, p2, g2,
            2, 3));
    assertArrayEquals(g1, g2);
    // In place, as for the categorical version.
    float[] inPlace = logits.clone();
    SparseCategoricalCrossEntropy.softmaxValueAndGradient(inPlace, classes, 0, inPlace,
        new float[6], 2, 3);
    assertArrayEquals(p1, inPlace);
    assertThrows(IllegalArgumentException.class, () -> SparseCategoricalCrossEntropy
        .softmaxValueAndGradient(logits, classes, 0, new float[6], logits, 2, 3));
  }

  @Test
  void sparseTargetsMustBeClassIndices() {
    float[] probabilities = {0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f};
    float[] gradient = new float[6];
    Arrays.fill(gradient, 42f);
    assertEquals("sample 1 has target 1.5, but a class index must be an integer in [0, 3)",
        message(() -> SparseCategoricalCrossEntropy.INSTANCE.valueAndGradient(probabilities,
            new float[] {0, 1.5f}, 0, gradient, 2, 3)));
    assertArrayEquals(new float[] {42, 42, 42, 42, 42, 42}, gradient, "nothing written");
    assertEquals("sample 0 has target 3.0, but a class index must be an integer in [0, 3)",
        message(() -> SparseCategoricalCrossEntropy.INSTANCE.value(probabilities,
            new float[] {3, 0}, 0, 2, 3)));
    assertEquals("sample 1 has target -1.0, but a class index must be an integer in [0, 3)",
        message(() -> SparseCategoricalCrossEntropy.INSTANCE.value(new double[6],
            new double[] {2, -1}, 0, 2, 3)));
    assertEquals("sample 0 has target NaN, but a class index must be an integer in [0, 3)",
        message(() -> SparseCategoricalCrossEntropy.softmaxValueAndGradient(probabilities,
            new float[] {Float.NaN, 0}, 0, new float[6], gradient, 2, 3)));
    // One target per sample: two samples need two targets after the offset, not six.
    assertEquals(1, SparseCategoricalCrossEntropy.INSTANCE.targetWidth(10));
    assertEquals(10, MeanSquaredError.INSTANCE.targetWidth(10));
    assertEquals("targets must hold 2 × 1 values from offset 1, but has length 2",
        message(() -> SparseCategoricalCrossEntropy.INSTANCE.value(probabilities,
            new float[] {0, 1}, 1, 2, 3)));
    // Classes 0 and 2, read from offset 1.
    assertEquals((-Math.log(0.2) - Math.log(0.8)) / 2, SparseCategoricalCrossEntropy.INSTANCE
        .value(probabilities, new float[] {9, 0, 2}, 1, 2, 3), 1e-6);
  }

  @Test
  void weightArraysAreChecked() {
    assertEquals("sample weights must hold 3 values (one per sample), but has length 2",
        message(() -> LogCosh.INSTANCE.value(new float[6], new float[6], 0, new float[2], 3, 2)));
    assertEquals("sample weights must hold 2 values (one per sample), but has length 1",
        message(() -> CategoricalCrossEntropy.softmaxValueAndGradient(new double[4],
            new double[4], 0, new double[1], new double[4], new double[4], 2, 2)));
  }

  // ---------------------------------------------------------------- configuration and names

  @Test
  void parameterisedLosses() {
    assertEquals(1.0, Huber.INSTANCE.delta());
    assertEquals(new Huber(1.0), Huber.INSTANCE);
    assertEquals(new Huber(0.5).hashCode(), new Huber(0.5).hashCode());
    assertNotEquals(new Huber(0.5), new Huber(2));
    assertEquals("huber(delta: 0.5)", new Huber(0.5).toString());
    assertEquals("delta must be > 0, but got 0.0", message(() -> new Huber(0)));
    assertEquals("delta must be a finite number > 0, but got NaN",
        message(() -> new Huber(Double.NaN)));
    assertEquals(BinaryCrossEntropy.FROM_LOGITS, new BinaryCrossEntropy(true));
    assertNotEquals(BinaryCrossEntropy.FROM_LOGITS, BinaryCrossEntropy.INSTANCE);
    assertTrue(BinaryCrossEntropy.FROM_LOGITS.fromLogits());
    assertEquals("binary_crossentropy(from_logits: true)",
        BinaryCrossEntropy.FROM_LOGITS.toString());
    assertEquals("binary_crossentropy", BinaryCrossEntropy.INSTANCE.toString());
    assertEquals("binary_crossentropy", BinaryCrossEntropy.FROM_LOGITS.name());
  }

  @Test
  void lookupByKerasNamesAndAliases() {
    assertEquals(List.of("bce", "binary_crossentropy", "categorical_crossentropy",
        "cosine_similarity", "hinge", "huber", "kl_divergence", "kld",
        "kullback_leibler_divergence", "log_cosh", "logcosh", "mae", "mean_absolute_error",
        "mean_squared_error", "mse", "poisson", "sparse_categorical_crossentropy",
        "squared_hinge"), Losses.names());
    assertEquals(Map.of("bce", "binary_crossentropy", "kld", "kl_divergence",
        "kullback_leibler_divergence", "kl_divergence", "logcosh", "log_cosh",
        "mae", "mean_absolute_error", "mse", "mean_squared_error"), Losses.aliases());
    for (String name : Losses.names()) {
      Loss loss = Losses.byName(name);
      assertEquals(Losses.aliases().getOrDefault(name, name), loss.name(), name);
      assertEquals(loss.name(), loss.toString().replaceFirst("\\(.*", ""), name);
    }
    assertSame(BinaryCrossEntropy.INSTANCE, Losses.byName("bce"));
    assertSame(MeanAbsoluteError.INSTANCE, Losses.byName("mae"));
    assertSame(Huber.INSTANCE, Losses.byName("huber"));
    assertSame(LogCosh.INSTANCE, Losses.byName("logcosh"));
    assertSame(LogCosh.INSTANCE, Losses.byName("log_cosh"));
    assertSame(KLDivergence.INSTANCE, Losses.byName("kld"));
    assertSame(SparseCategoricalCrossEntropy.INSTANCE,
        Losses.byName("sparse_categorical_crossentropy"));
    assertSame(CosineSimilarity.INSTANCE, Losses.byName("cosine_similarity"));
    assertTrue(message(() -> Losses.byName("huber_loss"))
        .startsWith("unknown loss 'huber_loss'; known losses are [bce, binary_crossentropy, "));
  }

  // ---------------------------------------------------------------- helpers

  private static void assertValue(
      double expected, Loss loss, double[] outputs, double[] targets, int count, int width) {
    assertEquals(expected, loss.value(outputs, targets, 0, count, width), 1e-12, loss.name());
    assertEquals(expected, loss.value(toFloat(outputs), toFloat(targets), 0, count, width),
        1e-6 * Math.max(1, Math.abs(expected)), loss.name() + " (float)");
  }

  /** Relative ≤ 1e-6 or absolute ≤ 1e-8. */
  private static void assertGradientClose(double numeric, double analytic, String what) {
    double error = Math.abs(numeric - analytic);
    assertTrue(error <= 1e-8 || error <= 1e-6 * Math.max(Math.abs(numeric), Math.abs(analytic)),
        what + ": finite difference " + numeric + " vs gradient " + analytic);
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-12 * Math.max(1, Math.abs(expected)), what);
  }

  private static String message(org.junit.jupiter.api.function.Executable executable) {
    return assertThrows(IllegalArgumentException.class, executable).getMessage();
  }

  /** The given rows (of {@code width} values each) of a row-major array, in order. */
  private static double[] rows(double[] values, int width, int[] rows) {
    double[] result = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(values, rows[i] * width, result, i * width, width);
    }
    return result;
  }

  private static double[][] reals(SplittableRandom random, int count, int width) {
    return new double[][] {randoms(random, count * width, -3, 3),
        randoms(random, count * width, -3, 3)};
  }

  private static double[][] binaryProbabilities(SplittableRandom random, int count, int width) {
    return new double[][] {randoms(random, count * width, 0.05, 0.95),
        randoms(random, count * width, 0, 1)};
  }

  private static double[][] binaryLogits(SplittableRandom random, int count, int width) {
    return new double[][] {randoms(random, count * width, -4, 4),
        randoms(random, count * width, 0, 1)};
  }

  private static double[][] distributions(SplittableRandom random, int count, int width) {
    double[] targets = randoms(random, count * width, 0.1, 1);
    for (int row = 0; row < count; row++) {
      double sum = 0;
      for (int j = 0; j < width; j++) {
        sum += targets[row * width + j];
      }
      for (int j = 0; j < width; j++) {
        targets[row * width + j] /= sum;
      }
    }
    return new double[][] {randoms(random, count * width, 0.05, 0.95), targets};
  }

  private static double[][] classIndices(SplittableRandom random, int count, int width) {
    double[] classes = new double[count];
    for (int i = 0; i < count; i++) {
      classes[i] = random.nextInt(width);
    }
    return new double[][] {randoms(random, count * width, 0.05, 0.95), classes};
  }

  private static double[][] signs(SplittableRandom random, int count, int width) {
    double[] targets = new double[count * width];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = random.nextBoolean() ? 1 : -1;
    }
    return new double[][] {randoms(random, count * width, -2, 2), targets};
  }

  private static double[][] bits(SplittableRandom random, int count, int width) {
    double[] targets = new double[count * width];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = random.nextBoolean() ? 1 : 0;
    }
    return new double[][] {randoms(random, count * width, -2, 2), targets};
  }

  private static double[][] counts(SplittableRandom random, int count, int width) {
    double[] targets = new double[count * width];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = random.nextInt(5);
    }
    return new double[][] {randoms(random, count * width, 0.1, 3), targets};
  }

  private static double[] oneHot(double[] classes, int width) {
    double[] result = new double[classes.length * width];
    for (int i = 0; i < classes.length; i++) {
      result[i * width + (int) classes[i]] = 1;
    }
    return result;
  }

  private static double[] randoms(SplittableRandom random, int n, double low, double high) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = random.nextDouble(low, high);
    }
    return values;
  }

  /** The same values preceded by OFFSET unrelated ones, to exercise targetOffset. */
  private static double[] withOffset(double[] values) {
    double[] shifted = new double[OFFSET + values.length];
    Arrays.fill(shifted, 0, OFFSET, 7.0);
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

  private static double[] toDouble(float[] values) {
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }
}
