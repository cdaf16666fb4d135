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
 *   <li>256-bit vectors of {@value #LANES} floats ({@code FloatVector.SPECIES_256}), so 8 and 16
 *       filters fill whole vectors (with the 16-float vectors of AVX-512, 8 filters fell to the
 *       scalar tail); the lane count is then a generation-time constant, and every block is
 *       straight-line code with constant trip counts;
 *   <li>the forward product and the patch gradient {@code dP = dY · Wᵀ} keep a block of rows ×
 *       vectors of accumulators in registers and stream the shared dimension through
 *       broadcast-{@code fma}; the patch gradient reads a transposed copy of the kernel (made once
 *       per batch) rather than reducing lanes per value, which cost more than the product;
 *   <li>the kernel gradient {@code dW = Pᵀ · dY} keeps a block of patch values × vectors of
 *       filters in registers across all rows of the batch, so each pass reads {@code dY} once.
 * </ul>
 *
 * About {@value #ACCUMULATORS} accumulators per block: half the 32 AVX-512 registers (spilling a
 * few with AVX2's 16). No masked operations: they allocate on JDK 17.
 */
final class VectorConvolutionKernel {
  static final int LANES = 8;
  static final int ACCUMULATORS = 16;
  static final int MAX_ROWS = 8;
  private static final ClassName FLOAT_VECTOR = VectorDenseKernel.FLOAT_VECTOR;

  private VectorConvolutionKernel() {}

  /** Vectors per column block: the largest of 4, 3, 2, 1 dividing the whole vectors of a width. */
  private static int columnBlock(int width) {
    int vectors = width / LANES;
    for (int block = 4; block > 1; block--) {
      if (vectors % block == 0) {
        return block;
      }
    }
    return 1;
  }

  private static String lanes(int c) {
    return c == 0 ? "" : " + " + c * LANES;
  }

  /**
   * {@code y = activation(x · W + b)} over {@code count} rows; parameters {@code p, x, xOffset,
   * y, count}.
   */
  static CodeBlock forward(int patch, int filters, String weights, String bias, Activation activation,
      String filtersName, Precision p) {
    int block = columnBlock(filters);
    int rows = Math.max(1, Math.min(MAX_ROWS, ACCUMULATORS / block));
    boolean relu = activation.is(Activation.Kind.RELU);
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("int b = 0");
    code.beginControlFlow("for (; b + $L <= count; b += $L)", rows, rows);
    forwardRows(code, patch, filters, weights, bias, relu, rows, block);
    code.endControlFlow();
    code.beginControlFlow("for (; b < count; b++)");
    forwardRows(code, patch, filters, weights, bias, relu, 1, block);
    code.endControlFlow();
    if (!activation.is(Activation.Kind.LINEAR) && !relu) {
      code.beginControlFlow("for (int row = 0; row < count; row++)");
      code.addStatement("int yRow = row * $L", filters);
      code.add(ActivationCode.forward(activation, "y", "yRow", filters, filtersName, p));
      code.endControlFlow();
    }
    return code.build();
  }

  private static void forwardRows(CodeBlock.Builder code, int patch, int filters, String weights, String bias,
      boolean relu, int rows, int block) {
    for (int r = 0; r < rows; r++) {
      String row = r == 0 ? "b" : "(b + " + r + ")";
      code.addStatement("int x$L = xOffset + $L * $L", r, row, patch);
      code.addStatement("int y$L = $L * $L", r, row, filters);
    }
    int whole = filters / LANES * LANES;
    if (whole > 0) {
      code.beginControlFlow("for (int j = 0; j < $L; j += $L)", whole, block * LANES);
      for (int c = 0; c < block; c++) {
        code.addStatement(bias != null ? "$T a0$L = $T.fromArray(SPECIES_256, p, $L + j$L)" : "$T a0$L = $T.zero(SPECIES_256)",
            bias != null ? new Object[] {FLOAT_VECTOR, c, FLOAT_VECTOR, bias, lanes(c)} : new Object[] {FLOAT_VECTOR, c, FLOAT_VECTOR});
        for (int r = 1; r < rows; r++) {
          code.addStatement("$T a$L$L = a0$L", FLOAT_VECTOR, r, c, c);
        }
      }
      code.beginControlFlow("for (int k = 0; k < $L; k++)", patch);
      code.addStatement("int w = $L + k * $L + j", weights, filters);
      for (int c = 0; c < block; c++) {
        code.addStatement("$T w$L = $T.fromArray(SPECIES_256, p, w$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, lanes(c));
      }
      for (int r = 0; r < rows; r++) {
        code.addStatement("$T v$L = $T.broadcast(SPECIES_256, x[x$L + k])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
        for (int c = 0; c < block; c++) {
          code.addStatement("a$L$L = w$L.fma(v$L, a$L$L)", r, c, c, r, r, c);
        }
      }
      code.endControlFlow();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < block; c++) {
          code.addStatement("$L.intoArray(y, y$L + j$L)", relu ? "a" + r + c + ".max(0f)" : "a" + r + c, r, lanes(c));
        }
      }
      code.endControlFlow();
    }
    if (whole < filters) {
      code.beginControlFlow("for (int j = $L; j < $L; j++)", whole, filters);
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
      code.endControlFlow();
    }
  }

  /**
   * The kernel gradient {@code Σ_rows x[row]ᵀ · dy[row]} and the bias gradient {@code Σ_rows dy[row]},
   * written into {@code g} (added with {@code add}); parameters {@code g, x, xOffset, dy, count}.
   */
  static CodeBlock parameterGradients(int patch, int filters, String weights, String bias, boolean add) {
    CodeBlock.Builder code = CodeBlock.builder();
    int block = columnBlock(filters);
    int patchBlock = Math.max(1, Math.min(patch, ACCUMULATORS / block));
    int whole = filters / LANES * LANES;
    if (whole > 0) {
      code.beginControlFlow("for (int j = 0; j < $L; j += $L)", whole, block * LANES);
      if (patch >= patchBlock) {
        code.beginControlFlow("for (int k = 0; k + $L <= $L; k += $L)", patchBlock, patch, patchBlock);
        gradientBlock(code, patch, filters, weights, add, patchBlock, block);
        code.endControlFlow();
      }
      if (patch % patchBlock != 0) {
        code.add("{\n$>");
        code.addStatement("int k = $L", patch - patch % patchBlock);
        gradientBlock(code, patch, filters, weights, add, patch % patchBlock, block);
        code.add("$<}\n");
      }
      code.endControlFlow();
    }
    if (whole < filters) {
      code.beginControlFlow("for (int j = $L; j < $L; j++)", whole, filters);
      code.beginControlFlow("for (int k = 0; k < $L; k++)", patch);
      code.addStatement("float s = 0f");
      code.beginControlFlow("for (int b = 0; b < count; b++)");
      code.addStatement("s += x[xOffset + b * $L + k] * dy[b * $L + j]", patch, filters);
      code.endControlFlow();
      code.addStatement("g[$L + k * $L + j] $L s", weights, filters, add ? "+=" : "=");
      code.endControlFlow();
      code.endControlFlow();
    }
    if (bias != null) {
      if (whole > 0) {
        code.beginControlFlow("for (int j = 0; j < $L; j += $L)", whole, LANES);
        code.addStatement("$T sum = $T.zero(SPECIES_256)", FLOAT_VECTOR, FLOAT_VECTOR);
        code.beginControlFlow("for (int b = 0; b < count; b++)");
        code.addStatement("sum = sum.add($T.fromArray(SPECIES_256, dy, b * $L + j))", FLOAT_VECTOR, filters);
        code.endControlFlow();
        if (add) {
          code.addStatement("sum = sum.add($T.fromArray(SPECIES_256, g, $L + j))", FLOAT_VECTOR, bias);
        }
        code.addStatement("sum.intoArray(g, $L + j)", bias);
        code.endControlFlow();
      }
      if (whole < filters) {
        code.beginControlFlow("for (int j = $L; j < $L; j++)", whole, filters);
        code.addStatement("float s = 0f");
        code.beginControlFlow("for (int b = 0; b < count; b++)");
        code.addStatement("s += dy[b * $L + j]", filters);
        code.endControlFlow();
        code.addStatement("g[$L + j] $L s", bias, add ? "+=" : "=");
        code.endControlFlow();
      }
    }
    return code.build();
  }

  private static void gradientBlock(CodeBlock.Builder code, int patch, int filters, String weights, boolean add,
      int patchRows, int block) {
    for (int r = 0; r < patchRows; r++) {
      for (int c = 0; c < block; c++) {
        code.addStatement("$T a$L$L = $T.zero(SPECIES_256)", FLOAT_VECTOR, r, c, FLOAT_VECTOR);
      }
    }
    code.beginControlFlow("for (int b = 0; b < count; b++)");
    code.addStatement("int xRow = xOffset + b * $L + k", patch);
    code.addStatement("int dyRow = b * $L + j", filters);
    for (int c = 0; c < block; c++) {
      code.addStatement("$T d$L = $T.fromArray(SPECIES_256, dy, dyRow$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, lanes(c));
    }
    for (int r = 0; r < patchRows; r++) {
      code.addStatement("$T v$L = $T.broadcast(SPECIES_256, x[xRow$L])", FLOAT_VECTOR, r, FLOAT_VECTOR,
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
          code.addStatement("a$L$L.add($T.fromArray(SPECIES_256, g, $L)).intoArray(g, $L)", r, c, FLOAT_VECTOR, at, at);
        } else {
          code.addStatement("a$L$L.intoArray(g, $L)", r, c, at);
        }
      }
    }
  }

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
    int whole = patch / LANES * LANES;
    if (whole > 0) {
      code.beginControlFlow("for (int k = 0; k < $L; k += $L)", whole, block * LANES);
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < block; c++) {
          code.addStatement("$T a$L$L = $T.zero(SPECIES_256)", FLOAT_VECTOR, r, c, FLOAT_VECTOR);
        }
      }
      code.beginControlFlow("for (int j = 0; j < $L; j++)", filters);
      code.addStatement("int w = j * $L + k", patch);
      for (int c = 0; c < block; c++) {
        code.addStatement("$T w$L = $T.fromArray(SPECIES_256, wt, w$L)", FLOAT_VECTOR, c, FLOAT_VECTOR, lanes(c));
      }
      for (int r = 0; r < rows; r++) {
        code.addStatement("$T v$L = $T.broadcast(SPECIES_256, dy[d$L + j])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
        for (int c = 0; c < block; c++) {
          code.addStatement("a$L$L = w$L.fma(v$L, a$L$L)", r, c, c, r, r, c);
        }
      }
      code.endControlFlow();
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < block; c++) {
          String at = "x" + r + " + k" + lanes(c);
          if (add) {
            code.addStatement("a$L$L.add($T.fromArray(SPECIES_256, dx, $L)).intoArray(dx, $L)", r, c, FLOAT_VECTOR, at, at);
          } else {
            code.addStatement("a$L$L.intoArray(dx, $L)", r, c, at);
          }
        }
      }
      code.endControlFlow();
    }
    if (whole < patch) {
      code.beginControlFlow("for (int k = $L; k < $L; k++)", whole, patch);
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
}
