package dev.nnet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nnet.processor.ir.Window;
import java.util.Arrays;

/**
 * A convolution's input gradient computed directly from {@code dy}, without the patch gradient
 * matrix and col2im, in Vector API code for 16-float vectors (AVX-512).
 *
 * <p>With stride 1 and no dilation, one output position's kernel row covers {@code kernel width ×
 * channels} contiguous input values, and the next position's kernel row the same values shifted by
 * {@code channels}. When the two together span a whole number of vectors (W4's second convolution:
 * 24 + 8 = 32 = two vectors), each pair of positions adds those vectors into {@code dx}, from two
 * shifted copies of each transposed kernel row made once per batch: every multiply-add is a
 * vector {@code fma}, with no scalar tail and no second pass.
 *
 * <p>Why (issue #6, {@code DirectConvolutionProbe} in the benchmarks module, W4, batch 32, median µs
 * per batch over 41 interleaved rounds on the shared machine): the im2col input gradient of
 * 13×13×8 → 11×11×16 ({@code dy · Wᵀ} into the patch gradient, whose 72 columns leave a scalar tail
 * of 8, then the scalar col2im adds) took 460 µs; this method 218 µs (the probe's hand-written form
 * 157). W4 training went from about 21,000 to 25,000 samples/s (1 thread). The other passes are
 * still im2col in the generator; see {@link SpatialCode}.
 */
final class DirectConvolutionKernel {
  /** The vector width the generated method is written for; other widths keep the im2col path. */
  static final int LANES = 16;
  /** Accumulators per pair of positions: kernel rows × vectors × 2 (one set per position). */
  private static final int MAX_ACCUMULATORS = 16;
  private static final ClassName FLOAT_VECTOR = VectorDenseKernel.FLOAT_VECTOR;

  private DirectConvolutionKernel() {}

  /** Whether the direct input gradient applies to this window (16-float vectors assumed). */
  static boolean inputGradientApplies(Window w) {
    int row = w.kernelWidth() * w.channels();
    int span = row + w.channels();
    return w.strideHeight() == 1 && w.strideWidth() == 1 && w.dilationHeight() == 1 && w.dilationWidth() == 1
        && !w.padded() && span % LANES == 0 && w.kernelHeight() * (span / LANES) * 2 <= MAX_ACCUMULATORS;
  }

  /** Floats of the scratch the method needs: the shifted kernel copies, then one vector. */
  static int scratchSize(Window w, int filters) {
    return filters * w.kernelHeight() * 2 * vectors(w) * LANES + LANES;
  }

  private static int vectors(Window w) {
    return (w.kernelWidth() * w.channels() + w.channels()) / LANES;
  }

  /**
   * {@code dx} from {@code dy}, parameters {@code p, table, dy, dx, count}; {@code add} keeps what
   * {@code dx} holds (the input has another consumer).
   */
  static CodeBlock inputGradient(Window w, int filters, String weights, String inputSize, boolean add) {
    int channels = w.channels();
    int kh = w.kernelHeight();
    int row = w.kernelWidth() * channels;
    int vectors = vectors(w);
    int shifted = vectors * LANES;
    int perFilter = kh * 2 * shifted;
    int inputRow = w.inWidth() * channels;
    int outWidth = w.outWidth();
    int scratch = filters * perFilter;
    CodeBlock.Builder code = CodeBlock.builder();
    code.add("// Per filter and kernel row: the row as the first position of a pair sees it, then as the\n");
    code.add("// second (shifted by the channels), each zero-padded to $L vectors.\n", vectors);
    code.addStatement("$T.fill(table, 0f)", Arrays.class);
    code.beginControlFlow("for (int f = 0; f < $L; f++)", filters)
        .beginControlFlow("for (int ky = 0; ky < $L; ky++)", kh)
        .addStatement("int t = (f * $L + ky) * $L", kh, 2 * shifted)
        .beginControlFlow("for (int q = 0; q < $L; q++)", row)
        .addStatement("float w = p[$L + (ky * $L + q) * $L + f]", weights, row, filters)
        .addStatement("table[t + q] = w")
        .addStatement("table[t + $L + q] = w", shifted + channels)
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    if (!add) {
      code.addStatement("$T.fill(dx, 0, count * $L, 0f)", Arrays.class, inputSize);
    }
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .addStatement("int in = b * $L + oy * $L", inputSize, inputRow)
        .addStatement("int d = (b * $L + oy * $L) * $L", w.positions(), outWidth, filters);
    if (outWidth >= 2) {
      code.beginControlFlow("for (int ox = 0; ox + 2 <= $L; ox += 2)", outWidth);
      accumulators(code, kh, vectors);
      code.addStatement("int d0 = d + ox * $L", filters);
      code.beginControlFlow("for (int f = 0; f < $L; f++)", filters)
          .addStatement("$T e0 = $T.broadcast(SPECIES, dy[d0 + f])", FLOAT_VECTOR, FLOAT_VECTOR)
          .addStatement("$T e1 = $T.broadcast(SPECIES, dy[d0 + $L + f])", FLOAT_VECTOR, FLOAT_VECTOR, filters)
          .addStatement("int t = f * $L", perFilter);
      for (int ky = 0; ky < kh; ky++) {
        for (int v = 0; v < vectors; v++) {
          code.addStatement("l$L$L = $T.fromArray(SPECIES, table, t$L).fma(e0, l$L$L)", ky, v, FLOAT_VECTOR,
              plus(ky * 2 * shifted + v * LANES), ky, v);
          code.addStatement("m$L$L = $T.fromArray(SPECIES, table, t$L).fma(e1, m$L$L)", ky, v, FLOAT_VECTOR,
              plus(ky * 2 * shifted + shifted + v * LANES), ky, v);
        }
      }
      code.endControlFlow();
      code.addStatement("int at = in + ox * $L", channels);
      for (int ky = 0; ky < kh; ky++) {
        for (int v = 0; v < vectors; v++) {
          String at = "at" + plus(ky * inputRow + v * LANES);
          code.addStatement("l$L$L.add(m$L$L).add($T.fromArray(SPECIES, dx, $L)).intoArray(dx, $L)", ky, v, ky, v,
              FLOAT_VECTOR, at, at);
        }
      }
      code.endControlFlow();
    }
    if (outWidth % 2 == 1) {
      int full = row / LANES;
      int tail = row % LANES;
      int used = full + (tail > 0 ? 1 : 0);
      code.add("// The last position of an odd row alone; the part of its kernel row short of a vector via scratch.\n");
      code.add("{\n$>");
      for (int ky = 0; ky < kh; ky++) {
        for (int v = 0; v < used; v++) {
          code.addStatement("$T l$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, ky, v, FLOAT_VECTOR);
        }
      }
      code.addStatement("int d0 = d + $L", (outWidth - 1) * filters);
      code.beginControlFlow("for (int f = 0; f < $L; f++)", filters)
          .addStatement("$T e0 = $T.broadcast(SPECIES, dy[d0 + f])", FLOAT_VECTOR, FLOAT_VECTOR)
          .addStatement("int t = f * $L", perFilter);
      for (int ky = 0; ky < kh; ky++) {
        for (int v = 0; v < used; v++) {
          code.addStatement("l$L$L = $T.fromArray(SPECIES, table, t$L).fma(e0, l$L$L)", ky, v, FLOAT_VECTOR,
              plus(ky * 2 * shifted + v * LANES), ky, v);
        }
      }
      code.endControlFlow();
      code.addStatement("int at = in + $L", (outWidth - 1) * channels);
      for (int ky = 0; ky < kh; ky++) {
        for (int v = 0; v < full; v++) {
          String at = "at" + plus(ky * inputRow + v * LANES);
          code.addStatement("l$L$L.add($T.fromArray(SPECIES, dx, $L)).intoArray(dx, $L)", ky, v, FLOAT_VECTOR, at, at);
        }
        if (tail > 0) {
          code.addStatement("l$L$L.intoArray(table, $L)", ky, full, scratch)
              .beginControlFlow("for (int k = 0; k < $L; k++)", tail)
              .addStatement("dx[at$L + k] += table[$L + k]", plus(ky * inputRow + full * LANES), scratch)
              .endControlFlow();
        }
      }
      code.add("$<}\n");
    }
    code.endControlFlow().endControlFlow();
    return code.build();
  }

  private static String plus(int offset) {
    return offset == 0 ? "" : " + " + offset;
  }

  /** Zeroed accumulators of a pair of positions: {@code l} for the first, {@code m} for the second. */
  private static void accumulators(CodeBlock.Builder code, int kh, int vectors) {
    for (int ky = 0; ky < kh; ky++) {
      for (int v = 0; v < vectors; v++) {
        code.addStatement("$T l$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, ky, v, FLOAT_VECTOR);
        code.addStatement("$T m$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, ky, v, FLOAT_VECTOR);
      }
    }
  }
}
