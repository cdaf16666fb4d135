package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API kernels against the scalar kernels of the same network: forward values and
 * gradients must agree to float rounding, for widths that hit every blocking path (whole
 * 4-vector blocks, single vectors, masked tails) and batch sizes that leave row tails.
 */
class VectorKernelTest {

  static String network(int inputs, int hidden, int outputs, String activation, String loss, String outActivation) {
    return """
        network Wide {
          input x: float[%d]
          h = dense(x, units: %d, activation: %s)
          g = dense(h, units: %d, activation: tanh, use_bias: false)
          output y = dense(g, units: %d, activation: %s)
          train { loss: %s  batch: 9 }
        }
        """.formatted(inputs, hidden, activation, hidden + 3, outputs, outActivation, loss);
  }

  private static Network load(String text, boolean vector) {
    return load(text, vector, "Wide");
  }

  private static Network load(String text, boolean vector, String name) {
    ClassLoader loader = GeneratedCode.compileAndLoad(
        GeneratedCode.generate("wide.nnet", text, "gen", new NnetCompiler.Options(false, vector)));
    try {
      Class<?> type = loader.loadClass("gen." + name);
      if (vector) {
        assertTrue(type.getField("VECTOR").getBoolean(null),
            "the test JVM must run with --add-modules jdk.incubator.vector, or this test proves nothing");
      }
      return (Network) type.getConstructor(int.class).newInstance(9);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0}-{1}-{2} {3}, {4}, batch {6}")
  @CsvSource({
      "5, 7, 3, relu, categorical_crossentropy, softmax, 1",
      "33, 64, 10, relu, categorical_crossentropy, softmax, 9",
      "17, 70, 1, sigmoid, mean_squared_error, linear, 5",
      "70, 130, 16, tanh, mean_squared_error, sigmoid, 8",
      "4, 1, 2, linear, mean_squared_error, relu, 3",
      "9, 40, 5, gelu, categorical_crossentropy, softmax, 6",
      "9, 33, 2, swish, mean_squared_error, elu, 7",
      // Single rows over 8-vector blocks (widths of 128 and more), narrow heads of 10 and 1.
      "20, 150, 10, relu, categorical_crossentropy, softmax, 6",
      "200, 140, 1, relu, mean_squared_error, linear, 3",
  })
  void vectorKernelsMatchScalarKernels(int inputs, int hidden, int outputs, String activation, String loss,
      String outActivation, int batch) {
    String text = network(inputs, hidden, outputs, activation, loss, outActivation);
    Network scalar = load(text, false);
    Network vector = load(text, true);
    scalar.initialize(3);
    vector.initialize(3);
    SplittableRandom random = new SplittableRandom(17);
    float[] x = new float[batch * inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    float[] t = new float[batch * outputs];
    for (int b = 0; b < batch; b++) {
      t[b * outputs + random.nextInt(outputs)] = 1;
    }

    float[] ys = new float[batch * outputs];
    float[] yv = new float[batch * outputs];
    scalar.predictBatch(x, 0, ys, 0, batch);
    vector.predictBatch(x, 0, yv, 0, batch);
    for (int k = 0; k < ys.length; k++) {
      assertEquals(ys[k], yv[k], 1e-5f + 1e-4f * Math.abs(ys[k]), "output " + k);
    }

    // Fill the vector network's gradients with garbage: kernels must write, not add.
    java.util.Arrays.fill(vector.gradients(), 1e6f);
    float ls = scalar.computeGradients(x, 0, t, 0, batch);
    float lv = vector.computeGradients(x, 0, t, 0, batch);
    assertEquals(ls, lv, 1e-5f + 1e-4f * Math.abs(ls), "loss");
    float[] gs = scalar.gradients();
    float[] gv = vector.gradients();
    double scale = 0;
    for (float g : gs) {
      scale = Math.max(scale, Math.abs(g));
    }
    for (int k = 0; k < gs.length; k++) {
      assertEquals(gs[k], gv[k], 1e-4 * scale + 1e-6, "gradient " + k);
    }
  }

  /** A network used twice: the vector kernels add the second use's gradients to the first's. */
  @org.junit.jupiter.api.Test
  void sharedParametersGatherBothUsesInTheVectorKernels() {
    String text = """
        network Block {
          input v: float[40]
          h = dense(v, units: 40, activation: relu)
          output out = add(h, v)
        }
        network Twice {
          input x: float[40]
          a = Block(x)
          b = Block(a)
          output y = dense(b, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 6 }
        }
        """;
    Network scalar = load(text, false, "Twice");
    Network vector = load(text, true, "Twice");
    assertEquals(40 * 40 + 40 + 40 * 3 + 3, scalar.parameterCount(), "one Block's parameters, shared");
    scalar.initialize(5);
    vector.initialize(5);
    SplittableRandom random = new SplittableRandom(3);
    float[] x = new float[6 * 40];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    float[] t = new float[6 * 3];
    for (int b = 0; b < 6; b++) {
      t[b * 3 + b % 3] = 1;
    }
    scalar.computeGradients(x, 0, t, 0, 6);
    java.util.Arrays.fill(vector.gradients(), 1e6f);
    vector.computeGradients(x, 0, t, 0, 6);
    double scale = 0;
    for (float g : scalar.gradients()) {
      scale = Math.max(scale, Math.abs(g));
    }
    for (int k = 0; k < scalar.parameterCount(); k++) {
      assertEquals(scalar.gradients()[k], vector.gradients()[k], 1e-4 * scale + 1e-6, "gradient " + k);
    }
  }

  /**
   * A network of direct convolutions used twice (8 filters, then 16: both direct on 16-float
   * vectors): the direct kernel gradients add the second use's gradients to the first's.
   */
  @org.junit.jupiter.api.Test
  void sharedDirectConvolutionsGatherBothUses() {
    String text = """
        network Block {
          input v: float[10, 10, 1]
          a = conv2d(v, filters: 8, kernel_size: 3, activation: relu)
          output o = conv2d(a, filters: 16, kernel_size: 3, activation: tanh)
        }
        network Twice {
          input x: float[10, 10, 1]
          m = conv2d(x, filters: 1, kernel_size: 1, activation: tanh)
          a = Block(x)
          b = Block(m)
          c = add(a, b)
          f = flatten(c)
          output y = dense(f, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 6 }
        }
        """;
    Network scalar = load(text, false, "Twice");
    Network vector = load(text, true, "Twice");
    scalar.initialize(5);
    vector.initialize(5);
    SplittableRandom random = new SplittableRandom(3);
    float[] x = new float[6 * 100];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    float[] t = new float[6 * 3];
    for (int b = 0; b < 6; b++) {
      t[b * 3 + b % 3] = 1;
    }
    scalar.computeGradients(x, 0, t, 0, 6);
    java.util.Arrays.fill(vector.gradients(), 1e6f);
    vector.computeGradients(x, 0, t, 0, 6);
    double scale = 0;
    for (float g : scalar.gradients()) {
      scale = Math.max(scale, Math.abs(g));
    }
    assertTrue(scale > 1e-3, "all gradients near zero: the comparison would prove nothing");
    for (int k = 0; k < scalar.parameterCount(); k++) {
      assertEquals(scalar.gradients()[k], vector.gradients()[k], 1e-4 * scale + 1e-6, "gradient " + k);
    }
  }

  /**
   * The same input predicts the same bits before and after the JIT compiles the kernels. A vector
   * softmax with {@code lanewise(EXP)} failed this: its interpreted form (Math.exp per lane) and
   * its compiled form (the vector math library) differ in the last bit for some values.
   */
  @org.junit.jupiter.api.Test
  void predictionsDoNotDependOnTheJit() {
    String text = network(13, 37, 10, "relu", "categorical_crossentropy", "softmax")
        .replace("network Wide", "network Cold");
    Network net = load(text, true, "Cold");
    net.initialize(11);
    int batch = 64;
    SplittableRandom random = new SplittableRandom(5);
    float[] x = new float[batch * 13];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-8, 8);
    }
    float[] cold = new float[batch * 10];
    net.predictBatch(x, 0, cold, 0, batch);
    float[] warm = new float[cold.length];
    for (int round = 0; round < 20_000; round++) {
      net.predictBatch(x, 0, warm, 0, batch);
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(cold, warm,
        "predictions of the first call and after 20,000 calls");
  }
}
