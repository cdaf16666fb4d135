package dev.nnet.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Issue #6's measurement: a direct convolution against the generated im2col path, on W4's two
 * convolutions (28×28×1 → 26×26×8 and 13×13×8 → 11×11×16, 3×3 kernels, ReLU, batch 32),
 * forward and backward, in one JVM with the variants interleaved, medians over rounds.
 *
 * <p>The im2col side calls the methods the generator wrote into {@link MnistCnn} (its patch
 * copies, its {@code Simd} kernels, its col2im), so the probe always measures the current
 * generator. The direct side is hand-written here in the form a generator would emit: kernel taps
 * unrolled, each tap a broadcast input value times a contiguous vector of filters, accumulators
 * in registers, no patch matrix. The generator has since taken over the direct forwards, kernel
 * gradients and the second convolution's input gradient ({@code DirectConvolutionKernel}, used on
 * AVX-512); the probe times those generated methods too ("generated"), against the im2col methods
 * the generator still writes for other vector widths. Written for 16-float vectors (AVX-512, this machine); the
 * preferred species only, as in the generated code (a second species makes C2 box vectors).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/classes:... dev.nnet.bench.DirectConvolutionProbe [rounds]}
 */
public final class DirectConvolutionProbe {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final VectorMask<Float> SECOND_HALF =
      VectorMask.fromLong(SPECIES, ((1L << LANES) - 1) & ~((1L << (LANES / 2)) - 1));
  private static final int BATCH = 32;
  private static final int W1 = MnistCnn.C1_WEIGHTS_OFFSET;
  private static final int B1 = MnistCnn.C1_BIAS_OFFSET;
  private static final int W2 = MnistCnn.C2_WEIGHTS_OFFSET;
  private static final int B2 = MnistCnn.C2_BIAS_OFFSET;

  private static final MethodHandle C1_PATCHES = handle("dev.nnet.bench.MnistCnn", "c1Patches");
  private static final MethodHandle C2_PATCHES = handle("dev.nnet.bench.MnistCnn", "c2Patches");
  private static final MethodHandle C2_COL2IM = handle("dev.nnet.bench.MnistCnn", "c2PatchesBackward");
  private static final MethodHandle C1_FORWARD = handle("dev.nnet.bench.MnistCnn$Simd", "c1Forward");
  private static final MethodHandle C1_BACKWARD = handle("dev.nnet.bench.MnistCnn$Simd", "c1Backward");
  private static final MethodHandle C2_FORWARD = handle("dev.nnet.bench.MnistCnn$Simd", "c2Forward");
  private static final MethodHandle C2_BACKWARD = handle("dev.nnet.bench.MnistCnn$Simd", "c2Backward");
  private static final MethodHandle C2_BACKWARD_INPUT = handle("dev.nnet.bench.MnistCnn$Simd", "c2BackwardInput");
  /** The generated direct input gradient (DirectConvolutionKernel), which the generator now uses on AVX-512. */
  private static final MethodHandle C2_BACKWARD_INPUT_DIRECT =
      handle("dev.nnet.bench.MnistCnn$Simd", "c2BackwardInputDirect");
  /** The generated direct forwards and kernel gradients, which the generator uses on AVX-512 for both shapes. */
  private static final MethodHandle C1_FORWARD_DIRECT = handle("dev.nnet.bench.MnistCnn$Simd", "c1ForwardDirect");
  private static final MethodHandle C1_BACKWARD_DIRECT = handle("dev.nnet.bench.MnistCnn$Simd", "c1BackwardDirect");
  private static final MethodHandle C2_FORWARD_DIRECT = handle("dev.nnet.bench.MnistCnn$Simd", "c2ForwardDirect");
  private static final MethodHandle C2_BACKWARD_DIRECT = handle("dev.nnet.bench.MnistCnn$Simd", "c2BackwardDirect");

  private DirectConvolutionProbe() {}

  private static MethodHandle handle(String type, String name) {
    try {
      for (Method m : Class.forName(type).getDeclaredMethods()) {
        if (m.getName().equals(name)) {
          m.setAccessible(true);
          return MethodHandles.lookup().unreflect(m);
        }
      }
      throw new IllegalStateException("no method " + type + "." + name);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ buffers

  private final float[] p = new float[MnistCnn.PARAMETER_COUNT];
  private final float[] g = new float[MnistCnn.PARAMETER_COUNT];
  private final float[] x1 = new float[BATCH * 784];
  private final float[] patches1 = new float[BATCH * 676 * 9];
  private final float[] y1 = new float[BATCH * 676 * 8];
  private final float[] dy1 = new float[BATCH * 676 * 8];
  private final float[] pairs1 = new float[10 * 2 * 8];
  private final float[] x2 = new float[BATCH * 1352];
  private final float[] patches2 = new float[BATCH * 121 * 72];
  private final float[] y2 = new float[BATCH * 121 * 16];
  private final float[] dy2 = new float[BATCH * 121 * 16];
  private final float[] pairs2 = new float[73 * 2 * 16];
  private final float[] wt2 = new float[72 * 16];
  private final float[] dp2 = new float[BATCH * 121 * 72];
  private final float[] dx2 = new float[BATCH * 1352];
  private final float[] table2 = new float[16 * 3 * 4 * 16 + 16];
  private final float[] shifted2 = new float[16 * 3 * 2 * 2 * 16 + 16];

  // ------------------------------------------------------------------ im2col (the generated code)

  void im2colForward1() throws Throwable {
    C1_PATCHES.invokeExact(x1, 0, patches1, BATCH);
    C1_FORWARD.invokeExact(p, patches1, 0, y1, BATCH * 676, pairs1);
  }

  void im2colBackward1() throws Throwable {
    C1_BACKWARD.invokeExact(p, g, patches1, 0, y1, dy1, BATCH * 676, pairs1);
  }

  void im2colForward2() throws Throwable {
    C2_PATCHES.invokeExact(x2, 0, patches2, BATCH);
    C2_FORWARD.invokeExact(p, patches2, 0, y2, BATCH * 121, pairs2);
  }

  void im2colBackward2() throws Throwable {
    C2_BACKWARD.invokeExact(p, g, patches2, 0, y2, dy2, BATCH * 121, pairs2);
    C2_BACKWARD_INPUT.invokeExact(p, wt2, dy2, dp2, BATCH * 121);
    C2_COL2IM.invokeExact(dp2, dx2, BATCH);
  }

  // ------------------------------------------------------------------ direct, first convolution

  /**
   * 28×28×1 → 26×26×8: the nine kernel rows (8 filters each, duplicated to fill a 16-float
   * vector) stay in registers; each vector holds two neighbouring output positions.
   */
  static void directForward1(float[] p, float[] x, int xOffset, float[] y, int count, float[] pairs) {
    for (int t = 0; t < 9; t++) {
      System.arraycopy(p, W1 + t * 8, pairs, t * 16, 8);
      System.arraycopy(p, W1 + t * 8, pairs, t * 16 + 8, 8);
    }
    System.arraycopy(p, B1, pairs, 144, 8);
    System.arraycopy(p, B1, pairs, 152, 8);
    FloatVector w0 = FloatVector.fromArray(SPECIES, pairs, 0);
    FloatVector w1 = FloatVector.fromArray(SPECIES, pairs, 16);
    FloatVector w2 = FloatVector.fromArray(SPECIES, pairs, 32);
    FloatVector w3 = FloatVector.fromArray(SPECIES, pairs, 48);
    FloatVector w4 = FloatVector.fromArray(SPECIES, pairs, 64);
    FloatVector w5 = FloatVector.fromArray(SPECIES, pairs, 80);
    FloatVector w6 = FloatVector.fromArray(SPECIES, pairs, 96);
    FloatVector w7 = FloatVector.fromArray(SPECIES, pairs, 112);
    FloatVector w8 = FloatVector.fromArray(SPECIES, pairs, 128);
    FloatVector bias = FloatVector.fromArray(SPECIES, pairs, 144);
    for (int b = 0; b < count; b++) {
      for (int oy = 0; oy < 26; oy++) {
        int at = xOffset + b * 784 + oy * 28;
        int out = (b * 676 + oy * 26) * 8;
        for (int ox = 0; ox < 26; ox += 2) {
          int i = at + ox;
          FloatVector a = bias;
          FloatVector v0 = FloatVector.broadcast(SPECIES, x[i]);
          FloatVector v1 = FloatVector.broadcast(SPECIES, x[i + 1]);
          FloatVector v2 = FloatVector.broadcast(SPECIES, x[i + 2]);
          FloatVector v3 = FloatVector.broadcast(SPECIES, x[i + 3]);
          a = w0.fma(v0.blend(v1, SECOND_HALF), a);
          a = w1.fma(v1.blend(v2, SECOND_HALF), a);
          a = w2.fma(v2.blend(v3, SECOND_HALF), a);
          v0 = FloatVector.broadcast(SPECIES, x[i + 28]);
          v1 = FloatVector.broadcast(SPECIES, x[i + 29]);
          v2 = FloatVector.broadcast(SPECIES, x[i + 30]);
          v3 = FloatVector.broadcast(SPECIES, x[i + 31]);
          a = w3.fma(v0.blend(v1, SECOND_HALF), a);
          a = w4.fma(v1.blend(v2, SECOND_HALF), a);
          a = w5.fma(v2.blend(v3, SECOND_HALF), a);
          v0 = FloatVector.broadcast(SPECIES, x[i + 56]);
          v1 = FloatVector.broadcast(SPECIES, x[i + 57]);
          v2 = FloatVector.broadcast(SPECIES, x[i + 58]);
          v3 = FloatVector.broadcast(SPECIES, x[i + 59]);
          a = w6.fma(v0.blend(v1, SECOND_HALF), a);
          a = w7.fma(v1.blend(v2, SECOND_HALF), a);
          a = w8.fma(v2.blend(v3, SECOND_HALF), a);
          a.max(0f).intoArray(y, out + ox * 8);
        }
      }
    }
  }

  /** The kernel and bias gradients of the first convolution, reading the image itself. */
  static void directBackward1(float[] g, float[] x, int xOffset, float[] y, float[] dy, int count, float[] pairs) {
    int e = 0;
    for (; e + LANES <= count * 676 * 8; e += LANES) {
      FloatVector yv = FloatVector.fromArray(SPECIES, y, e);
      FloatVector.fromArray(SPECIES, dy, e).blend(0f, yv.compare(VectorOperators.LE, 0f)).intoArray(dy, e);
    }
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    FloatVector a6 = a0;
    FloatVector a7 = a0;
    FloatVector a8 = a0;
    FloatVector s = a0;
    for (int b = 0; b < count; b++) {
      for (int oy = 0; oy < 26; oy++) {
        int at = xOffset + b * 784 + oy * 28;
        int out = (b * 676 + oy * 26) * 8;
        for (int ox = 0; ox < 26; ox += 2) {
          int i = at + ox;
          FloatVector d = FloatVector.fromArray(SPECIES, dy, out + ox * 8);
          s = s.add(d);
          FloatVector v0 = FloatVector.broadcast(SPECIES, x[i]);
          FloatVector v1 = FloatVector.broadcast(SPECIES, x[i + 1]);
          FloatVector v2 = FloatVector.broadcast(SPECIES, x[i + 2]);
          FloatVector v3 = FloatVector.broadcast(SPECIES, x[i + 3]);
          a0 = d.fma(v0.blend(v1, SECOND_HALF), a0);
          a1 = d.fma(v1.blend(v2, SECOND_HALF), a1);
          a2 = d.fma(v2.blend(v3, SECOND_HALF), a2);
          v0 = FloatVector.broadcast(SPECIES, x[i + 28]);
          v1 = FloatVector.broadcast(SPECIES, x[i + 29]);
          v2 = FloatVector.broadcast(SPECIES, x[i + 30]);
          v3 = FloatVector.broadcast(SPECIES, x[i + 31]);
          a3 = d.fma(v0.blend(v1, SECOND_HALF), a3);
          a4 = d.fma(v1.blend(v2, SECOND_HALF), a4);
          a5 = d.fma(v2.blend(v3, SECOND_HALF), a5);
          v0 = FloatVector.broadcast(SPECIES, x[i + 56]);
          v1 = FloatVector.broadcast(SPECIES, x[i + 57]);
          v2 = FloatVector.broadcast(SPECIES, x[i + 58]);
          v3 = FloatVector.broadcast(SPECIES, x[i + 59]);
          a6 = d.fma(v0.blend(v1, SECOND_HALF), a6);
          a7 = d.fma(v1.blend(v2, SECOND_HALF), a7);
          a8 = d.fma(v2.blend(v3, SECOND_HALF), a8);
        }
      }
    }
    halves(a0, g, W1, pairs);
    halves(a1, g, W1 + 8, pairs);
    halves(a2, g, W1 + 16, pairs);
    halves(a3, g, W1 + 24, pairs);
    halves(a4, g, W1 + 32, pairs);
    halves(a5, g, W1 + 40, pairs);
    halves(a6, g, W1 + 48, pairs);
    halves(a7, g, W1 + 56, pairs);
    halves(a8, g, W1 + 64, pairs);
    halves(s, g, B1, pairs);
  }

  private static void halves(FloatVector v, float[] g, int at, float[] scratch) {
    v.intoArray(scratch, 0);
    for (int j = 0; j < 8; j++) {
      g[at + j] = scratch[j] + scratch[8 + j];
    }
  }

  // ------------------------------------------------------------------ direct, second convolution

  /** 13×13×8 → 11×11×16: a whole output row (11 positions × 16 filters) in registers. */
  static void directForward2(float[] p, float[] x, int xOffset, float[] y, int count) {
    FloatVector bias = FloatVector.fromArray(SPECIES, p, B2);
    for (int b = 0; b < count; b++) {
      for (int oy = 0; oy < 11; oy++) {
        int at = xOffset + b * 1352 + oy * 104;
        int out = (b * 121 + oy * 11) * 16;
        FloatVector a0 = bias;
        FloatVector a1 = bias;
        FloatVector a2 = bias;
        FloatVector a3 = bias;
        FloatVector a4 = bias;
        FloatVector a5 = bias;
        FloatVector a6 = bias;
        FloatVector a7 = bias;
        FloatVector a8 = bias;
        FloatVector a9 = bias;
        FloatVector a10 = bias;
        for (int ky = 0; ky < 3; ky++) {
          int row = at + ky * 104;
          int w = W2 + ky * 24 * 16;
          for (int q = 0; q < 24; q++) {
            FloatVector wv = FloatVector.fromArray(SPECIES, p, w + q * 16);
            int i = row + q;
            a0 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 0]), a0);
            a1 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 8]), a1);
            a2 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 16]), a2);
            a3 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 24]), a3);
            a4 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 32]), a4);
            a5 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 40]), a5);
            a6 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 48]), a6);
            a7 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 56]), a7);
            a8 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 64]), a8);
            a9 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 72]), a9);
            a10 = wv.fma(FloatVector.broadcast(SPECIES, x[i + 80]), a10);
          }
        }
        a0.max(0f).intoArray(y, out + 0);
        a1.max(0f).intoArray(y, out + 16);
        a2.max(0f).intoArray(y, out + 32);
        a3.max(0f).intoArray(y, out + 48);
        a4.max(0f).intoArray(y, out + 64);
        a5.max(0f).intoArray(y, out + 80);
        a6.max(0f).intoArray(y, out + 96);
        a7.max(0f).intoArray(y, out + 112);
        a8.max(0f).intoArray(y, out + 128);
        a9.max(0f).intoArray(y, out + 144);
        a10.max(0f).intoArray(y, out + 160);
      }
    }
  }

  /** Kernel gradient in blocks of 12 kernel values (half a kernel row) × 16 filters. */
  static void directBackward2Parameters12(float[] g, float[] x, int xOffset, float[] y, float[] dy, int count) {
    relu(y, dy, count * 121 * 16);
    for (int ky = 0; ky < 3; ky++) {
      for (int qb = 0; qb < 24; qb += 12) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector a2 = FloatVector.zero(SPECIES);
        FloatVector a3 = FloatVector.zero(SPECIES);
        FloatVector a4 = FloatVector.zero(SPECIES);
        FloatVector a5 = FloatVector.zero(SPECIES);
        FloatVector a6 = FloatVector.zero(SPECIES);
        FloatVector a7 = FloatVector.zero(SPECIES);
        FloatVector a8 = FloatVector.zero(SPECIES);
        FloatVector a9 = FloatVector.zero(SPECIES);
        FloatVector a10 = FloatVector.zero(SPECIES);
        FloatVector a11 = FloatVector.zero(SPECIES);
        for (int b = 0; b < count; b++) {
          for (int oy = 0; oy < 11; oy++) {
            int i0 = xOffset + b * 1352 + (oy + ky) * 104 + qb;
            int d0 = (b * 121 + oy * 11) * 16;
            for (int ox = 0; ox < 11; ox++) {
              int i = i0 + ox * 8;
              FloatVector d = FloatVector.fromArray(SPECIES, dy, d0 + ox * 16);
              a0 = d.fma(FloatVector.broadcast(SPECIES, x[i + 0]), a0);
              a1 = d.fma(FloatVector.broadcast(SPECIES, x[i + 1]), a1);
              a2 = d.fma(FloatVector.broadcast(SPECIES, x[i + 2]), a2);
              a3 = d.fma(FloatVector.broadcast(SPECIES, x[i + 3]), a3);
              a4 = d.fma(FloatVector.broadcast(SPECIES, x[i + 4]), a4);
              a5 = d.fma(FloatVector.broadcast(SPECIES, x[i + 5]), a5);
              a6 = d.fma(FloatVector.broadcast(SPECIES, x[i + 6]), a6);
              a7 = d.fma(FloatVector.broadcast(SPECIES, x[i + 7]), a7);
              a8 = d.fma(FloatVector.broadcast(SPECIES, x[i + 8]), a8);
              a9 = d.fma(FloatVector.broadcast(SPECIES, x[i + 9]), a9);
              a10 = d.fma(FloatVector.broadcast(SPECIES, x[i + 10]), a10);
              a11 = d.fma(FloatVector.broadcast(SPECIES, x[i + 11]), a11);
            }
          }
        }
        a0.intoArray(g, W2 + (ky * 24 + qb + 0) * 16);
        a1.intoArray(g, W2 + (ky * 24 + qb + 1) * 16);
        a2.intoArray(g, W2 + (ky * 24 + qb + 2) * 16);
        a3.intoArray(g, W2 + (ky * 24 + qb + 3) * 16);
        a4.intoArray(g, W2 + (ky * 24 + qb + 4) * 16);
        a5.intoArray(g, W2 + (ky * 24 + qb + 5) * 16);
        a6.intoArray(g, W2 + (ky * 24 + qb + 6) * 16);
        a7.intoArray(g, W2 + (ky * 24 + qb + 7) * 16);
        a8.intoArray(g, W2 + (ky * 24 + qb + 8) * 16);
        a9.intoArray(g, W2 + (ky * 24 + qb + 9) * 16);
        a10.intoArray(g, W2 + (ky * 24 + qb + 10) * 16);
        a11.intoArray(g, W2 + (ky * 24 + qb + 11) * 16);
      }
    }
    biasGradient2(g, dy, count);
  }

  /** Kernel gradient in blocks of 24 kernel values (a whole kernel row) × 16 filters. */
  static void directBackward2Parameters24(float[] g, float[] x, int xOffset, float[] y, float[] dy, int count) {
    relu(y, dy, count * 121 * 16);
    for (int ky = 0; ky < 3; ky++) {
      int qb = 0;
      {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector a2 = FloatVector.zero(SPECIES);
        FloatVector a3 = FloatVector.zero(SPECIES);
        FloatVector a4 = FloatVector.zero(SPECIES);
        FloatVector a5 = FloatVector.zero(SPECIES);
        FloatVector a6 = FloatVector.zero(SPECIES);
        FloatVector a7 = FloatVector.zero(SPECIES);
        FloatVector a8 = FloatVector.zero(SPECIES);
        FloatVector a9 = FloatVector.zero(SPECIES);
        FloatVector a10 = FloatVector.zero(SPECIES);
        FloatVector a11 = FloatVector.zero(SPECIES);
        FloatVector a12 = FloatVector.zero(SPECIES);
        FloatVector a13 = FloatVector.zero(SPECIES);
        FloatVector a14 = FloatVector.zero(SPECIES);
        FloatVector a15 = FloatVector.zero(SPECIES);
        FloatVector a16 = FloatVector.zero(SPECIES);
        FloatVector a17 = FloatVector.zero(SPECIES);
        FloatVector a18 = FloatVector.zero(SPECIES);
        FloatVector a19 = FloatVector.zero(SPECIES);
        FloatVector a20 = FloatVector.zero(SPECIES);
        FloatVector a21 = FloatVector.zero(SPECIES);
        FloatVector a22 = FloatVector.zero(SPECIES);
        FloatVector a23 = FloatVector.zero(SPECIES);
        for (int b = 0; b < count; b++) {
          for (int oy = 0; oy < 11; oy++) {
            int i0 = xOffset + b * 1352 + (oy + ky) * 104 + qb;
            int d0 = (b * 121 + oy * 11) * 16;
            for (int ox = 0; ox < 11; ox++) {
              int i = i0 + ox * 8;
              FloatVector d = FloatVector.fromArray(SPECIES, dy, d0 + ox * 16);
              a0 = d.fma(FloatVector.broadcast(SPECIES, x[i + 0]), a0);
              a1 = d.fma(FloatVector.broadcast(SPECIES, x[i + 1]), a1);
              a2 = d.fma(FloatVector.broadcast(SPECIES, x[i + 2]), a2);
              a3 = d.fma(FloatVector.broadcast(SPECIES, x[i + 3]), a3);
              a4 = d.fma(FloatVector.broadcast(SPECIES, x[i + 4]), a4);
              a5 = d.fma(FloatVector.broadcast(SPECIES, x[i + 5]), a5);
              a6 = d.fma(FloatVector.broadcast(SPECIES, x[i + 6]), a6);
              a7 = d.fma(FloatVector.broadcast(SPECIES, x[i + 7]), a7);
              a8 = d.fma(FloatVector.broadcast(SPECIES, x[i + 8]), a8);
              a9 = d.fma(FloatVector.broadcast(SPECIES, x[i + 9]), a9);
              a10 = d.fma(FloatVector.broadcast(SPECIES, x[i + 10]), a10);
              a11 = d.fma(FloatVector.broadcast(SPECIES, x[i + 11]), a11);
              a12 = d.fma(FloatVector.broadcast(SPECIES, x[i + 12]), a12);
              a13 = d.fma(FloatVector.broadcast(SPECIES, x[i + 13]), a13);
              a14 = d.fma(FloatVector.broadcast(SPECIES, x[i + 14]), a14);
              a15 = d.fma(FloatVector.broadcast(SPECIES, x[i + 15]), a15);
              a16 = d.fma(FloatVector.broadcast(SPECIES, x[i + 16]), a16);
              a17 = d.fma(FloatVector.broadcast(SPECIES, x[i + 17]), a17);
              a18 = d.fma(FloatVector.broadcast(SPECIES, x[i + 18]), a18);
              a19 = d.fma(FloatVector.broadcast(SPECIES, x[i + 19]), a19);
              a20 = d.fma(FloatVector.broadcast(SPECIES, x[i + 20]), a20);
              a21 = d.fma(FloatVector.broadcast(SPECIES, x[i + 21]), a21);
              a22 = d.fma(FloatVector.broadcast(SPECIES, x[i + 22]), a22);
              a23 = d.fma(FloatVector.broadcast(SPECIES, x[i + 23]), a23);
            }
          }
        }
        a0.intoArray(g, W2 + (ky * 24 + qb + 0) * 16);
        a1.intoArray(g, W2 + (ky * 24 + qb + 1) * 16);
        a2.intoArray(g, W2 + (ky * 24 + qb + 2) * 16);
        a3.intoArray(g, W2 + (ky * 24 + qb + 3) * 16);
        a4.intoArray(g, W2 + (ky * 24 + qb + 4) * 16);
        a5.intoArray(g, W2 + (ky * 24 + qb + 5) * 16);
        a6.intoArray(g, W2 + (ky * 24 + qb + 6) * 16);
        a7.intoArray(g, W2 + (ky * 24 + qb + 7) * 16);
        a8.intoArray(g, W2 + (ky * 24 + qb + 8) * 16);
        a9.intoArray(g, W2 + (ky * 24 + qb + 9) * 16);
        a10.intoArray(g, W2 + (ky * 24 + qb + 10) * 16);
        a11.intoArray(g, W2 + (ky * 24 + qb + 11) * 16);
        a12.intoArray(g, W2 + (ky * 24 + qb + 12) * 16);
        a13.intoArray(g, W2 + (ky * 24 + qb + 13) * 16);
        a14.intoArray(g, W2 + (ky * 24 + qb + 14) * 16);
        a15.intoArray(g, W2 + (ky * 24 + qb + 15) * 16);
        a16.intoArray(g, W2 + (ky * 24 + qb + 16) * 16);
        a17.intoArray(g, W2 + (ky * 24 + qb + 17) * 16);
        a18.intoArray(g, W2 + (ky * 24 + qb + 18) * 16);
        a19.intoArray(g, W2 + (ky * 24 + qb + 19) * 16);
        a20.intoArray(g, W2 + (ky * 24 + qb + 20) * 16);
        a21.intoArray(g, W2 + (ky * 24 + qb + 21) * 16);
        a22.intoArray(g, W2 + (ky * 24 + qb + 22) * 16);
        a23.intoArray(g, W2 + (ky * 24 + qb + 23) * 16);

      }
    }
    biasGradient2(g, dy, count);
  }

  private static void relu(float[] y, float[] dy, int n) {
    int e = 0;
    for (; e + LANES <= n; e += LANES) {
      FloatVector yv = FloatVector.fromArray(SPECIES, y, e);
      FloatVector.fromArray(SPECIES, dy, e).blend(0f, yv.compare(VectorOperators.LE, 0f)).intoArray(dy, e);
    }
  }

  private static void biasGradient2(float[] g, float[] dy, int count) {
    FloatVector sum = FloatVector.zero(SPECIES);
    for (int r = 0; r < count * 121; r++) {
      sum = sum.add(FloatVector.fromArray(SPECIES, dy, r * 16));
    }
    sum.intoArray(g, B2);
  }

  /**
   * Input gradient without a patch matrix: two neighbouring output positions' kernel rows cover
   * 32 contiguous input values (24 each, 8 apart), so each pair adds two vectors per kernel row
   * into dx, from four shifted copies of each transposed kernel row (made once per batch).
   */
  static void directBackward2Input(float[] p, float[] table, float[] dy, float[] dx, int count) {
    Arrays.fill(table, 0f);
    for (int f = 0; f < 16; f++) {
      for (int ky = 0; ky < 3; ky++) {
        int t = (f * 3 + ky) * 64;
        for (int q = 0; q < 24; q++) {
          float w = p[W2 + (ky * 24 + q) * 16 + f];
          if (q < 16) {
            table[t + q] = w; // A: first position, values 0..15
          } else {
            table[t + 32 + q - 16] = w; // C: first position, values 16..23
          }
          if (q < 8) {
            table[t + 16 + 8 + q] = w; // B: second position, values 0..7 at 8..15
          } else {
            table[t + 48 + q - 8] = w; // D: second position, values 8..23
          }
        }
      }
    }
    Arrays.fill(dx, 0, count * 1352, 0f);
    for (int b = 0; b < count; b++) {
      for (int oy = 0; oy < 11; oy++) {
        int in = b * 1352 + oy * 104;
        int d = (b * 121 + oy * 11) * 16;
        for (int ox = 0; ox < 10; ox += 2) {
          FloatVector l0 = FloatVector.zero(SPECIES);
          FloatVector h0 = l0;
          FloatVector l1 = l0;
          FloatVector h1 = l0;
          FloatVector l2 = l0;
          FloatVector h2 = l0;
          FloatVector m0 = l0;
          FloatVector n0 = l0;
          FloatVector m1 = l0;
          FloatVector n1 = l0;
          FloatVector m2 = l0;
          FloatVector n2 = l0;
          int d0 = d + ox * 16;
          for (int f = 0; f < 16; f++) {
            FloatVector e0 = FloatVector.broadcast(SPECIES, dy[d0 + f]);
            FloatVector e1 = FloatVector.broadcast(SPECIES, dy[d0 + 16 + f]);
            int t = f * 192;
            l0 = FloatVector.fromArray(SPECIES, table, t).fma(e0, l0);
            m0 = FloatVector.fromArray(SPECIES, table, t + 16).fma(e1, m0);
            h0 = FloatVector.fromArray(SPECIES, table, t + 32).fma(e0, h0);
            n0 = FloatVector.fromArray(SPECIES, table, t + 48).fma(e1, n0);
            l1 = FloatVector.fromArray(SPECIES, table, t + 64).fma(e0, l1);
            m1 = FloatVector.fromArray(SPECIES, table, t + 80).fma(e1, m1);
            h1 = FloatVector.fromArray(SPECIES, table, t + 96).fma(e0, h1);
            n1 = FloatVector.fromArray(SPECIES, table, t + 112).fma(e1, n1);
            l2 = FloatVector.fromArray(SPECIES, table, t + 128).fma(e0, l2);
            m2 = FloatVector.fromArray(SPECIES, table, t + 144).fma(e1, m2);
            h2 = FloatVector.fromArray(SPECIES, table, t + 160).fma(e0, h2);
            n2 = FloatVector.fromArray(SPECIES, table, t + 176).fma(e1, n2);
          }
          int at = in + ox * 8;
          l0.add(m0).add(FloatVector.fromArray(SPECIES, dx, at)).intoArray(dx, at);
          h0.add(n0).add(FloatVector.fromArray(SPECIES, dx, at + 16)).intoArray(dx, at + 16);
          l1.add(m1).add(FloatVector.fromArray(SPECIES, dx, at + 104)).intoArray(dx, at + 104);
          h1.add(n1).add(FloatVector.fromArray(SPECIES, dx, at + 120)).intoArray(dx, at + 120);
          l2.add(m2).add(FloatVector.fromArray(SPECIES, dx, at + 208)).intoArray(dx, at + 208);
          h2.add(n2).add(FloatVector.fromArray(SPECIES, dx, at + 224)).intoArray(dx, at + 224);
        }
        // The eleventh position alone: its last 8 values per kernel row through scratch.
        FloatVector l0 = FloatVector.zero(SPECIES);
        FloatVector h0 = l0;
        FloatVector l1 = l0;
        FloatVector h1 = l0;
        FloatVector l2 = l0;
        FloatVector h2 = l0;
        int d0 = d + 10 * 16;
        for (int f = 0; f < 16; f++) {
          FloatVector e0 = FloatVector.broadcast(SPECIES, dy[d0 + f]);
          int t = f * 192;
          l0 = FloatVector.fromArray(SPECIES, table, t).fma(e0, l0);
          h0 = FloatVector.fromArray(SPECIES, table, t + 32).fma(e0, h0);
          l1 = FloatVector.fromArray(SPECIES, table, t + 64).fma(e0, l1);
          h1 = FloatVector.fromArray(SPECIES, table, t + 96).fma(e0, h1);
          l2 = FloatVector.fromArray(SPECIES, table, t + 128).fma(e0, l2);
          h2 = FloatVector.fromArray(SPECIES, table, t + 160).fma(e0, h2);
        }
        int at = in + 80;
        l0.add(FloatVector.fromArray(SPECIES, dx, at)).intoArray(dx, at);
        l1.add(FloatVector.fromArray(SPECIES, dx, at + 104)).intoArray(dx, at + 104);
        l2.add(FloatVector.fromArray(SPECIES, dx, at + 208)).intoArray(dx, at + 208);
        int scratch = 16 * 3 * 4 * 16;
        h0.intoArray(table, scratch);
        for (int k = 0; k < 8; k++) {
          dx[at + 16 + k] += table[scratch + k];
        }
        h1.intoArray(table, scratch);
        for (int k = 0; k < 8; k++) {
          dx[at + 120 + k] += table[scratch + k];
        }
        h2.intoArray(table, scratch);
        for (int k = 0; k < 8; k++) {
          dx[at + 224 + k] += table[scratch + k];
        }
      }
    }
  }

  void im2colBackward2Parameters() throws Throwable {
    C2_BACKWARD.invokeExact(p, g, patches2, 0, y2, dy2, BATCH * 121, pairs2);
  }

  void im2colBackward2Input() throws Throwable {
    C2_BACKWARD_INPUT.invokeExact(p, wt2, dy2, dp2, BATCH * 121);
    C2_COL2IM.invokeExact(dp2, dx2, BATCH);
  }

  void generatedDirectBackward2Input() throws Throwable {
    C2_BACKWARD_INPUT_DIRECT.invokeExact(p, shifted2, dy2, dx2, BATCH);
  }

  void generatedForward1() throws Throwable {
    C1_FORWARD_DIRECT.invokeExact(p, x1, 0, y1, BATCH, pairs1);
  }

  void generatedBackward1() throws Throwable {
    C1_BACKWARD_DIRECT.invokeExact(p, g, x1, 0, y1, dy1, BATCH, pairs1);
  }

  void generatedForward2() throws Throwable {
    C2_FORWARD_DIRECT.invokeExact(p, x2, 0, y2, BATCH, pairs2);
  }

  void generatedBackward2Parameters() throws Throwable {
    C2_BACKWARD_DIRECT.invokeExact(p, g, x2, 0, y2, dy2, BATCH, pairs2);
  }

  /** The second convolution's whole backward as the generator now emits it on AVX-512. */
  void generatedBackward2() throws Throwable {
    generatedBackward2Parameters();
    generatedDirectBackward2Input();
  }

  void directF1() {
    directForward1(p, x1, 0, y1, BATCH, pairs1);
  }

  void directB1() {
    directBackward1(g, x1, 0, y1, dy1, BATCH, pairs1);
  }

  void directF2() {
    directForward2(p, x2, 0, y2, BATCH);
  }

  void directB2(boolean wide) {
    if (wide) {
      directBackward2Parameters24(g, x2, 0, y2, dy2, BATCH);
    } else {
      directBackward2Parameters12(g, x2, 0, y2, dy2, BATCH);
    }
    directBackward2Input(p, table2, dy2, dx2, BATCH);
  }

  // ------------------------------------------------------------------ checks and timing

  private void fill(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (random.nextDouble() - 0.5) * 0.5f;
    }
    for (int i = 0; i < x1.length; i++) {
      x1[i] = (float) random.nextDouble();
    }
    for (int i = 0; i < x2.length; i++) {
      x2[i] = (float) Math.max(0, random.nextDouble() - 0.3);
    }
  }

  private void gradients(float[] dy, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < dy.length; i++) {
      dy[i] = (float) (random.nextDouble() - 0.5);
    }
  }

  private static double difference(float[] a, float[] b, int from, int to) {
    double worst = 0;
    for (int i = from; i < to; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
    }
    return worst;
  }

  /** The direct code against the generated code: outputs and gradients agree to float rounding. */
  private void check() throws Throwable {
    fill(1);
    im2colForward1();
    float[] y1Reference = y1.clone();
    Arrays.fill(y1, 0);
    directF1();
    report("first conv forward", difference(y1Reference, y1, 0, y1.length));
    Arrays.fill(y1, 0);
    generatedForward1();
    report("first conv forward (generated direct)", difference(y1Reference, y1, 0, y1.length));
    gradients(dy1, 2);
    im2colBackward1();
    float[] g1Reference = g.clone();
    Arrays.fill(g, 0);
    gradients(dy1, 2);
    directB1();
    report("first conv kernel+bias gradient", difference(g1Reference, g, W1, B1 + 8));
    Arrays.fill(g, 0);
    gradients(dy1, 2);
    generatedBackward1();
    report("first conv kernel+bias gradient (generated direct)", difference(g1Reference, g, W1, B1 + 8));
    im2colForward2();
    float[] y2Reference = y2.clone();
    Arrays.fill(y2, 0);
    directF2();
    report("second conv forward", difference(y2Reference, y2, 0, y2.length));
    Arrays.fill(y2, 0);
    generatedForward2();
    report("second conv forward (generated direct)", difference(y2Reference, y2, 0, y2.length));
    gradients(dy2, 3);
    im2colBackward2();
    float[] g2Reference = g.clone();
    float[] dx2Reference = dx2.clone();
    for (boolean wide : new boolean[] {false, true}) {
      Arrays.fill(g, 0);
      Arrays.fill(dx2, 0);
      gradients(dy2, 3);
      directB2(wide);
      report("second conv kernel+bias gradient (" + (wide ? 24 : 12) + " per block)",
          difference(g2Reference, g, W2, B2 + 16));
      report("second conv input gradient", difference(dx2Reference, dx2, 0, dx2.length));
    }
    Arrays.fill(g, 0);
    gradients(dy2, 3);
    generatedBackward2Parameters();
    report("second conv kernel+bias gradient (generated direct)", difference(g2Reference, g, W2, B2 + 16));
    Arrays.fill(dx2, 0);
    generatedDirectBackward2Input();
    report("second conv input gradient (generated direct)", difference(dx2Reference, dx2, 0, dx2.length));
  }

  private static void report(String what, double difference) {
    System.out.printf("check %-48s largest relative difference %.2e%n", what, difference);
    if (!(difference < 1e-4)) {
      throw new AssertionError(what + ": the direct code disagrees with the generated code");
    }
  }

  private interface Task {
    void run() throws Throwable;
  }

  public static void main(String[] args) throws Throwable {
    if (LANES != 16) {
      System.out.println("this probe's direct code is written for 16-float vectors; LANES = " + LANES);
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    DirectConvolutionProbe probe = new DirectConvolutionProbe();
    probe.check();
    probe.fill(4);
    probe.gradients(probe.dy1, 5);
    probe.gradients(probe.dy2, 6);
    String[] names = {
        "conv1 forward   im2col", "conv1 forward   direct",
        "conv1 backward  im2col", "conv1 backward  direct",
        "conv2 forward   im2col", "conv2 forward   direct",
        "conv2 backward  im2col", "conv2 backward  direct(12)", "conv2 backward  direct(24)",
        "  conv2 kernel grad  im2col", "  conv2 kernel grad  direct(12)", "  conv2 kernel grad  direct(24)",
        "  conv2 input grad   im2col", "  conv2 input grad   direct", "  conv2 input grad   generated",
        "conv1 forward   generated", "conv1 backward  generated", "conv2 forward   generated",
        "conv2 backward  generated", "  conv2 kernel grad  generated"};
    Task[] tasks = {
        probe::im2colForward1, probe::directF1,
        probe::im2colBackward1, probe::directB1,
        probe::im2colForward2, probe::directF2,
        probe::im2colBackward2, () -> probe.directB2(false), () -> probe.directB2(true),
        probe::im2colBackward2Parameters,
        () -> directBackward2Parameters12(probe.g, probe.x2, 0, probe.y2, probe.dy2, BATCH),
        () -> directBackward2Parameters24(probe.g, probe.x2, 0, probe.y2, probe.dy2, BATCH),
        probe::im2colBackward2Input, () -> directBackward2Input(probe.p, probe.table2, probe.dy2, probe.dx2, BATCH),
        probe::generatedDirectBackward2Input,
        probe::generatedForward1, probe::generatedBackward1, probe::generatedForward2,
        probe::generatedBackward2, probe::generatedBackward2Parameters};
    // Warm-up: every variant until C2 has compiled it.
    for (int i = 0; i < 3000; i++) {
      for (Task task : tasks) {
        task.run();
      }
    }
    int calls = 100;
    double[][] micros = new double[tasks.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int t = 0; t < tasks.length; t++) {
        int which = (t + r) % tasks.length; // rotate the order, so drift hits every variant
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          tasks[which].run();
        }
        micros[which][r] = (System.nanoTime() - start) / 1e3 / calls;
      }
    }
    System.out.println("µs per batch of 32 (median of " + rounds + " rounds of " + calls + " calls; min, max);"
        + " forward includes the patch copy, conv2 backward the kernel, bias and input gradients and col2im:");
    for (int t = 0; t < tasks.length; t++) {
      double[] sorted = micros[t].clone();
      Arrays.sort(sorted);
      System.out.printf("%-32s %8.1f   (%.1f, %.1f)%n", names[t], sorted[rounds / 2], sorted[0], sorted[rounds - 1]);
    }
  }
}
