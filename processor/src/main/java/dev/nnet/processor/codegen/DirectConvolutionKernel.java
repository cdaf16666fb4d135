package dev.nnet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nnet.processor.ir.Activation;
import dev.nnet.processor.ir.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Direct convolution in Vector API code for 16-float vectors (AVX-512), without the patch matrix:
 * the forward and the kernel and bias gradients read the image itself (see {@link #form} for the
 * shapes, and why), and the input gradient is computed straight from {@code dy}, without the patch
 * gradient matrix and col2im. The rest of this comment is about the input gradient.
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
 * 157). W4 training went from about 21,000 to 25,000 samples/s (1 thread). How the generator
 * chooses between direct and im2col: see {@link SpatialCode}.
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

  private static String times(String variable, int factor) {
    return factor == 1 ? variable : variable + " * " + factor;
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

  // ---------------------------------------------------------------- direct forward and kernel gradient

  /** Accumulators of one block of the direct forward and kernel gradient: 12 of the 32 AVX-512 registers. */
  private static final int BLOCK = 12;
  /** The pair form keeps one duplicated kernel row per patch value in registers: up to this many. */
  static final int MAX_PAIR_PATCH = 16;

  /**
   * How the direct forward and kernel gradient lay a convolution on 16-float vectors, or
   * {@code NONE} where the im2col path stays (see {@link #form}).
   */
  enum Form {
    /** im2col: the patch matrix and {@link VectorConvolutionKernel}. */
    NONE,
    /** Filters fill half a vector: two neighbouring output positions per vector, kernel in registers. */
    PAIRS,
    /** Filters fill whole vectors: a block of an output row's positions × filter vectors in registers. */
    VECTORS
  }

  /**
   * The rule the generator applies, from the shape alone (16-float vectors assumed; other widths
   * keep im2col at run time). Measured on W4 ({@code DirectConvolutionProbe}, batch 32, medians
   * in µs per batch, im2col → direct; the figures are in {@link SpatialCode}'s comment and
   * docs/performance.md): 28×28×1 → 26×26×8 ({@code PAIRS}) forward 158 → 93 and kernel gradient
   * 115 → 111; 13×13×8 → 11×11×16 ({@code VECTORS}) forward 162 → 111 and kernel gradient 122 →
   * 116. Direct wins the forwards by skipping the patch copy and the patch matrix's trips through
   * the cache; the kernel gradients are even, so they go direct too, which lets the forward skip
   * the patch matrix in training as well. Not direct: padding (the borders would need bounds in the
   * unrolled taps), dilation (the kernel row is not contiguous), filter counts that fill neither half
   * nor whole vectors, more than four vectors of filters (the block would hold under three
   * positions), and, for {@code PAIRS}, an odd output width or a patch of more than
   * {@value #MAX_PAIR_PATCH} values (the kernel would not fit in registers).
   */
  static Form form(Window w, int filters) {
    if (w.padded() || w.dilationHeight() != 1 || w.dilationWidth() != 1) {
      return Form.NONE;
    }
    if (2 * filters == LANES && w.outWidth() % 2 == 0 && w.patch() <= MAX_PAIR_PATCH) {
      return Form.PAIRS;
    }
    if (filters % LANES == 0 && filters <= 4 * LANES) {
      return Form.VECTORS;
    }
    return Form.NONE;
  }

  /**
   * The forward {@code y = activation(conv(x) + b)} over {@code count} samples, straight from the
   * image; parameters {@code p, x, xOffset, y, count, pairs} ({@code pairs}: scratch of
   * {@code (patch + 1) · 16} floats for the {@code PAIRS} form). Only ReLU is fused (into the
   * stores): other activations run afterwards, over each row of filters.
   */
  static CodeBlock forward(Window w, int filters, String weights, String bias, Activation activation,
      String inputSize, String filtersName, Precision p) {
    boolean relu = activation.is(Activation.Kind.RELU);
    CodeBlock.Builder code = CodeBlock.builder();
    if (form(w, filters) == Form.PAIRS) {
      forwardPairs(code, w, filters, weights, bias, relu, inputSize);
    } else {
      forwardVectors(code, w, filters, weights, bias, relu, inputSize);
    }
    if (!activation.is(Activation.Kind.LINEAR) && !relu) {
      code.beginControlFlow("for (int row = 0; row < count * $L; row++)", w.positions());
      code.addStatement("int yRow = row * $L", filters);
      code.add(ActivationCode.forward(activation, "y", "yRow", filters, filtersName, p));
      code.endControlFlow();
    }
    return code.build();
  }

  /**
   * Per kernel row, each input value two neighbouring positions need, broadcast once ({@code v<ky>_<k>});
   * then each tap's {@code step} with its value for the first position in the lower lanes, for the
   * second in the upper.
   */
  private static void pairTaps(CodeBlock.Builder code, Window w, java.util.function.BiConsumer<Integer, String> step) {
    int rowValues = w.kernelWidth() * w.channels();
    int neighbour = w.strideWidth() * w.channels();
    for (int ky = 0; ky < w.kernelHeight(); ky++) {
      java.util.TreeSet<Integer> offsets = new java.util.TreeSet<>();
      for (int q = 0; q < rowValues; q++) {
        offsets.add(q);
        offsets.add(q + neighbour);
      }
      List<Integer> order = new ArrayList<>(offsets);
      int rowStart = ky * w.inWidth() * w.channels();
      for (int k = 0; k < order.size(); k++) {
        code.addStatement("$T v$L_$L = $T.broadcast(SPECIES, x[i$L])", FLOAT_VECTOR, ky, k, FLOAT_VECTOR,
            plus(rowStart + order.get(k)));
      }
      for (int q = 0; q < rowValues; q++) {
        step.accept(ky * rowValues + q, "v" + ky + "_" + order.indexOf(q) + ".blend(v" + ky + "_"
            + order.indexOf(q + neighbour) + ", SECOND_HALF)");
      }
    }
  }

  /** Opens the loops over samples, output rows and pairs of positions; {@code i}: the first position's window. */
  private static void openPairs(CodeBlock.Builder code, Window w, int filters, String inputSize) {
    int channels = w.channels();
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .addStatement("int at = xOffset + b * $L + oy * $L", inputSize, w.strideHeight() * w.inWidth() * channels)
        .addStatement("int out = (b * $L + oy * $L) * $L", w.positions(), w.outWidth(), filters)
        .beginControlFlow("for (int ox = 0; ox < $L; ox += 2)", w.outWidth())
        .addStatement("int i = at + $L", times("ox", w.strideWidth() * channels));
  }

  private static void forwardPairs(CodeBlock.Builder code, Window w, int filters, String weights, String bias,
      boolean relu, String inputSize) {
    int patch = w.patch();
    code.add("// Each kernel row twice, side by side (then the bias twice), held in registers: one vector per\n");
    code.add("// patch value, the lower half for the first position of a pair, the upper for the second.\n");
    code.beginControlFlow("for (int k = 0; k < $L; k++)", patch)
        .addStatement("$T.arraycopy(p, $L + k * $L, pairs, k * $L, $L)", System.class, weights, filters, LANES, filters)
        .addStatement("$T.arraycopy(p, $L + k * $L, pairs, k * $L + $L, $L)", System.class, weights, filters, LANES,
            filters, filters)
        .endControlFlow();
    for (int k = 0; k < patch; k++) {
      code.addStatement("$T w$L = $T.fromArray(SPECIES, pairs, $L)", FLOAT_VECTOR, k, FLOAT_VECTOR, k * LANES);
    }
    if (bias != null) {
      code.addStatement("$T.arraycopy(p, $L, pairs, $L, $L)", System.class, bias, patch * LANES, filters)
          .addStatement("$T.arraycopy(p, $L, pairs, $L, $L)", System.class, bias, patch * LANES + filters, filters)
          .addStatement("$T bias = $T.fromArray(SPECIES, pairs, $L)", FLOAT_VECTOR, FLOAT_VECTOR, patch * LANES);
    } else {
      code.addStatement("$T bias = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR);
    }
    openPairs(code, w, filters, inputSize);
    code.addStatement("$T a = bias", FLOAT_VECTOR);
    pairTaps(code, w, (k, value) -> code.addStatement("a = w$L.fma($L, a)", k, value));
    code.addStatement("$L.intoArray(y, out + ox * $L)", relu ? "a.max(0f)" : "a", filters);
    code.endControlFlow().endControlFlow().endControlFlow();
  }

  /** Balanced blocks: the fewest blocks of at most {@code most} that cover {@code total}, as even as can be. */
  private static int blockSize(int total, int most) {
    int blocks = (total + most - 1) / most;
    return (total + blocks - 1) / blocks;
  }

  private static void forwardVectors(CodeBlock.Builder code, Window w, int filters, String weights, String bias,
      boolean relu, String inputSize) {
    int channels = w.channels();
    int vectors = filters / LANES;
    int block = blockSize(w.outWidth(), Math.max(1, BLOCK / vectors));
    int rowValues = w.kernelWidth() * channels;
    for (int c = 0; c < vectors; c++) {
      code.addStatement("$T bias$L = $L", FLOAT_VECTOR, c, bias != null
          ? CodeBlock.of("$T.fromArray(SPECIES, p, $L$L)", FLOAT_VECTOR, bias, plus(c * LANES))
          : CodeBlock.of("$T.zero(SPECIES)", FLOAT_VECTOR));
    }
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .addStatement("int at = xOffset + b * $L + oy * $L", inputSize, w.strideHeight() * w.inWidth() * channels)
        .addStatement("int out = (b * $L + oy * $L) * $L", w.positions(), w.outWidth(), filters);
    int full = w.outWidth() / block;
    if (full > 1) {
      code.beginControlFlow("for (int ox = 0; ox + $L <= $L; ox += $L)", block, w.outWidth(), block);
      vectorPositions(code, w, filters, weights, relu, block, vectors, rowValues);
      code.endControlFlow();
    } else {
      code.add("{\n$>").addStatement("int ox = 0");
      vectorPositions(code, w, filters, weights, relu, block, vectors, rowValues);
      code.add("$<}\n");
    }
    if (w.outWidth() % block != 0) {
      code.add("{\n$>").addStatement("int ox = $L", full * block);
      vectorPositions(code, w, filters, weights, relu, w.outWidth() % block, vectors, rowValues);
      code.add("$<}\n");
    }
    code.endControlFlow().endControlFlow();
  }

  /** {@code positions} output positions from {@code ox} on: accumulators {@code a<position>_<vector>}. */
  private static void vectorPositions(CodeBlock.Builder code, Window w, int filters, String weights, boolean relu,
      int positions, int vectors, int rowValues) {
    int step = w.strideWidth() * w.channels();
    for (int r = 0; r < positions; r++) {
      for (int c = 0; c < vectors; c++) {
        code.addStatement("$T a$L_$L = bias$L", FLOAT_VECTOR, r, c, c);
      }
    }
    code.addStatement("int i0 = at + $L", times("ox", step));
    code.beginControlFlow("for (int ky = 0; ky < $L; ky++)", w.kernelHeight())
        .addStatement("int row = i0 + ky * $L", w.inWidth() * w.channels())
        .addStatement("int wRow = $L + ky * $L", weights, rowValues * filters)
        .add("// The kernel row's values are contiguous in the input (channels-last, no dilation).\n")
        .beginControlFlow("for (int q = 0; q < $L; q++)", rowValues);
    for (int c = 0; c < vectors; c++) {
      code.addStatement("$T w$L = $T.fromArray(SPECIES, p, wRow + q * $L$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, filters,
          plus(c * LANES));
    }
    code.addStatement("int i = row + q");
    for (int r = 0; r < positions; r++) {
      code.addStatement("$T v$L = $T.broadcast(SPECIES, x[i$L])", FLOAT_VECTOR, r, FLOAT_VECTOR, plus(r * step));
      for (int c = 0; c < vectors; c++) {
        code.addStatement("a$L_$L = w$L.fma(v$L, a$L_$L)", r, c, c, r, r, c);
      }
    }
    code.endControlFlow().endControlFlow();
    code.addStatement("int o = out + ox * $L", filters);
    for (int r = 0; r < positions; r++) {
      for (int c = 0; c < vectors; c++) {
        code.addStatement("a$L_$L$L.intoArray(y, o$L)", r, c, relu ? ".max(0f)" : "", plus(r * filters + c * LANES));
      }
    }
  }

  /**
   * The kernel and bias gradients {@code Σ x-window ⊗ dy} straight from the image, written into
   * {@code g} (added with {@code add}); parameters {@code g, x, xOffset, dy, count, pairs}, where
   * {@code dy} already is the gradient before the activation.
   */
  static CodeBlock parameterGradients(Window w, int filters, String weights, String bias, String inputSize,
      boolean add) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (form(w, filters) == Form.PAIRS) {
      gradientPairs(code, w, filters, weights, bias, inputSize, add);
    } else {
      gradientVectors(code, w, filters, weights, bias, inputSize, add);
    }
    return code.build();
  }

  private static void gradientPairs(CodeBlock.Builder code, Window w, int filters, String weights, String bias,
      String inputSize, boolean add) {
    int patch = w.patch();
    code.add("// One accumulator per patch value, each holding two positions' products (lower and upper half).\n");
    for (int k = 0; k < patch; k++) {
      code.addStatement("$T a$L = $T.zero(SPECIES)", FLOAT_VECTOR, k, FLOAT_VECTOR);
    }
    if (bias != null) {
      code.addStatement("$T s = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR);
    }
    openPairs(code, w, filters, inputSize);
    code.addStatement("$T d = $T.fromArray(SPECIES, dy, out + ox * $L)", FLOAT_VECTOR, FLOAT_VECTOR, filters);
    if (bias != null) {
      code.addStatement("s = s.add(d)");
    }
    pairTaps(code, w, (k, value) -> code.addStatement("a$L = d.fma($L, a$L)", k, value, k));
    code.endControlFlow().endControlFlow().endControlFlow();
    code.add("// The halves summed: through pairs, a vector per patch value (then the bias).\n");
    for (int k = 0; k < patch; k++) {
      code.addStatement("a$L.intoArray(pairs, $L)", k, k * LANES);
    }
    code.beginControlFlow("for (int k = 0; k < $L; k++)", patch)
        .beginControlFlow("for (int j = 0; j < $L; j++)", filters)
        .addStatement("g[$L + k * $L + j] $L pairs[k * $L + j] + pairs[k * $L + $L + j]", weights, filters,
            add ? "+=" : "=", LANES, LANES, filters)
        .endControlFlow()
        .endControlFlow();
    if (bias != null) {
      code.addStatement("s.intoArray(pairs, 0)")
          .beginControlFlow("for (int j = 0; j < $L; j++)", filters)
          .addStatement("g[$L + j] $L pairs[j] + pairs[$L + j]", bias, add ? "+=" : "=", filters)
          .endControlFlow();
    }
  }

  private static void gradientVectors(CodeBlock.Builder code, Window w, int filters, String weights, String bias,
      String inputSize, boolean add) {
    int channels = w.channels();
    int vectors = filters / LANES;
    int rowValues = w.kernelWidth() * channels;
    int block = blockSize(rowValues, Math.max(1, BLOCK / vectors));
    code.add("// Blocks of $L kernel-row values × $L in registers, over every position of the batch.\n",
        block, vectors == 1 ? "one vector of filters" : vectors + " vectors of filters");
    code.beginControlFlow("for (int ky = 0; ky < $L; ky++)", w.kernelHeight());
    int full = rowValues / block;
    if (full > 1) {
      code.beginControlFlow("for (int q = 0; q + $L <= $L; q += $L)", block, rowValues, block);
      gradientBlock(code, w, filters, weights, inputSize, add, block, vectors, rowValues);
      code.endControlFlow();
    } else {
      code.add("{\n$>").addStatement("int q = 0");
      gradientBlock(code, w, filters, weights, inputSize, add, block, vectors, rowValues);
      code.add("$<}\n");
    }
    if (rowValues % block != 0) {
      code.add("{\n$>").addStatement("int q = $L", full * block);
      gradientBlock(code, w, filters, weights, inputSize, add, rowValues % block, vectors, rowValues);
      code.add("$<}\n");
    }
    code.endControlFlow();
    if (bias != null) {
      for (int c = 0; c < vectors; c++) {
        code.addStatement("$T s$L = $L", FLOAT_VECTOR, c, add
            ? CodeBlock.of("$T.fromArray(SPECIES, g, $L$L)", FLOAT_VECTOR, bias, plus(c * LANES))
            : CodeBlock.of("$T.zero(SPECIES)", FLOAT_VECTOR));
      }
      code.beginControlFlow("for (int r = 0; r < count * $L; r++)", w.positions());
      for (int c = 0; c < vectors; c++) {
        code.addStatement("s$L = s$L.add($T.fromArray(SPECIES, dy, r * $L$L))", c, c, FLOAT_VECTOR, filters,
            plus(c * LANES));
      }
      code.endControlFlow();
      for (int c = 0; c < vectors; c++) {
        code.addStatement("s$L.intoArray(g, $L$L)", c, bias, plus(c * LANES));
      }
    }
  }

  /** Kernel-gradient values {@code q .. q + values - 1} of kernel row {@code ky}. */
  private static void gradientBlock(CodeBlock.Builder code, Window w, int filters, String weights, String inputSize,
      boolean add, int values, int vectors, int rowValues) {
    int step = w.strideWidth() * w.channels();
    for (int k = 0; k < values; k++) {
      for (int c = 0; c < vectors; c++) {
        code.addStatement("$T a$L_$L = $T.zero(SPECIES)", FLOAT_VECTOR, k, c, FLOAT_VECTOR);
      }
    }
    code.beginControlFlow("for (int b = 0; b < count; b++)")
        .beginControlFlow("for (int oy = 0; oy < $L; oy++)", w.outHeight())
        .addStatement("int i0 = xOffset + b * $L + ($L + ky) * $L + q", inputSize, times("oy", w.strideHeight()),
            w.inWidth() * w.channels())
        .addStatement("int d0 = (b * $L + oy * $L) * $L", w.positions(), w.outWidth(), filters)
        .beginControlFlow("for (int ox = 0; ox < $L; ox++)", w.outWidth())
        .addStatement("int i = i0 + $L", times("ox", step));
    for (int c = 0; c < vectors; c++) {
      code.addStatement("$T e$L = $T.fromArray(SPECIES, dy, d0 + ox * $L$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, filters,
          plus(c * LANES));
    }
    for (int k = 0; k < values; k++) {
      code.addStatement("$T v$L = $T.broadcast(SPECIES, x[i$L])", FLOAT_VECTOR, k, FLOAT_VECTOR, plus(k));
      for (int c = 0; c < vectors; c++) {
        code.addStatement("a$L_$L = e$L.fma(v$L, a$L_$L)", k, c, c, k, k, c);
      }
    }
    code.endControlFlow().endControlFlow().endControlFlow();
    code.addStatement("int at = $L + (ky * $L + q) * $L", weights, rowValues, filters);
    for (int k = 0; k < values; k++) {
      for (int c = 0; c < vectors; c++) {
        String at = "at" + plus(k * filters + c * LANES);
        if (add) {
          code.addStatement("a$L_$L.add($T.fromArray(SPECIES, g, $L)).intoArray(g, $L)", k, c, FLOAT_VECTOR, at, at);
        } else {
          code.addStatement("a$L_$L.intoArray(g, $L)", k, c, at);
        }
      }
    }
  }
}
