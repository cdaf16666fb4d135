package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Vector API convolution kernels against the scalar ones of the same network: outputs and
 * gradients agree to float rounding, for filter counts and patch sizes that hit every blocking
 * path (whole column blocks, partial blocks of patch values, scalar column tails, row tails), and
 * max pools over channels that fill whole vectors, half vectors (two positions per vector, with an
 * odd last position) or neither.
 */
class ConvolutionVectorKernelTest {

  private static Network load(String text, boolean vector) {
    ClassLoader loader = GeneratedCode.compileAndLoad(
        GeneratedCode.generate("conv.nnet", text, "gen", new NnetCompiler.Options(false, vector)));
    try {
      Class<?> type = loader.loadClass("gen.Conv");
      if (vector) {
        assertTrue(type.getField("VECTOR").getBoolean(null),
            "the test JVM must run with --add-modules jdk.incubator.vector, or this test proves nothing");
      }
      return (Network) type.getConstructor(int.class).newInstance(5);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "[{0}] conv {1}@{2} then {3}@{4}, {5}, batch {6}")
  @CsvSource({
      "'9, 9, 1', 8, 3, 16, 3, relu, 5",
      "'8, 7, 3', 5, 2, 20, 3, tanh, 3",
      "'7, 7, 2', 32, 3, 64, 2, relu, 2",
      "'6, 6, 4', 24, 1, 9, 3, linear, 4",
      "'8, 8, 1', 3, 3, 8, 3, swish, 1",
  })
  void vectorKernelsMatchScalarKernels(String shape, int filters1, int kernel1, int filters2, int kernel2,
      String activation, int batch) {
    String text = """
        network Conv {
          input x: float[%s]
          a = conv2d(x, filters: %d, kernel_size: %d, activation: %s)
          b = conv2d(a, filters: %d, kernel_size: %d, padding: same, activation: %s)
          c = conv2d(a, filters: %d, kernel_size: 1)
          d = concat(b, c)
          m = maxpool2d(a, pool_size: 2)
          n = maxpool2d(d, pool_size: 3, strides: [1, 2])
          f = flatten(d)
          g = flatten(m)
          h = flatten(n)
          e = concat(f, g, h)
          output y = dense(e, units: 4, activation: softmax)
          train { loss: categorical_crossentropy  batch: 5 }
        }
        """.formatted(shape, filters1, kernel1, activation, filters2, kernel2, activation, filters2);
    compare(text, batch);
  }

  /**
   * Second convolutions with stride 1, no padding and kernel rows (plus one shift of the channels)
   * of whole 16-float vectors: their input gradient comes straight from dy on AVX-512
   * ({@code DirectConvolutionKernel}); the first convolution's gradients depend on it. Even and
   * odd output widths, one or several vectors per kernel row, tails of the odd last position, and
   * an input with a second consumer (the pool), whose gradient the direct path must add to.
   */
  @ParameterizedTest(name = "[{0}] conv {1} then {2}@{3}, {4}, pool beside: {5}, batch {6}")
  @CsvSource({
      "'12, 12, 1', 8, 16, 3, relu, false, 3",
      "'13, 13, 1', 8, 5, 3, tanh, true, 2",
      "'13, 13, 1', 8, 16, 3, relu, true, 4",
      "'9, 9, 2', 4, 16, 3, linear, false, 3",
      "'12, 12, 1', 2, 3, 7, swish, true, 2",
  })
  void directInputGradientMatchesScalarKernels(String shape, int filters1, int filters2, int kernel2,
      String activation, boolean pool, int batch) {
    String text = """
        network Conv {
          input x: float[%s]
          a = conv2d(x, filters: %d, kernel_size: 3, activation: relu)
          b = conv2d(a, filters: %d, kernel_size: %d, activation: %s)
          f = flatten(b)
          %s
          train { loss: categorical_crossentropy  batch: 5 }
        }
        """.formatted(shape, filters1, filters2, kernel2, activation, pool
        ? "m = maxpool2d(a, pool_size: 2)\n  g = flatten(m)\n  e = concat(f, g)\n  output y = dense(e, units: 4, activation: softmax)"
        : "output y = dense(f, units: 4, activation: softmax)");
    compare(text, batch);
  }

  /**
   * Convolutions whose forward and kernel gradient read the image directly on 16-float vectors
   * ({@code DirectConvolutionKernel.form}): 8 filters (two positions per vector) over one or
   * several channels, with strides, without bias; 16, 32 and 64 filters (one to four vectors,
   * blocks of an output row with a remainder), with each activation form (fused ReLU, activation
   * after, swish's kept linear values); the input gradient behind them direct or through the patch
   * gradient; an input with a second consumer; conv1d; and beside them shapes the rule leaves to
   * im2col (an odd width with 8 filters, padding, dilation, 24 filters). {@code a}'s second
   * consumer {@code m} makes {@code b}'s input gradient add to what it holds.
   */
  @ParameterizedTest(name = "[{0}] {1}, batch {2}")
  @CsvSource(delimiter = '|', value = {
      "12, 12, 1 | a = conv2d(x, filters: 8, kernel_size: 3, activation: relu); b = conv2d(a, filters: 16, kernel_size: 3, activation: relu) | 3",
      "9, 9, 3 | a = conv2d(x, filters: 8, kernel_size: 2, strides: 2, activation: tanh); b = conv2d(a, filters: 32, kernel_size: 2, activation: linear) | 2",
      "10, 11, 1 | a = conv2d(x, filters: 8, kernel_size: [3, 2], use_bias: false, activation: swish); b = conv2d(a, filters: 64, kernel_size: [2, 3], strides: [1, 2], activation: sigmoid) | 2",
      "9, 9, 1 | a = conv2d(x, filters: 8, kernel_size: 3, activation: relu); b = conv2d(a, filters: 16, kernel_size: 3, padding: same, activation: relu) | 3",
      "9, 9, 2 | a = conv2d(x, filters: 16, kernel_size: 2, dilation: 2, activation: relu); b = conv2d(a, filters: 24, kernel_size: 3, activation: gelu) | 2",
      "14, 14, 1 | a = conv2d(x, filters: 16, kernel_size: 5, strides: 3, activation: elu); b = conv2d(a, filters: 16, kernel_size: 1, activation: relu) | 4",
      "20, 1 | a = conv1d(x, filters: 8, kernel_size: 3, activation: relu); b = conv1d(a, filters: 16, kernel_size: 5, strides: 2, activation: tanh) | 3",
  })
  void directForwardAndKernelGradientMatchScalarKernels(String shape, String layers, int batch) {
    String text = """
        network Conv {
          input x: float[%s]
          %s
          m = %s
          f = flatten(b)
          g = flatten(m)
          e = concat(f, g)
          output y = dense(e, units: 4, activation: softmax)
          train { loss: categorical_crossentropy  batch: 5 }
        }
        """.formatted(shape, layers.replace("; ", "\n  "), shape.split(",").length == 2
        ? "conv1d(a, filters: 2, kernel_size: 1)" : "maxpool2d(a, pool_size: 2)");
    compare(text, batch);
  }

  private static void compare(String text, int batch) {
    Network scalar = load(text, false);
    Network vector = load(text, true);
    scalar.initialize(3);
    vector.initialize(3);
    SplittableRandom random = new SplittableRandom(17);
    int inputs = scalar.inputSize();
    float[] x = new float[batch * inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    float[] t = new float[batch * 4];
    for (int b = 0; b < batch; b++) {
      t[b * 4 + random.nextInt(4)] = 1;
    }
    float[] ys = new float[batch * 4];
    float[] yv = new float[batch * 4];
    scalar.predictBatch(x, 0, ys, 0, batch);
    vector.predictBatch(x, 0, yv, 0, batch);
    for (int k = 0; k < ys.length; k++) {
      assertEquals(ys[k], yv[k], 1e-5, "output " + k);
    }
    float ls = scalar.computeGradients(x, 0, t, 0, batch);
    float lv = vector.computeGradients(x, 0, t, 0, batch);
    assertEquals(ls, lv, 1e-5, "loss");
    float largest = 0;
    for (int k = 0; k < scalar.parameterCount(); k++) {
      float expected = scalar.gradients()[k];
      assertEquals(expected, vector.gradients()[k], 1e-5 + 1e-4 * Math.abs(expected), "gradient " + k);
      largest = Math.max(largest, Math.abs(expected));
    }
    assertTrue(largest > 1e-3, "all gradients near zero: the comparison would prove nothing");
  }
}
