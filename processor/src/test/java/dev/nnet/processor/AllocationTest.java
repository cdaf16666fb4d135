package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.OptimizerState;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
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
    Runnable work = trainAndPredict(net, x, t, y, 8);
    for (int i = 0; i < 200; i++) {
      work.run();
    }
    long allocated = bytesAllocated(work, 1_000);
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
    Runnable work = trainAndPredict(net, x, t, y, 8);
    // Warm up until C2 has compiled the step methods with the Vector API code inlined (the
    // interpreter and C1 box vectors).
    for (int i = 0; i < 3_000; i++) {
      work.run();
    }
    long allocated = bytesAllocated(work, 1_000);
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
    Runnable work = trainAndPredict(net, x, t, y, 8);
    for (int i = 0; i < 2_000; i++) {
      work.run();
    }
    long allocated = bytesAllocated(work, 500);
    assertTrue(allocated < 1_000, allocated + " bytes allocated by 500 transformer training steps and predictions");
  }

  /** W5's LSTM, then a GRU and an RNN of 20 units (whole vectors and a scalar tail), on the Vector API path. */
  private static final String RECURRENT_VECTOR = """
      network SeqVector {
        input years: float[24, 1]
        s = lstm(years, units: 32, return_sequences: true)
        g = gru(s, units: 20, return_sequences: true)
        r = rnn(g, units: 20)
        output next = dense(r, units: 1)
        train { loss: mean_squared_error  batch: 16 }
      }
      """;

  /**
   * The vector cells apply sigmoid and tanh through {@code Simd.sigmoid} and {@code Simd.tanh}
   * over gate rows: no vector escapes a method, so C2 boxes none.
   */
  @Test
  void recurrentVectorCellsAllocateNothingPerStepOrPrediction() throws ReflectiveOperationException {
    // JDK 17's tiered policy can strand a method in C1's limited-profile tier for good: when C2's
    // queue is long (the whole suite shares this JVM), a method goes to tier 2, and if C1's
    // profiling compile of it then fails ("out of virtual registers in linear scan", seen for
    // these large Vector API kernels), the policy never moves it on to C2, and the uncompiled
    // vector operations box (about 1 MB per step). That is the JIT's state, not this code's, so
    // a fresh copy of the class (fresh methods, a fresh chance) is measured again, up to three
    // times; code that allocates would allocate in every copy.
    List<Long> attempts = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("seqv.nnet", RECURRENT_VECTOR, "gen",
          new NnetCompiler.Options(false, true)));
      long allocated = vectorRecurrentAllocation(loader.loadClass("gen.SeqVector"));
      attempts.add(allocated);
      if (allocated < 1_000) {
        return;
      }
    }
    fail("bytes allocated by 1,000 vector recurrent training steps and predictions, in three fresh copies of the "
        + "class: " + attempts);
  }

  /** Bytes allocated by 1,000 steps and predictions of {@code type}, after its warm-up. */
  private static long vectorRecurrentAllocation(Class<?> type) throws ReflectiveOperationException {
    assertTrue(type.getField("VECTOR").getBoolean(null),
        "the test JVM must run with --add-modules jdk.incubator.vector, or this test proves nothing");
    Network net = (Network) type.getConstructor(int.class).newInstance(16);
    float[] x = new float[16 * 24];
    float[] t = new float[16];
    float[] y = new float[16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.3) * 2;
    }
    for (int b = 0; b < 16; b++) {
      t[b] = (float) Math.cos(b);
    }
    Adam adam = new Adam(0.01);
    OptimizerState state = adam.newState(net.parameterCount());
    Runnable step = () -> {
      net.computeGradients(x, 0, t, 0, 16);
      adam.step(net.parameters(), net.gradients(), state, 0.01);
    };
    // Warm-up in blocks. Interleaving one-sample predictions with batches of 16 from the start
    // keeps the input projection's vector kernel (Simd.<layer>Projection, one input feature) out
    // of C2 for good, boxing about 1 MB per step: measured the same with the cells' old
    // lanewise(EXP) code, so a matter of the dense kernel, not of the cells.
    for (int i = 0; i < 2_000; i++) {
      step.run();
    }
    for (int i = 0; i < 1_000; i++) {
      net.predict(x, 0, y, 0);
    }
    for (int i = 0; i < 1_000; i++) {
      net.predictBatch(x, 0, y, 0, 16);
    }
    return bytesAllocated(() -> {
      step.run();
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 16);
    }, 1_000);
  }

  /**
   * One training step as the trainer takes it (the dropout stream reseeded first), then a
   * one-sample and a batch prediction.
   */
  private static Runnable trainAndPredict(Network net, float[] x, float[] t, float[] y, int batch) {
    Adam adam = new Adam(0.01);
    OptimizerState state = adam.newState(net.parameterCount());
    long[] seed = {0};
    return () -> {
      net.seedTraining(seed[0]++);
      net.computeGradients(x, 0, t, 0, batch);
      adam.step(net.parameters(), net.gradients(), state, 0.01);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, batch);
    };
  }

  /** Bytes this thread allocates running {@code work} {@code runs} times. */
  private static long bytesAllocated(Runnable work, int runs) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < runs; i++) {
      work.run();
    }
    return threads.getThreadAllocatedBytes(thread) - before;
  }
}
