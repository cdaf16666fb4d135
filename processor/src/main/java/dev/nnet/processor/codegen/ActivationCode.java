package dev.nnet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.nnet.processor.ir.Activation;

/** Each activation's forward rule and, beside it, its backward rule, both applied to one row. */
final class ActivationCode {
  private ActivationCode() {}

  /** {@code y[row + j] = f(y[row + j])} for the {@code count} values of a row, in place. */
  static CodeBlock forward(Activation activation, String y, String row, int count, String bound, Precision p) {
    String zero = p.literal(0);
    String one = p.literal(1);
    return switch (activation) {
      case LINEAR -> CodeBlock.of("");
      case RELU -> Loops.constant("j", count, bound, j -> CodeBlock.of(
          "$L[$L] = Math.max($L[$L], $L);\n", y, Loops.plus(row, j), y, Loops.plus(row, j), zero));
      case SIGMOID -> Loops.constant("j", count, bound, j -> CodeBlock.of(
          "$L[$L] = $L / ($L + $L);\n", y, Loops.plus(row, j), one, one,
          p.fromDouble("Math.exp(-" + y + "[" + Loops.plus(row, j) + "])")));
      case TANH -> Loops.constant("j", count, bound, j -> CodeBlock.of(
          "$L[$L] = $L;\n", y, Loops.plus(row, j), p.fromDouble("Math.tanh(" + y + "[" + Loops.plus(row, j) + "])")));
      case SOFTMAX -> softmax(y, row, count, bound, p);
    };
  }

  // Subtracting the row maximum keeps exp from overflowing for large logits.
  private static CodeBlock softmax(String y, String row, int count, String bound, Precision p) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("$L max = $L.NEGATIVE_INFINITY", p.keyword(), p == Precision.FLOAT ? "Float" : "Double");
    code.add(Loops.constant("j", count, bound, j -> CodeBlock.of(
        "max = Math.max(max, $L[$L]);\n", y, Loops.plus(row, j))));
    code.addStatement("$L sum = $L", p.keyword(), p.literal(0));
    code.add(Loops.constant("j", count, bound, j -> CodeBlock.of(
        "$L[$L] = $L;\nsum += $L[$L];\n", y, Loops.plus(row, j),
        p.fromDouble("Math.exp(" + y + "[" + Loops.plus(row, j) + "] - max)"), y, Loops.plus(row, j))));
    code.addStatement("$L scale = $L / sum", p.keyword(), p.literal(1));
    code.add(Loops.constant("j", count, bound, j -> CodeBlock.of(
        "$L[$L] *= scale;\n", y, Loops.plus(row, j))));
    return code.build();
  }

  /**
   * {@code dy[row + j] *= f'(...)}, written in terms of the activation's output {@code y} so no
   * pre-activation buffer is kept.
   */
  static CodeBlock backward(Activation activation, String y, String dy, String row, int count, String bound, Precision p) {
    String zero = p.literal(0);
    String one = p.literal(1);
    return switch (activation) {
      case LINEAR -> CodeBlock.of("");
      case RELU -> Loops.constant("j", count, bound, j -> CodeBlock.of(
          "if ($L[$L] <= $L) {\n$>$L[$L] = $L;\n$<}\n", y, Loops.plus(row, j), zero, dy, Loops.plus(row, j), zero));
      case SIGMOID -> Loops.constant("j", count, bound, j -> CodeBlock.of(
          "$L[$L] *= $L[$L] * ($L - $L[$L]);\n", dy, Loops.plus(row, j), y, Loops.plus(row, j), one, y, Loops.plus(row, j)));
      case TANH -> Loops.constant("j", count, bound, j -> CodeBlock.of(
          "$L[$L] *= $L - $L[$L] * $L[$L];\n", dy, Loops.plus(row, j), one, y, Loops.plus(row, j), y, Loops.plus(row, j)));
      case SOFTMAX -> {
        // dz_j = y_j (dy_j - sum_k dy_k y_k): the softmax Jacobian applied to dy.
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("$L dot = $L", p.keyword(), zero);
        code.add(Loops.constant("j", count, bound, j -> CodeBlock.of(
            "dot += $L[$L] * $L[$L];\n", dy, Loops.plus(row, j), y, Loops.plus(row, j))));
        code.add(Loops.constant("j", count, bound, j -> CodeBlock.of(
            "$L[$L] = $L[$L] * ($L[$L] - dot);\n", dy, Loops.plus(row, j), y, Loops.plus(row, j), dy, Loops.plus(row, j))));
        yield code.build();
      }
    };
  }
}
