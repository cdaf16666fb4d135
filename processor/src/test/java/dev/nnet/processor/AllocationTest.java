package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.OptimizerState;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A training step and a prediction allocate nothing: counted in bytes, not timed. */
class AllocationTest {
  private static final String NETWORK = """
      network Alloc {
        input x: float[12]
        h = dense(x, units: 20, activation: relu)
        d = dropout(h, rate: 0.25)
        d = gaussian_noise(d, stddev: 0.1)
        m = dense(d, units: 6)
        v = dense(d, units: 6)
        d = gaussian_sample(m, v, kl_weight: 0.1)
        output y = dense(d, units: 4, activation: softmax)
        train { loss: categorical_crossentropy  batch: 8 }
      }
      """;

  @Test
  void scalarKernelsAllocateNothingPerStepOrPrediction() throws ReflectiveOperationException {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("alloc.nnet", NETWORK, "gen", false));
    Network net = (Network) loader.loadClass("gen.Alloc").getConstructor(int.class).newInstance(8);
    float[] x = new float[8 * 12];
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
    long[] seed = {0};
    Runnable work = () -> {
      // The trainer reseeds the dropout stream before every step.
      net.seedTraining(seed[0]++);
      net.computeGradients(x, 0, t, 0, 8);
      adam.step(net.parameters(), net.gradients(), state, 0.01);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 8);
    };
    for (int i = 0; i < 200; i++) {
      work.run();
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 1_000; i++) {
      work.run();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    // A step that allocated anything would allocate at least 16 bytes, 16,000 in all; the
    // allocation counter itself may cost a few bytes.
    assertTrue(allocated < 1_000, allocated + " bytes allocated by 1,000 training steps and predictions");
  }

  private static final String RECURRENT = """
      network Seq {
        input tokens: float[10]
        e = embedding(tokens, input_dim: 50, output_dim: 8, mask_zero: true)
        s = bidirectional(e, lstm(units: 12, return_sequences: true))
        g = gru(s, units: 9)
        output y = dense(g, units: 4, activation: softmax)
        train { loss: categorical_crossentropy  batch: 8 }
      }
      """;

  /** Back-propagation through time keeps every step's values in preallocated buffers. */
  @Test
  void recurrentLayersAllocateNothingPerStepOrPrediction() throws ReflectiveOperationException {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("seq.nnet", RECURRENT, "gen", false));
    Network net = (Network) loader.loadClass("gen.Seq").getConstructor(int.class).newInstance(8);
    float[] x = new float[8 * 10];
    float[] t = new float[8 * 4];
    float[] y = new float[8 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 10 < i / 10 % 3 ? 0 : (i * 7) % 50; // some padding (0) at the start of samples
    }
    for (int b = 0; b < 8; b++) {
      t[b * 4 + b % 4] = 1;
    }
    Adam adam = new Adam(0.01);
    OptimizerState state = adam.newState(net.parameterCount());
    long[] seed = {0};
    Runnable work = () -> {
      // The trainer reseeds the dropout stream before every step.
      net.seedTraining(seed[0]++);
      net.computeGradients(x, 0, t, 0, 8);
      adam.step(net.parameters(), net.gradients(), state, 0.01);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 8);
    };
    // Warm up until C2 has compiled the step methods with the Vector API code inlined (the
    // interpreter and C1 box vectors).
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
    assertTrue(allocated < 1_000, allocated + " bytes allocated by 1,000 recurrent training steps and predictions");
  }

  private static final String TRANSFORMER = """
      network Block {
        input x: float[10, 16]
        a = multi_head_attention(x, heads: 4)
        r = add(x, a)
        n = layer_norm(r)
        f = time_distributed(n, dense(units: 32))
        g = gelu(f)
        o = time_distributed(g, dense(units: 16))
        s = add(n, o)
        output y = layer_norm(s)
      }
      network Encoder {
        input tokens: float[10]
        e = embedding(tokens, input_dim: 50, output_dim: 16, mask_zero: true)
        p = positional_embedding(e)
        b1 = Block(p, shared: false)
        b2 = Block(b1, shared: false)
        c = multi_head_attention(b2, heads: 2, causal: true, dropout: 0.1)
        h = globalavgpool1d(c)
        output y = dense(h, units: 4, activation: softmax)
        train { loss: categorical_crossentropy  batch: 8 }
      }
      """;

  /** Attention keeps its queries, keys, values and weights in preallocated buffers. */
  @Test
  void transformerLayersAllocateNothingPerStepOrPrediction() throws ReflectiveOperationException {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("tf.nnet", TRANSFORMER, "gen", false));
    Network net = (Network) loader.loadClass("gen.Encoder").getConstructor(int.class).newInstance(8);
    float[] x = new float[8 * 10];
    float[] t = new float[8 * 4];
    float[] y = new float[8 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 10 < i / 10 % 3 ? 0 : (i * 7) % 50; // some padding (0) at the start of samples
    }
    for (int b = 0; b < 8; b++) {
      t[b * 4 + b % 4] = 1;
    }
    Adam adam = new Adam(0.01);
    OptimizerState state = adam.newState(net.parameterCount());
    long[] seed = {0};
    Runnable work = () -> {
      net.seedTraining(seed[0]++);
      net.computeGradients(x, 0, t, 0, 8);
      adam.step(net.parameters(), net.gradients(), state, 0.01);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 8);
    };
    for (int i = 0; i < 2_000; i++) {
      work.run();
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 500; i++) {
      work.run();
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 1_000, allocated + " bytes allocated by 500 transformer training steps and predictions");
  }
}
