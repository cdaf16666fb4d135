package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import java.util.function.Function;

/**
 * Emits a loop over a constant trip count: fully unrolled into straight-line statements when the
 * count is small, a {@code for} loop with a constant bound otherwise (which C2 unrolls and, where
 * it can, vectorises).
 */
final class Loops {
  /** Trip counts up to this are unrolled: ten output units become ten statements. */
  static final int UNROLL_LIMIT = 16;

  private Loops() {}

  /**
   * @param index the loop variable's name
   * @param count the constant trip count
   * @param bound how the bound is written in a {@code for} loop (a named constant)
   * @param body the statements for one index, given the index as written ({@code j} or {@code 3})
   */
  static CodeBlock constant(String index, int count, String bound, Function<String, CodeBlock> body) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (count <= UNROLL_LIMIT) {
      for (int i = 0; i < count; i++) {
        code.add(body.apply(String.valueOf(i)));
      }
    } else {
      code.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, bound, index);
      code.add(body.apply(index));
      code.endControlFlow();
    }
    return code.build();
  }

  /** {@code base + index}, without a {@code + 0}. */
  static String plus(String base, String index) {
    if (index.equals("0")) {
      return base;
    }
    if (base.equals("0")) {
      return index;
    }
    return base + " + " + index;
  }
}
