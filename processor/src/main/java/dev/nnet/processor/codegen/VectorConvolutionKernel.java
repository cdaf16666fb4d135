package dev.nnet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nnet.processor.ir.Activation;

/**
 * Vector API matrix products for a convolution lowered to a patch matrix: {@code P [rows, patch]}
 * (one row per output position), kernel {@code W [patch, filters]}, output
 * {@code Y [rows, filters]}. Unlike {@link VectorDenseKernel}, which serves wide dense layers,
 * these are shaped for convolutions' narrow matrices (8 to 64 filters, patches of 9 to a few
 * hundred values, tens of thousands of rows per batch):
 *
 * <ul>
 *   <li>the forward product and the patch gradient {@code dP = dY · Wᵀ} keep a block of up to
 *       {@value #MAX_ROWS} rows × vectors of accumulators in registers and stream the shared
 *       dimension through broadcast-{@code fma}; the patch gradient reads a transposed copy of
 *       the kernel (made once per batch) rather than reducing lanes for each value, which cost
 *       more than the product itself;
 *   <li>the kernel gradient {@code dW = Pᵀ · dY} keeps a block of patch values × vectors of
 *       filters in registers across all the rows of the batch, so each pass reads {@code dY} once;
 *   <li>when the filters fill exactly half a vector (8 filters with AVX-512's 16 floats), two rows
 *       share each vector: the kernel row is duplicated into both halves, and each half of the
 *       input is broadcast from its own row ({@code blend} with a constant mask, which C2
 *       compiles without allocating). Otherwise 8 filters would fall to the scalar tail.
 * </ul>
 *
 * The species is the machine's preferred one, as in the dense kernels: measured on JDK 17, a
 * second species anywhere in the same JVM makes C2 give up intrinsifying the vector operations
 * of both (every operation then allocates). About {@value #ACCUMULATORS} accumulators per block:
 * half the 32 AVX-512 registers. No masked loads or stores: they allocate on JDK 17.
 */
final class VectorConvolutionKernel {
  /** Blocks are sized for 16-float vectors (AVX-512); with 8-float vectors they still fit. */
  private static final int ASSUMED_LANES = 16;
  static final int ACCUMULATORS = 16;
  static final int MAX_ROWS = 8;
  private static final ClassName FLOAT_VECTOR = VectorDenseKernel.FLOAT_VECTOR;

  private VectorConvolutionKernel() {}

  /** Vectors per column block: the largest of 4, 3, 2, 1 dividing a width's (16-float) vectors. */
  private static int columnBlock(int width) {
    int vectors = width / ASSUMED_LANES;
    for (int block = 4; block > 1; block--) {
      if (vectors % block == 0 && vectors >= block) {
        return block;
      }
    }
    return 1;
  }

  private static String lanes(int c) {
    return c == 0 ? "" : c == 1 ? " + LANES" : " + " + c + " * LANES";
  }

  /** Opens {@code for (; j + vectors · LANES <= width; ...)}. */
  private static void vectorLoop(CodeBlock.Builder code, String j, int vectors, int width) {
    String step = vectors == 1 ? "LANES" : vectors + " * LANES";
    code.beginControlFlow("for (; $L + $L <= $L; $L += $L)", j, step, width, j, step);
  }

  // ---------------------------------------------------------------- forward

  /**
   * {@code y = activation(x · W + b)} over {@code count} rows; parameters {@code p, x, xOffset,
   * y, count}, and {@code pairs} (scratch for the duplicated kernel) for {@link #forwardPairs}.
   */
  static CodeBlock forward(String method, int patch, int filters, String weights, String bias, Activation activation,
      String filtersName, Precision p) {
    int block = columnBlock(filters);
    int rows = Math.max(1, Math.min(MAX_ROWS, ACCUMULATORS / block));
    boolean relu = activation.is(Activation.Kind.RELU);
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("if (LANES == $L)", 2 * filters)
        .addStatement("$LPairs(p, x, xOffset, y, count, pairs)", method)
        .nextControlFlow("else");
    code.addStatement("int b = 0");
    code.beginControlFlow("for (; b + $L <= count; b += $L)", rows, rows);
    forwardRows(code, patch, filters, weights, bias, relu, rows, block);
    code.endControlFlow();
    code.beginControlFlow("for (; b < count; b++)");
    forwardRows(code, patch, filters, weights, bias, relu, 1, block);
    code.endControlFlow();
    code.endControlFlow();
    activate(code, activation, filters, filtersName, p);
    return code.build();
  }

  /** Activations other than ReLU (fused into the stores) run over each finished row. */
  private static void activate(CodeBlock.Builder code, Activation activation, int filters, String filtersName,
      Precision p) {
    if (!activation.is(Activation.Kind.LINEAR) && !activation.is(Activation.Kind.RELU)) {
      code.beginControlFlow("for (int row = 0; row < count; row++)");
      code.addStatement("int yRow = row * $L", filters);
      code.add(ActivationCode.forward(activation, "y", "yRow", filters, filtersName, p));
      code.endControlFlow();
    }
  }

  private static void forwardRows(CodeBlock.Builder code, int patch, int filters, String weights, String bias,
      boolean relu, int rows, int block) {
    code.add("{\n$>");
    for (int r = 0; r < rows; r++) {
      String row = r == 0 ? "b" : "(b + " + r + ")";
      code.addStatement("int x$L = xOffset + $L * $L", r, row, patch);
      code.addStatement("int y$L = $L * $L", r, row, filters);
    }
    code.addStatement("int j = 0");
    for (int vectors : block > 1 ? new int[] {block, 1} : new int[] {1}) {
      vectorLoop(code, "j", vectors, filters);
      for (int c = 0; c < vectors; c++) {
        if (bias != null) {
          code.addStatement("$T a0$L = $T.fromArray(SPECIES, p, $L + j$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, bias, lanes(c));
        } else {
          code.addStatement("$T a0$L = $T.zero(SPECIES)", FLOAT_VECTOR, c, FLOAT_VECTOR);
        }
        for (int r = 1; r < rows; r++) {
          code.addStatement("$T a$L$L = a0$L", FLOAT_VECTOR, r, c, c);
        }
      }
      code.beginControlFlow("for (int k = 0; k < $L; k++)", patch);
      code.addStatement("int w = $L + k * $L + j", weights, filters);
      for (int c = 0; c < vectors; c++) {
        code.addStatement("$T w$L = $T.fromArray(SPECIES, p, w$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, lanes(c));
      }
      for (int r = 0; r < rows; r++) {
        code.addStatement("$T v$L = $T.broadcast(SPECIES, x[x$L + k])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
        for (int c = 0; c < vectors; c++) {
          code.addStatement("a$L$L = w$L.fma(v$L, a$L$L)", r, c, c, r, r, c);
        }
      }
      code.endControlFlow();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < vectors; c++) {
          code.addStatement("$L.intoArray(y, y$L + j$L)", relu ? "a" + r + c + ".max(0f)" : "a" + r + c, r, lanes(c));
        }
      }
      code.endControlFlow();
    }
    code.beginControlFlow("for (; j < $L; j++)", filters);
    scalarRows(code, patch, filters, weights, bias, relu, rows);
    code.endControlFlow();
    code.add("$<}\n");
  }

  /** Column {@code j} of {@code rows} rows (x0, y0, ...), in scalar arithmetic. */
  private static void scalarRows(CodeBlock.Builder code, int patch, int filters, String weights, String bias,
      boolean relu, int rows) {
    for (int r = 0; r < rows; r++) {
      code.addStatement("float s$L = $L", r, bias != null ? "p[" + bias + " + j]" : "0f");
    }
    code.beginControlFlow("for (int k = 0; k < $L; k++)", patch);
    code.addStatement("float w = p[$L + k * $L + j]", weights, filters);
    for (int r = 0; r < rows; r++) {
      code.addStatement("s$L += x[x$L + k] * w", r, r);
    }
    code.endControlFlow();
    for (int r = 0; r < rows; r++) {
      code.addStatement("y[y$L + j] = $L", r, relu ? "Math.max(s" + r + ", 0f)" : "s" + r);
    }
  }

  /**
   * The forward product when the filters fill half a vector: each vector holds two rows' outputs,
   * which are contiguous in {@code y}. {@code pairs} receives the kernel with each row duplicated,
   * then the bias duplicated.
   */
  static CodeBlock forwardPairs(int patch, int filters, String weights, String bias, boolean relu) {
    int pairsPerBlock = MAX_ROWS;
    int width = 2 * filters;
    CodeBlock.Builder code = CodeBlock.builder();
    code.add("// Each kernel row twice, side by side (then the bias twice): one vector per row of the kernel.\n");
    code.beginControlFlow("for (int k = 0; k < $L; k++)", patch)
        .addStatement("$T.arraycopy(p, $L + k * $L, pairs, k * $L, $L)", System.class, weights, filters, width, filters)
        .addStatement("$T.arraycopy(p, $L + k * $L, pairs, k * $L + $L, $L)", System.class, weights, filters, width,
            filters, filters)
        .endControlFlow();
    if (bias != null) {
      code.addStatement("$T.arraycopy(p, $L, pairs, $L, $L)", System.class, bias, patch * width, filters);
      code.addStatement("$T.arraycopy(p, $L, pairs, $L, $L)", System.class, bias, patch * width + filters, filters);
    }
    code.addStatement("int b = 0");
    for (int pairs : new int[] {pairsPerBlock, 1}) {
      code.beginControlFlow("for (; b + $L <= count; b += $L)", 2 * pairs, 2 * pairs);
      for (int r = 0; r < pairs; r++) {
        code.addStatement("int x$L = xOffset + (b$L) * $L", r, r == 0 ? "" : " + " + 2 * r, patch);
        code.addStatement("$T a$L = $L", FLOAT_VECTOR, r, bias != null
            ? (r == 0 ? CodeBlock.of("$T.fromArray(SPECIES, pairs, $L)", FLOAT_VECTOR, patch * width) : "a0")
            : CodeBlock.of("$T.zero(SPECIES)", FLOAT_VECTOR));
      }
      code.beginControlFlow("for (int k = 0; k < $L; k++)", patch);
      code.addStatement("$T w = $T.fromArray(SPECIES, pairs, k * $L)", FLOAT_VECTOR, FLOAT_VECTOR, width);
      for (int r = 0; r < pairs; r++) {
        code.addStatement("a$L = w.fma($T.broadcast(SPECIES, x[x$L + k]).blend($T.broadcast(SPECIES, x[x$L + $L + k]),"
            + " SECOND_HALF), a$L)", r, FLOAT_VECTOR, r, FLOAT_VECTOR, r, patch, r);
      }
      code.endControlFlow();
      for (int r = 0; r < pairs; r++) {
        code.addStatement("$L.intoArray(y, (b$L) * $L)", relu ? "a" + r + ".max(0f)" : "a" + r,
            r == 0 ? "" : " + " + 2 * r, filters);
      }
      code.endControlFlow();
    }
    code.add("// An odd last row: scalar.\n");
    code.beginControlFlow("if (b < count)")
        .addStatement("int x0 = xOffset + b * $L", patch)
        .addStatement("int y0 = b * $L", filters)
        .beginControlFlow("for (int j = 0; j < $L; j++)", filters);
    scalarRows(code, patch, filters, weights, bias, relu, 1);
    code.endControlFlow().endControlFlow();
    return code.build();
  }

  // ---------------------------------------------------------------- kernel and bias gradients

  /**
   * The kernel gradient {@code Σ_rows x[row]ᵀ · dy[row]} and the bias gradient
   * {@code Σ_rows dy[row]}, written into {@code g} (added with {@code add}); parameters
   * {@code g, x, xOffset, dy, count, pairs}.
   */
  static CodeBlock parameterGradients(String method, int patch, int filters, String weights, String bias,
      boolean add) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("if (LANES == $L)", 2 * filters)
        .addStatement("$LPairs(g, x, xOffset, dy, count, pairs)", method)
        .addStatement("return")
        .endControlFlow();
    int block = columnBlock(filters);
    int patchBlock = Math.max(1, Math.min(patch, ACCUMULATORS / block));
    code.addStatement("int j = 0");
    for (int vectors : block > 1 ? new int[] {block, 1} : new int[] {1}) {
      int rows = Math.max(1, Math.min(patch, ACCUMULATORS / vectors));
      if (vectors != block) {
        rows = Math.min(rows, patchBlock);
      }
      vectorLoop(code, "j", vectors, filters);
      if (patch >= rows) {
        code.beginControlFlow("for (int k = 0; k + $L <= $L; k += $L)", rows, patch, rows);
        gradientBlock(code, patch, filters, weights, add, rows, vectors);
        code.endControlFlow();
      }
      if (patch % rows != 0) {
        code.add("{\n$>");
        code.addStatement("int k = $L", patch - patch % rows);
        gradientBlock(code, patch, filters, weights, add, patch % rows, vectors);
        code.add("$<}\n");
      }
      code.endControlFlow();
    }
    code.beginControlFlow("for (; j < $L; j++)", filters);
    code.beginControlFlow("for (int k = 0; k < $L; k++)", patch);
    code.addStatement("float s = 0f");
    code.beginControlFlow("for (int b = 0; b < count; b++)");
    code.addStatement("s += x[xOffset + b * $L + k] * dy[b * $L + j]", patch, filters);
    code.endControlFlow();
    code.addStatement("g[$L + k * $L + j] $L s", weights, filters, add ? "+=" : "=");
    code.endControlFlow();
    code.endControlFlow();
    if (bias != null) {
      code.addStatement("j = 0");
      vectorLoop(code, "j", 1, filters);
      code.addStatement("$T sum = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR);
      code.beginControlFlow("for (int b = 0; b < count; b++)");
      code.addStatement("sum = sum.add($T.fromArray(SPECIES, dy, b * $L + j))", FLOAT_VECTOR, filters);
      code.endControlFlow();
      if (add) {
        code.addStatement("sum = sum.add($T.fromArray(SPECIES, g, $L + j))", FLOAT_VECTOR, bias);
      }
      code.addStatement("sum.intoArray(g, $L + j)", bias);
      code.endControlFlow();
      code.beginControlFlow("for (; j < $L; j++)", filters);
      code.addStatement("float s = 0f");
      code.beginControlFlow("for (int b = 0; b < count; b++)");
      code.addStatement("s += dy[b * $L + j]", filters);
      code.endControlFlow();
      code.addStatement("g[$L + j] $L s", bias, add ? "+=" : "=");
      code.endControlFlow();
    }
    return code.build();
  }

  private static void gradientBlock(CodeBlock.Builder code, int patch, int filters, String weights, boolean add,
      int patchRows, int block) {
    for (int r = 0; r < patchRows; r++) {
      for (int c = 0; c < block; c++) {
        code.addStatement("$T a$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, r, c, FLOAT_VECTOR);
      }
    }
    code.beginControlFlow("for (int b = 0; b < count; b++)");
    code.addStatement("int xRow = xOffset + b * $L + k", patch);
    code.addStatement("int dyRow = b * $L + j", filters);
    for (int c = 0; c < block; c++) {
      code.addStatement("$T d$L = $T.fromArray(SPECIES, dy, dyRow$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, lanes(c));
    }
    for (int r = 0; r < patchRows; r++) {
      code.addStatement("$T v$L = $T.broadcast(SPECIES, x[xRow$L])", FLOAT_VECTOR, r, FLOAT_VECTOR,
          r == 0 ? "" : " + " + r);
      for (int c = 0; c < block; c++) {
        code.addStatement("a$L$L = d$L.fma(v$L, a$L$L)", r, c, c, r, r, c);
      }
    }
    code.endControlFlow();
    for (int r = 0; r < patchRows; r++) {
      for (int c = 0; c < block; c++) {
        String at = weights + " + (k" + (r == 0 ? "" : " + " + r) + ") * " + filters + " + j" + lanes(c);
        if (add) {
          code.addStatement("a$L$L.add($T.fromArray(SPECIES, g, $L)).intoArray(g, $L)", r, c, FLOAT_VECTOR, at, at);
        } else {
          code.addStatement("a$L$L.intoArray(g, $L)", r, c, at);
        }
      }
    }
  }

  /**
   * The kernel and bias gradients when the filters fill half a vector: two rows of {@code dy}
   * (contiguous) per vector, their halves summed at the end through {@code pairs}.
   */
  static CodeBlock parameterGradientPairs(int patch, int filters, String weights, String bias, boolean add) {
    int rows = Math.min(patch, 12);
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("int last = count & ~1");
    if (patch >= rows) {
      code.beginControlFlow("for (int k = 0; k + $L <= $L; k += $L)", rows, patch, rows);
      pairBlock(code, patch, filters, weights, add, rows);
      code.endControlFlow();
    }
    if (patch % rows != 0) {
      code.add("{\n$>");
      code.addStatement("int k = $L", patch - patch % rows);
      pairBlock(code, patch, filters, weights, add, patch % rows);
      code.add("$<}\n");
    }
    if (bias != null) {
      code.addStatement("$T sum = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR);
      code.beginControlFlow("for (int b = 0; b < last; b += 2)")
          .addStatement("sum = sum.add($T.fromArray(SPECIES, dy, b * $L))", FLOAT_VECTOR, filters)
          .endControlFlow()
          .addStatement("sum.intoArray(pairs, 0)")
          .beginControlFlow("for (int j = 0; j < $L; j++)", filters)
          .addStatement("float s = pairs[j] + pairs[$L + j]", filters)
          .beginControlFlow("if (last < count)")
          .addStatement("s += dy[last * $L + j]", filters)
          .endControlFlow()
          .addStatement("g[$L + j] $L s", bias, add ? "+=" : "=")
          .endControlFlow();
    }
    return code.build();
  }

  /** Kernel-gradient rows {@code k .. k + rows - 1}, two rows of the batch per vector. */
  private static void pairBlock(CodeBlock.Builder code, int patch, int filters, String weights, boolean add, int rows) {
    for (int r = 0; r < rows; r++) {
      code.addStatement("$T a$L = $T.zero(SPECIES)", FLOAT_VECTOR, r, FLOAT_VECTOR);
    }
    code.beginControlFlow("for (int b = 0; b < last; b += 2)");
    code.addStatement("int xRow = xOffset + b * $L + k", patch);
    code.addStatement("$T d = $T.fromArray(SPECIES, dy, b * $L)", FLOAT_VECTOR, FLOAT_VECTOR, filters);
    for (int r = 0; r < rows; r++) {
      code.addStatement("a$L = d.fma($T.broadcast(SPECIES, x[xRow$L]).blend($T.broadcast(SPECIES, x[xRow + $L]),"
          + " SECOND_HALF), a$L)", r, FLOAT_VECTOR, r == 0 ? "" : " + " + r, FLOAT_VECTOR, patch + r, r);
    }
    code.endControlFlow();
    for (int r = 0; r < rows; r++) {
      code.addStatement("a$L.intoArray(pairs, 0)", r)
          .beginControlFlow("for (int j = 0; j < $L; j++)", filters)
          .addStatement("float s = pairs[j] + pairs[$L + j]", filters)
          .beginControlFlow("if (last < count)")
          .addStatement("s += x[xOffset + last * $L + k$L] * dy[last * $L + j]", patch, r == 0 ? "" : " + " + r, filters)
          .endControlFlow()
          .addStatement("g[$L + (k$L) * $L + j] $L s", weights, r == 0 ? "" : " + " + r, filters, add ? "+=" : "=")
          .endControlFlow();
    }
  }

  // ---------------------------------------------------------------- patch gradient

  /**
   * The patch gradient {@code dx = dy · Wᵀ} over {@code count} rows (added with {@code add});
   * parameters {@code p, wt, dy, dx, count}, where {@code wt} is scratch for the transposed
   * kernel, {@code [filters, patch]}.
   */
  static CodeBlock patchGradient(int patch, int filters, String weights, boolean add) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.add("// The kernel transposed, so that a row of it is contiguous over the patch.\n");
    code.beginControlFlow("for (int k = 0; k < $L; k++)", patch)
        .beginControlFlow("for (int j = 0; j < $L; j++)", filters)
        .addStatement("wt[j * $L + k] = p[$L + k * $L + j]", patch, weights, filters)
        .endControlFlow()
        .endControlFlow();
    int block = columnBlock(patch);
    int rows = Math.max(1, Math.min(MAX_ROWS, ACCUMULATORS / block));
    code.addStatement("int b = 0");
    code.beginControlFlow("for (; b + $L <= count; b += $L)", rows, rows);
    patchRows(code, patch, filters, add, rows, block);
    code.endControlFlow();
    code.beginControlFlow("for (; b < count; b++)");
    patchRows(code, patch, filters, add, 1, block);
    code.endControlFlow();
    return code.build();
  }

  private static void patchRows(CodeBlock.Builder code, int patch, int filters, boolean add, int rows, int block) {
    for (int r = 0; r < rows; r++) {
      String row = r == 0 ? "b" : "(b + " + r + ")";
      code.addStatement("int d$L = $L * $L", r, row, filters);
      code.addStatement("int x$L = $L * $L", r, row, patch);
    }
    code.addStatement("int k = 0");
    for (int vectors : block > 1 ? new int[] {block, 1} : new int[] {1}) {
      vectorLoop(code, "k", vectors, patch);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < vectors; c++) {
          code.addStatement("$T a$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, r, c, FLOAT_VECTOR);
        }
      }
      code.beginControlFlow("for (int j = 0; j < $L; j++)", filters);
      code.addStatement("int w = j * $L + k", patch);
      for (int c = 0; c < vectors; c++) {
        code.addStatement("$T w$L = $T.fromArray(SPECIES, wt, w$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, lanes(c));
      }
      for (int r = 0; r < rows; r++) {
        code.addStatement("$T v$L = $T.broadcast(SPECIES, dy[d$L + j])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
        for (int c = 0; c < vectors; c++) {
          code.addStatement("a$L$L = w$L.fma(v$L, a$L$L)", r, c, c, r, r, c);
        }
      }
      code.endControlFlow();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < vectors; c++) {
          String at = "x" + r + " + k" + lanes(c);
          if (add) {
            code.addStatement("a$L$L.add($T.fromArray(SPECIES, dx, $L)).intoArray(dx, $L)", r, c, FLOAT_VECTOR, at, at);
          } else {
            code.addStatement("a$L$L.intoArray(dx, $L)", r, c, at);
          }
        }
      }
      code.endControlFlow();
    }
    code.beginControlFlow("for (; k < $L; k++)", patch);
    for (int r = 0; r < rows; r++) {
      code.addStatement("float s$L = 0f", r);
    }
    code.beginControlFlow("for (int j = 0; j < $L; j++)", filters);
    code.addStatement("float w = wt[j * $L + k]", patch);
    for (int r = 0; r < rows; r++) {
      code.addStatement("s$L += dy[d$L + j] * w", r, r);
    }
    code.endControlFlow();
    for (int r = 0; r < rows; r++) {
      code.addStatement("dx[x$L + k] $L s$L", r, add ? "+=" : "=", r);
    }
    code.endControlFlow();
  }
}
