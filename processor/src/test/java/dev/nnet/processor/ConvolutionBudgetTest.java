package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.OptimizerState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The budgets of convolutional networks: no bytes allocated per training step or prediction
 * (scalar and Vector API kernels), and no generated method beyond HotSpot's 8,000-byte limit,
 * with large kernels, many channels and every layer kind of the convolution family. Both networks
 * have convolutions the generator makes direct on 16-float vectors (8 filters over an even width;
 * 32 and 64 filters) beside ones it leaves to im2col.
 */
class ConvolutionBudgetTest {
  private static final String SMALL = """
      network Small {
        input image: float[12, 12, 1]
        c = conv2d(image, filters: 8, kernel_size: 3, activation: relu)
        p = maxpool2d(c, pool_size: 2)
        s = spatial_dropout2d(p, rate: 0.2)
        k = conv2d(s, filters: 16, kernel_size: 3, padding: same, activation: relu)
        a = avgpool2d(k, pool_size: 2, padding: same)
        n = batch_norm(a)
        g = globalmaxpool2d(n)
        v = conv2d(p, filters: 32, kernel_size: 3, activation: tanh)
        w = globalavgpool2d(v)
        gw = concat(g, w)
        output y = dense(gw, units: 4, activation: softmax)
        train { loss: categorical_crossentropy  batch: 8 }
      }
      """;

  private static final String LARGE = """
      network Large {
        input image: float[64, 64, 3]
        a = conv2d(image, filters: 64, kernel_size: 7, strides: 2, padding: same, activation: relu)
        b = maxpool2d(a, pool_size: 3, strides: 2, padding: same)
        c = conv2d(b, filters: 128, kernel_size: [5, 5], dilation: 2, padding: same, activation: swish)
        d = conv2d(c, filters: 40, kernel_size: 1, activation: tanh)
        e = avgpool2d(d, pool_size: 5, strides: 1)
        r = reshape(e, shape: [144, 40])
        f = conv1d(r, filters: 24, kernel_size: 9, padding: same)
        g = flatten(f)
        h = conv2d(b, filters: 64, kernel_size: 5, strides: 2, activation: relu)
        q = conv2d(image, filters: 8, kernel_size: 2, strides: 2, activation: relu)
        ha = globalavgpool2d(h)
        qm = globalmaxpool2d(q)
        hq = concat(ha, qm)
        gh = concat(g, hq)
        output y = dense(gh, units: 10, activation: softmax)
        train { loss: categorical_crossentropy  batch: 64 }
      }
      """;

  @ParameterizedTest(name = "vector kernels: {0}")
  @ValueSource(booleans = {false, true})
  void aStepAndAPredictionAllocateNothing(boolean vector) throws ReflectiveOperationException {
    ClassLoader loader = GeneratedCode.compileAndLoad(
        GeneratedCode.generate("small.nnet", SMALL, "gen", new NnetCompiler.Options(false, vector)));
    Class<?> type = loader.loadClass("gen.Small");
    if (vector) {
      assertTrue(type.getField("VECTOR").getBoolean(null), "the test JVM must run with the Vector API module");
    }
    Network net = (Network) type.getConstructor(int.class).newInstance(8);
    float[] x = new float[8 * net.inputSize()];
    float[] t = new float[8 * 4];
    float[] y = new float[8 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 7) * 0.1f;
    }
    for (int b = 0; b < 8; b++) {
      t[b * 4 + b % 4] = 1;
    }
    Adam adam = new Adam(0.01);
    OptimizerState state = adam.newState(net.parameterCount());
    Runnable work = () -> {
      net.computeGradients(x, 0, t, 0, 8);
      adam.step(net.parameters(), net.gradients(), state, 0.01);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 8);
    };
    // Enough rounds for C2 to compile the kernels: until then vector operations allocate.
    for (int i = 0; i < 3_000; i++) {
      work.run();
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 1_000; i++) {
      work.run();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 1_000, allocated + " bytes allocated by 1,000 training steps and predictions");
  }

  @ParameterizedTest(name = "vector kernels: {0}")
  @ValueSource(booleans = {false, true})
  void everyGeneratedMethodStaysBelowTheJitLimit(boolean vector) throws IOException {
    Map<String, byte[]> classes = GeneratedCode.classFiles(
        GeneratedCode.generate("large.nnet", LARGE, "gen", new NnetCompiler.Options(true, vector)));
    int methods = MethodSizeTest.assertEveryMethodBelowTheLimit(classes);
    assertTrue(methods > 30, "read only " + methods + " methods: the class-file reader is off");
  }
}
