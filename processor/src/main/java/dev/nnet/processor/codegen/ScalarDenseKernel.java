package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.nnet.processor.ir.Activation;
import java.util.Arrays;

/**
 * Plain Java loops: a row of {@code y} accumulates {@code x[i] * W[i, :]} for each input, so the
 * inner loop walks {@code W} and {@code y} contiguously. The backward pass clears the layer's
 * gradient, then computes the weight gradient and the input gradient in the same walk over
 * {@code W}. The fallback where the Vector API is missing (measured: about 6 GFLOP/s).
 */
final class ScalarDenseKernel implements DenseKernel {

  @Override
  public CodeBlock forward(DenseNames n, Precision p, Activation activation) {
    int units = n.layer().units();
    CodeBlock.Builder code = CodeBlock.builder();
    code.beginControlFlow("for (int b = 0; b < count; b++)");
    code.addStatement("int xRow = xOffset + b * $L", n.inputs());
    code.addStatement("int yRow = b * $L", n.units());
    if (n.bias().isPresent()) {
      code.addStatement("$T.arraycopy(p, $L, y, yRow, $L)", System.class, n.bias().get(), n.units());
    } else {
      code.addStatement("$T.fill(y, yRow, yRow + $L, $L)", Arrays.class, n.units(), p.literal(0));
    }
    code.beginControlFlow("for (int i = 0; i < $L; i++)", n.inputs());
    code.addStatement("$L xi = x[xRow + i]", p.keyword());
    code.addStatement("int wRow = $L + i * $L", n.weights(), n.units());
    code.add(Loops.constant("j", units, n.units(), j -> CodeBlock.of(
        "y[$L] += xi * p[$L];\n", Loops.plus("yRow", j), Loops.plus("wRow", j))));
    code.endControlFlow();
    code.add(ActivationCode.forward(activation, "y", "yRow", units, n.units(), p));
    code.endControlFlow();
    return code.build();
  }

  @Override
  public CodeBlock backward(DenseNames n, Precision p, boolean propagate, boolean accumulate,
      boolean accumulateParameters) {
    int units = n.layer().units();
    CodeBlock.Builder code = CodeBlock.builder();
    if (!accumulateParameters) {
      code.addStatement("$T.fill(g, $L, $L + $L * $L, $L)", Arrays.class, n.weights(), n.weights(), n.inputs(),
          n.units(), p.literal(0));
    }
    if (n.bias().isPresent() && !accumulateParameters) {
      code.addStatement("$T.fill(g, $L, $L + $L, $L)", Arrays.class, n.bias().get(), n.bias().get(), n.units(),
          p.literal(0));
    }
    code.beginControlFlow("for (int b = 0; b < count; b++)");
    code.addStatement("int xRow = xOffset + b * $L", n.inputs());
    code.addStatement("int dyRow = b * $L", n.units());
    if (n.bias().isPresent()) {
      code.add(Loops.constant("j", units, n.units(), j -> CodeBlock.of(
          "g[$L] += dy[$L];\n", Loops.plus(n.bias().get(), j), Loops.plus("dyRow", j))));
    }
    if (propagate) {
      code.addStatement("int dxRow = b * $L", n.inputs());
    }
    code.beginControlFlow("for (int i = 0; i < $L; i++)", n.inputs());
    code.addStatement("$L xi = x[xRow + i]", p.keyword());
    code.addStatement("int wRow = $L + i * $L", n.weights(), n.units());
    if (propagate) {
      code.addStatement("$L sum = $L", p.keyword(), p.literal(0));
      code.add(Loops.constant("j", units, n.units(), j -> CodeBlock.of(
          "g[$L] += xi * dy[$L];\nsum += dy[$L] * p[$L];\n",
          Loops.plus("wRow", j), Loops.plus("dyRow", j), Loops.plus("dyRow", j), Loops.plus("wRow", j))));
      code.addStatement("dx[dxRow + i] $L sum", accumulate ? "+=" : "=");
    } else {
      code.add(Loops.constant("j", units, n.units(), j -> CodeBlock.of(
          "g[$L] += xi * dy[$L];\n", Loops.plus("wRow", j), Loops.plus("dyRow", j))));
    }
    code.endControlFlow();
    code.endControlFlow();
    return code.build();
  }
}
