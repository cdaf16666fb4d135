package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.io.ModelFile;
import dev.nnet.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preprocessing stages: statistics fitted by adapt (by hand here), applied by the generated code,
 * fitted on training data only, saved in the model file. Each network ends in a dense layer whose
 * weights are set to the identity, so its predictions are the stages' output.
 */
class PreprocessingTest {
  private static final float NAN = Float.NaN;

  private static Network load(String body, int inputs, int units) {
    String text = """
        network P {
          input x: float[%d]
          %s
          output y = dense(f, units: %d)
          train { loss: mse  batch: 4  epochs: 1 }
        }
        """.formatted(inputs, body, units);
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("p.nnet", text, "pre", false));
    try {
      return (Network) loader.loadClass("pre.P").getConstructor(int.class).newInstance(8);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The dense layer reads its input unchanged: identity weights, zero bias. */
  private static Network identity(Network net) {
    int n = net.outputSize();
    float[] p = net.parameters();
    Arrays.fill(p, 0);
    for (int i = 0; i < n; i++) {
      p[i * n + i] = 1;
    }
    return net;
  }

  private static float[] predict(Network net, float[] inputs) {
    int count = inputs.length / net.inputSize();
    float[] out = new float[count * net.outputSize()];
    net.predictBatch(inputs, 0, out, 0, count);
    return out;
  }

  // Four samples of three features; the third feature has a missing value.
  private static final float[] RAW = {1, 10, 2, 3, 20, NAN, 5, 30, 4, 7, 40, 9};

  @Test
  void imputeWithTheMedianThenNormalizeMatchesHandComputedStatistics() {
    Network net = identity(load("m = impute(x, strategy: median)\n f = normalize(m)", 3, 3));
    assertFalse(net.adapted(), "a new network has no fitted statistics");
    net.adapt(RAW, 0, 4);
    assertTrue(net.adapted());
    // Median of the present third-feature values 2, 4, 9 is 4; the NaN becomes 4.
    // Means: 4, 25, (2 + 4 + 4 + 9) / 4 = 4.75; population variances 5, 125, 6.6875.
    float[] state = net.state();
    assertArrayEquals(new float[] {4, 25, 4}, Arrays.copyOfRange(state, 0, 3), 0f, "median fill values");
    assertEquals(4f, state[3], "fitted on 4 samples");
    assertArrayEquals(new float[] {4, 25, 4.75f}, Arrays.copyOfRange(state, 4, 7), 1e-6f, "means");
    assertArrayEquals(new float[] {5, 125, 6.6875f}, Arrays.copyOfRange(state, 7, 10), 1e-5f, "variances");
    float[] out = predict(net, new float[] {6, 35, NAN});
    assertArrayEquals(new float[] {(float) (2 / Math.sqrt(5)), (float) (10 / Math.sqrt(125)),
        (float) (-0.75 / Math.sqrt(6.6875))}, out, 1e-6f);
  }

  @Test
  void imputeStrategiesMeanMostFrequentAndConstant() {
    float[] data = {1, NAN, 1, 2, 3, 2, NAN, 2};
    Network mean = identity(load("f = impute(x, strategy: mean)", 2, 2));
    mean.adapt(data, 0, 4);
    assertArrayEquals(new float[] {5f / 3, 2}, predict(mean, new float[] {NAN, NAN}), 1e-6f);
    Network frequent = identity(load("f = impute(x, strategy: most_frequent)", 2, 2));
    frequent.adapt(data, 0, 4);
    assertArrayEquals(new float[] {1, 2}, predict(frequent, new float[] {NAN, NAN}), 0f);
    Network constant = identity(load("f = impute(x, value: -1)", 2, 2));
    assertTrue(constant.adapted(), "a constant needs no fitting");
    assertArrayEquals(new float[] {-1, 7}, predict(constant, new float[] {NAN, 7}), 0f);
  }

  @Test
  void rescaleMultipliesThenAdds() {
    Network net = identity(load("f = rescale(x, scale: 0.5, offset: -1)", 2, 2));
    assertTrue(net.adapted());
    assertArrayEquals(new float[] {0, 4}, predict(net, new float[] {2, 10}), 0f);
  }

  @Test
  void resizeIsBilinearWithHalfPixelCentres() {
    String text = """
        network R {
          input image: float[4, 4, 1]
          small = resize(image, height: 2, width: 2)
          f = flatten(small)
          output y = dense(f, units: 4)
          train { loss: mse }
        }
        """;
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("r.nnet", text, "pre", false));
    Network net;
    try {
      net = identity((Network) loader.loadClass("pre.R").getConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    float[] image = new float[16];
    for (int k = 0; k < 16; k++) {
      image[k] = k;
    }
    // Halving: each output pixel is the mean of a 2×2 block, e.g. (0 + 1 + 4 + 5) / 4 = 2.5.
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, predict(net, image), 1e-6f);
  }

  @Test
  void trainerFitsTheStagesOnTheTrainingDataOnly() {
    Network net = load("f = normalize(x)", 1, 1);
    Dataset train = Dataset.of(new float[] {1, 2, 3, 4}, 1, new float[4], 1);
    Dataset validation = Dataset.of(new float[] {100, 200}, 1, new float[2], 1);
    new Trainer(net.trainingConfig(), 1).fit(net, train, validation, java.util.List.of());
    assertEquals(2.5f, net.state()[0], 1e-6f, "mean of the training values, not the validation ones");
    assertEquals(1.25f, net.state()[1], 1e-6f, "variance of 1, 2, 3, 4");
    // Once fitted the statistics stay: a second fit on other data changes the weights, not them.
    new Trainer(net.trainingConfig(), 1).fit(net, validation);
    assertEquals(2.5f, net.state()[0], 1e-6f);
  }

  @Test
  void aSavedModelPredictsIdenticallyOnRawInputsAfterReload(@TempDir Path dir) throws Exception {
    Network trained = load("m = impute(x, strategy: mean)\n n = normalize(m)\n f = dense(n, units: 4, activation: tanh)", 3, 2);
    trained.initialize(7);
    trained.adapt(RAW, 0, 4);
    Path file = dir.resolve("p.safetensors");
    ModelFile.save(trained, file);
    Network reloaded = load("m = impute(x, strategy: mean)\n n = normalize(m)\n f = dense(n, units: 4, activation: tanh)", 3, 2);
    assertFalse(reloaded.adapted());
    ModelFile.load(reloaded, file);
    assertTrue(reloaded.adapted(), "the fitted statistics came with the model");
    float[] raw = {2, NAN, 8, 6, 25, 1, NAN, NAN, NAN};
    assertArrayEquals(predict(trained, raw), predict(reloaded, raw), 0f);
    for (float v : predict(reloaded, raw)) {
      assertTrue(Float.isFinite(v), "missing values were imputed");
    }
  }

  @Test
  void dataThatCannotBeFittedGetsAClearMessage() {
    Network impute = load("f = impute(x, strategy: median)", 2, 2);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> impute.adapt(new float[] {1, NAN, 2, NAN}, 0, 2));
    assertEquals("f: feature 1 is missing (NaN) in all 2 rows, so there is no median to impute; use strategy: constant",
        missing.getMessage());
    Network normalize = load("f = normalize(x)", 2, 2);
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> normalize.adapt(new float[] {1, 2, 3, NAN}, 0, 2));
    assertTrue(nan.getMessage().contains("put impute(...) before it"), nan.getMessage());
    assertThrows(IllegalArgumentException.class, () -> normalize.adapt(new float[4], 0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> normalize.adapt(new float[4], 0, 3));
  }

  /** Stages have no backward pass, and the layers after them still get exact gradients. */
  @Test
  void gradientsOfTheLayersAfterTheStagesMatchFiniteDifferences() {
    GradientCheckTest.checkGradients("""
        network Check {
          input x: float[2, 3]
          s = rescale(x, scale: 0.5, offset: 1)
          m = impute(s, value: 2)
          n = normalize(m)
          f = flatten(n)
          h = dense(f, units: 4, activation: tanh)
          output y = dense(h, units: 3, activation: softmax)
          train { loss: categorical_crossentropy }
        }
        """, "categorical_crossentropy");
  }

  /** Prediction and a training step through the stages allocate nothing (counted in bytes). */
  @Test
  void stagesAllocateNothingPerStepOrPrediction() {
    Network net = load("m = impute(x, strategy: mean)\n n = normalize(m)\n f = dense(n, units: 6, activation: relu)", 3, 2);
    float[] x = new float[8 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 5 == 0 ? Float.NaN : i * 0.1f;
    }
    net.adapt(x, 0, 8);
    float[] t = new float[8 * 2];
    float[] y = new float[8 * 2];
    Runnable work = () -> {
      net.computeGradients(x, 0, t, 0, 8);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 8);
    };
    for (int i = 0; i < 200; i++) {
      work.run();
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 1_000; i++) {
      work.run();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 1_000, allocated + " bytes allocated by 1,000 training steps and predictions");
    for (float v : y) {
      assertTrue(Float.isFinite(v), "missing inputs imputed");
    }
  }

  /** With several inputs, a stage fits on its own input's values, gathered out of each sample. */
  @Test
  void aStageOnOneOfSeveralInputsFitsOnThatInputOnly() {
    String text = """
        network Two {
          input a: float[2]
          input b: float[3]
          filled = impute(a, strategy: mean)
          both = concat(filled, b)
          output y = dense(both, units: 5)
          train { loss: mse }
        }
        """;
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("two.nnet", text, "pre", false));
    Network net;
    try {
      net = identity((Network) loader.loadClass("pre.Two").getConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    // Samples are a0 a1 b0 b1 b2; the a columns hold 1, 3 and 10, NaN, 20.
    float[] samples = {1, 10, 7, 7, 7, 3, NAN, 8, 8, 8, NAN, 20, 9, 9, 9};
    net.adapt(samples, 0, 3);
    assertArrayEquals(new float[] {2, 15}, Arrays.copyOf(net.state(), 2), 0f, "means of a's columns, NaN ignored");
    assertEquals(3, net.state().length, "two fill values and a count: b has no stage");
    assertArrayEquals(new float[] {2, 15, 1, 2, 3}, predict(net, new float[] {NAN, NAN, 1, 2, 3}), 0f);
  }
}
