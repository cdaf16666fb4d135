package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnet.runtime.DoubleNetwork;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code upsampling2d} and {@code conv2d_transpose}: the generated backward pass against central
 * finite differences in double precision, the forward pass against a plain reference written
 * the other way round (each output value gathers from the inputs, where the generated code
 * scatters), and convolutional residual blocks (identity and 1×1 projection shortcuts), which
 * are conv2d and add.
 */
class UpsamplingTest {

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of("upsampling size 2 after a conv", "[3, 3, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 2, padding: same, activation: tanh)
            u = upsampling2d(c, size: 2)
            k = conv2d(u, filters: 2, kernel_size: 3)
            f = flatten(k)"""),
        Arguments.of("upsampling [2, 3] over 17 channels (copied by arraycopy)", "[2, 2, 1]", """
            c = conv2d(x, filters: 17, kernel_size: 1, activation: tanh)
            u = upsampling2d(c, size: [2, 3])
            k = conv2d(u, filters: 2, kernel_size: 2, strides: 2)
            f = flatten(k)"""),
        Arguments.of("transpose 3x3 strides 2 valid, relu", "[3, 3, 2]", """
            c = conv2d(x, filters: 3, kernel_size: 1, activation: tanh)
            t = conv2d_transpose(c, filters: 2, kernel_size: 3, strides: 2, activation: relu)
            f = flatten(t)"""),
        Arguments.of("transpose 3x3 strides 2 same, sigmoid", "[3, 4, 2]", """
            c = conv2d(x, filters: 2, kernel_size: 1)
            t = conv2d_transpose(c, filters: 3, kernel_size: 3, strides: 2, padding: same, activation: sigmoid)
            f = flatten(t)"""),
        Arguments.of("transpose [2, 3] strides [1, 2] same (bottom-heavy padding), then conv", "[3, 3, 1]", """
            c = conv2d(x, filters: 2, kernel_size: 2, padding: same, activation: tanh)
            t = conv2d_transpose(c, filters: 2, kernel_size: [2, 3], strides: [1, 2], padding: same)
            k = conv2d(t, filters: 2, kernel_size: 2)
            f = flatten(k)"""),
        Arguments.of("transpose kernel 1 strides 3 (gaps), no bias, regularized", "[2, 2, 3]", """
            c = conv2d(x, filters: 2, kernel_size: 1)
            t = conv2d_transpose(c, filters: 2, kernel_size: 1, strides: 3, use_bias: false, kernel_regularizer: l2(0.05))
            f = flatten(t)"""),
        Arguments.of("transpose 4x4 strides 2 same, swish (keeps its linear values)", "[2, 2, 2]", """
            c = conv2d(x, filters: 2, kernel_size: 1, activation: tanh)
            t = conv2d_transpose(c, filters: 2, kernel_size: 4, strides: 2, padding: same, activation: swish,
                bias_regularizer: l1(0.02))
            f = flatten(t)"""),
        Arguments.of("two transposes in a row, the first's input gradient added to a shortcut", "[2, 2, 2]", """
            c = conv2d(x, filters: 2, kernel_size: 1, activation: tanh)
            t = conv2d_transpose(c, filters: 2, kernel_size: 2, strides: 2, activation: elu)
            s = conv2d_transpose(t, filters: 2, kernel_size: 3, padding: same)
            u = upsampling2d(c, size: 2)
            a = add(s, u)
            f = flatten(a)"""),
        Arguments.of("conv autoencoder: pool down, upsample and transpose up", "[4, 4, 1]", """
            c = conv2d(x, filters: 2, kernel_size: 3, padding: same, activation: relu)
            m = maxpool2d(c, pool_size: 2)
            u = upsampling2d(m, size: 2)
            t = conv2d_transpose(u, filters: 1, kernel_size: 3, padding: same, activation: sigmoid)
            f = flatten(t)"""),
        Arguments.of("residual block, identity shortcut", "[5, 5, 3]", """
            c = conv2d(x, filters: 3, kernel_size: 3, padding: same, activation: relu)
            k = conv2d(c, filters: 3, kernel_size: 3, padding: same)
            s = add(k, x)
            r = relu(s)
            f = flatten(r)"""),
        Arguments.of("residual block, 1x1 projection shortcut with strides", "[6, 6, 2]", """
            c = conv2d(x, filters: 4, kernel_size: 3, strides: 2, padding: same, activation: relu)
            k = conv2d(c, filters: 4, kernel_size: 3, padding: same)
            p = conv2d(x, filters: 4, kernel_size: 1, strides: 2)
            s = add(k, p)
            r = relu(s)
            f = flatten(r)"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void backwardMatchesFiniteDifferences(String name, String shape, String body) {
    String text = """
        network Check {
          input x: float%s
        %s
          output y = dense(f, units: 3, activation: softmax)
          train { loss: categorical_crossentropy  batch: 3 }
        }
        """.formatted(shape, body.indent(2));
    GradientCheckTest.checkGradients(text, "categorical_crossentropy");
  }

  @Test
  void transposeOfAStridedKernelOverlapsItsWindows() {
    // [1, 2] through kernel [1, 1, 1] with stride 2: the windows overlap in the middle value.
    DoubleNetwork net = single("[1, 2, 1]", "filters: 1, kernel_size: [1, 3], strides: [1, 2], use_bias: false");
    assertEquals(5, net.outputSize());
    java.util.Arrays.fill(net.parameters(), 1);
    double[] y = new double[5];
    net.predict(new double[] {1, 2}, 0, y, 0);
    assertArrayEquals(new double[] {1, 1, 3, 2, 2}, y, 0);
  }

  @Test
  void transposeWithAOnesKernelOfItsStrideIsNearestUpsampling() {
    DoubleNetwork transpose = single("[3, 2, 2]", "filters: 2, kernel_size: 2, strides: 2, use_bias: false");
    // upsampling2d, then a 1×1 convolution set to the identity so that the network has parameters.
    DoubleNetwork upsample = GeneratedCode.instantiate("""
        network Up {
          input x: float[3, 2, 2]
          u = upsampling2d(x, size: 2)
          k = conv2d(u, filters: 2, kernel_size: 1, use_bias: false)
          output y = flatten(k)
          train { loss: mse }
        }
        """, "UpDouble", 1, DoubleNetwork.class);
    java.util.Arrays.fill(upsample.parameters(), 0);
    upsample.parameters()[0] = 1;
    upsample.parameters()[3] = 1;
    // Kernel [ky, kx, filter, channel]: 1 where filter == channel, so each channel is copied.
    double[] p = transpose.parameters();
    java.util.Arrays.fill(p, 0);
    for (int tap = 0; tap < 4; tap++) {
      p[tap * 4] = 1;
      p[tap * 4 + 3] = 1;
    }
    double[] x = new double[12];
    for (int i = 0; i < x.length; i++) {
      x[i] = i - 5.5;
    }
    double[] viaTranspose = new double[transpose.outputSize()];
    double[] viaUpsampling = new double[upsample.outputSize()];
    transpose.predict(x, 0, viaTranspose, 0);
    upsample.predict(x, 0, viaUpsampling, 0);
    assertEquals(48, viaUpsampling.length);
    assertArrayEquals(viaUpsampling, viaTranspose, 0);
    assertEquals(-5.5, viaUpsampling[0]);
    assertEquals(-5.5, viaUpsampling[2]);
    assertEquals(-5.5, viaUpsampling[8 + 2]);
    assertEquals(-4.5, viaUpsampling[1]);
  }

  static Stream<Arguments> options() {
    return Stream.of(
        Arguments.of("[3, 3, 2]", 3, 3, 3, 2, 2, false),
        Arguments.of("[3, 3, 2]", 3, 3, 3, 2, 2, true),
        Arguments.of("[2, 3, 3]", 2, 4, 4, 2, 2, true),
        Arguments.of("[3, 2, 1]", 2, 2, 3, 1, 2, true),
        Arguments.of("[2, 2, 2]", 3, 1, 1, 3, 3, false),
        Arguments.of("[4, 3, 2]", 2, 5, 3, 2, 1, true),
        Arguments.of("[2, 2, 1]", 1, 3, 3, 1, 1, false));
  }

  @ParameterizedTest(name = "input {0}, {1} filters, kernel {2}x{3}, strides {4}x{5}, same {6}")
  @MethodSource("options")
  void transposeForwardMatchesAGatheringReference(String shape, int filters, int kh, int kw, int sh, int sw,
      boolean same) {
    DoubleNetwork net = single(shape, "filters: " + filters + ", kernel_size: [" + kh + ", " + kw + "], strides: ["
        + sh + ", " + sw + "], padding: " + (same ? "same" : "valid"));
    String[] dims = shape.replaceAll("[\\[\\] ]", "").split(",");
    int ih = Integer.parseInt(dims[0]);
    int iw = Integer.parseInt(dims[1]);
    int channels = Integer.parseInt(dims[2]);
    // Keras: same gives in · stride; valid adds max(kernel - stride, 0).
    int oh = same ? ih * sh : ih * sh + Math.max(kh - sh, 0);
    int ow = same ? iw * sw : iw * sw + Math.max(kw - sw, 0);
    assertEquals(oh * ow * filters, net.outputSize());
    // TensorFlow pads the convolution this transposes by max(kernel - stride, 0), the smaller half on top.
    int padTop = same ? Math.max(kh - sh, 0) / 2 : 0;
    int padLeft = same ? Math.max(kw - sw, 0) / 2 : 0;
    SplittableRandom random = new SplittableRandom(7);
    double[] p = net.parameters();
    for (int k = 0; k < p.length; k++) {
      p[k] = random.nextDouble(-1, 1);
    }
    double[] x = new double[ih * iw * channels];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextDouble(-1, 1);
    }
    double[] y = new double[net.outputSize()];
    net.predict(x, 0, y, 0);
    int bias = kh * kw * filters * channels;
    for (int oy = 0; oy < oh; oy++) {
      for (int ox = 0; ox < ow; ox++) {
        for (int f = 0; f < filters; f++) {
          double expected = p[bias + f];
          for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
              int ty = oy + padTop - ky;
              int tx = ox + padLeft - kx;
              if (ty % sh != 0 || tx % sw != 0 || ty < 0 || tx < 0 || ty / sh >= ih || tx / sw >= iw) {
                continue;
              }
              for (int c = 0; c < channels; c++) {
                expected += x[((ty / sh) * iw + tx / sw) * channels + c]
                    * p[((ky * kw + kx) * filters + f) * channels + c];
              }
            }
          }
          assertEquals(expected, y[(oy * ow + ox) * filters + f], 1e-12, "output (" + oy + ", " + ox + ", " + f + ")");
        }
      }
    }
  }

  /** A network of one conv2d_transpose with these options, flattened, as its double class. */
  private static DoubleNetwork single(String shape, String options) {
    return GeneratedCode.instantiate("""
        network One {
          input x: float%s
          t = conv2d_transpose(x, %s)
          output y = flatten(t)
          train { loss: mse }
        }
        """.formatted(shape, options), "OneDouble", 1, DoubleNetwork.class);
  }

  /** A convolutional autoencoder with every new layer and activation path: encoder conv + pool, decoder up. */
  private static final String AUTOENCODER = """
      network ConvAuto {
        input image: float[12, 12, 1]
        n = gaussian_noise(image, stddev: 0.2)
        c = conv2d(n, filters: 8, kernel_size: 3, padding: same, activation: relu)
        m = maxpool2d(c, pool_size: 2)
        e = conv2d(m, filters: 4, kernel_size: 3, padding: same, activation: relu)
        p = maxpool2d(e, pool_size: 2)
        t = conv2d_transpose(p, filters: 8, kernel_size: 3, strides: 2, padding: same, activation: swish)
        u = upsampling2d(t, size: 2)
        r = conv2d_transpose(u, filters: 4, kernel_size: 2, activation: relu, kernel_regularizer: l2(0.001))
        output y = conv2d(r, filters: 1, kernel_size: 2, activation: sigmoid)
        train { loss: binary_crossentropy  batch: 8 }
      }
      """;

  @Test
  void aConvolutionalAutoencoderAllocatesNothingPerStepOrPrediction() throws ReflectiveOperationException {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("auto.nnet", AUTOENCODER, "gen", false));
    dev.nnet.runtime.Network net = (dev.nnet.runtime.Network) loader.loadClass("gen.ConvAuto")
        .getConstructor(int.class).newInstance(8);
    assertEquals(144, net.outputSize());
    float[] x = new float[8 * 144];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i * 7 % 11) / 10f;
    }
    float[] y = new float[x.length];
    dev.nnet.runtime.optim.Adam adam = new dev.nnet.runtime.optim.Adam(0.01);
    dev.nnet.runtime.optim.OptimizerState state = adam.newState(net.parameterCount());
    long[] seed = {0};
    Runnable work = () -> {
      net.seedTraining(seed[0]++);
      net.computeGradients(x, 0, x, 0, 8);
      adam.step(net.parameters(), net.gradients(), state, 0.01);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 8);
    };
    // Warm up until C2 has compiled the step (the interpreter and C1 box the Vector API's vectors).
    for (int i = 0; i < 3_000; i++) {
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
    org.junit.jupiter.api.Assertions.assertTrue(allocated < 1_000,
        allocated + " bytes allocated by 1,000 autoencoder training steps and predictions");
  }

  /** Wide layers and large repetition factors: loops stay loops. */
  private static final String WIDE = """
      network Wide {
        input code: float[4, 4, 64]
        u = upsampling2d(code, size: [3, 40])
        t = conv2d_transpose(u, filters: 48, kernel_size: 5, strides: 2, padding: same, activation: gelu,
            kernel_regularizer: l1(0.001))
        s = upsampling2d(code, size: 2)
        v = conv2d_transpose(s, filters: 16, kernel_size: [7, 3], strides: [1, 4], activation: tanh)
        a = flatten(t)
        b = flatten(v)
        j = concat(a, b)
        output y = dense(j, units: 3, activation: softmax)
        train { loss: categorical_crossentropy  batch: 4 }
      }
      """;

  @ParameterizedTest(name = "vector kernels: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void everyGeneratedMethodStaysBelowTheJitLimit(boolean vector) throws java.io.IOException {
    java.util.Map<String, byte[]> classes = GeneratedCode.classFiles(
        GeneratedCode.generate("wide.nnet", WIDE, "gen", new NnetCompiler.Options(true, vector)));
    int methods = MethodSizeTest.assertEveryMethodBelowTheLimit(classes);
    org.junit.jupiter.api.Assertions.assertTrue(methods > 20, "read only " + methods + " methods");
  }
}
