package dev.nnet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nnet.processor.ir.Activation;

/** Each activation's forward rule and, beside it, its backward rule, both applied to one row. */
final class ActivationCode {
  /** Formulas too long to inline (gelu's erf) live in the runtime; the JIT inlines the calls. */
  private static final ClassName ACTIVATIONS = ClassName.get("dev.nnet.runtime.math", "Activations");

  private ActivationCode() {}

  /** {@code y[row + j] = f(y[row + j])} for the {@code count} values of a row, in place. */
  static CodeBlock forward(Activation activation, String y, String row, int count, String bound, Precision p) {
    return forward(activation, y, row, y, row, count, bound, p);
  }

  /** {@code out[outRow + j] = f(in[inRow + j])} for the {@code count} values of a row. */
  static CodeBlock forward(Activation a, String in, String inRow, String out, String outRow, int count, String bound,
      Precision p) {
    String zero = p.literal(0);
    String one = p.literal(1);
    Row r = new Row(inRow, outRow);
    return switch (a.kind()) {
      case LINEAR -> in.equals(out) && inRow.equals(outRow) ? CodeBlock.of("") : each(count, bound, r, (i, o) ->
          CodeBlock.of("$L[$L] = $L[$L];\n", out, o, in, i));
      case RELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] = Math.max($L[$L], $L);\n", out, o, in, i, zero));
      case SIGMOID -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] = $L / ($L + $L);\n", out, o, one, one, p.fromDouble("Math.exp(-" + in + "[" + i + "])")));
      case TANH -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] = $L;\n", out, o, p.fromDouble("Math.tanh(" + in + "[" + i + "])")));
      case LEAKY_RELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] = $L[$L] > $L ? $L[$L] : $L * $L[$L];\n", out, o, in, i, zero, in, i, p.literal(a.alpha()), in, i));
      case ELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] = $L[$L] > $L ? $L[$L] : $L;\n", out, o, in, i, zero, in, i,
          p.fromDouble("(" + a.alpha() + " * Math.expm1(" + in + "[" + i + "]))")));
      case SWISH -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] = $L$T.swish($L[$L]);\n", out, o, p.fromDouble(""), ACTIVATIONS, in, i));
      case GELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] = $L$T.$L($L[$L]);\n", out, o, p.fromDouble(""), ACTIVATIONS,
          a.approximate() ? "geluTanh" : "gelu", in, i));
      case SOFTMAX -> softmax(in, out, r, count, bound, p);
    };
  }

  // Subtracting the row maximum keeps exp from overflowing for large logits.
  private static CodeBlock softmax(String in, String out, Row r, int count, String bound, Precision p) {
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("$L max = $L.NEGATIVE_INFINITY", p.keyword(), p == Precision.FLOAT ? "Float" : "Double");
    code.add(each(count, bound, r, (i, o) -> CodeBlock.of("max = Math.max(max, $L[$L]);\n", in, i)));
    code.addStatement("$L sum = $L", p.keyword(), p.literal(0));
    code.add(each(count, bound, r, (i, o) -> CodeBlock.of(
        "$L[$L] = $L;\nsum += $L[$L];\n", out, o, p.fromDouble("Math.exp(" + in + "[" + i + "] - max)"), out, o)));
    code.addStatement("$L scale = $L / sum", p.keyword(), p.literal(1));
    code.add(each(count, bound, r, (i, o) -> CodeBlock.of("$L[$L] *= scale;\n", out, o)));
    return code.build();
  }

  /** As {@link #backward(Activation, String, String, String, String, String, int, String, Precision)}, one row for all. */
  static CodeBlock backward(Activation a, String y, String x, String dy, String row, int count, String bound,
      Precision p) {
    return backward(a, y, x, row, dy, row, count, bound, p);
  }

  /**
   * {@code dy[row + j] *= f'(...)}: in terms of the activation's output {@code y} (at {@code row})
   * where that is enough, else of its input {@code x} at {@code xRow} (swish, gelu: see
   * {@link Activation.Kind#needsInput}).
   */
  static CodeBlock backward(Activation a, String y, String x, String xRow, String dy, String row, int count,
      String bound, Precision p) {
    String zero = p.literal(0);
    String one = p.literal(1);
    Row r = new Row(xRow, row);
    return switch (a.kind()) {
      case LINEAR -> CodeBlock.of("");
      case RELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "if ($L[$L] <= $L) {\n$>$L[$L] = $L;\n$<}\n", y, o, zero, dy, o, zero));
      case SIGMOID -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] *= $L[$L] * ($L - $L[$L]);\n", dy, o, y, o, one, y, o));
      case TANH -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] *= $L - $L[$L] * $L[$L];\n", dy, o, one, y, o, y, o));
      // For alpha >= 0 the output has the input's sign, so the output decides the branch.
      case LEAKY_RELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "if ($L[$L] <= $L) {\n$>$L[$L] *= $L;\n$<}\n", y, o, zero, dy, o, p.literal(a.alpha())));
      // Below 0, elu's slope alpha·e^x equals y + alpha.
      case ELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "if ($L[$L] <= $L) {\n$>$L[$L] *= $L[$L] + $L;\n$<}\n", y, o, zero, dy, o, y, o, p.literal(a.alpha())));
      case SWISH -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] *= $L$T.swishDerivative($L[$L]);\n", dy, o, p.fromDouble(""), ACTIVATIONS, x, i));
      case GELU -> each(count, bound, r, (i, o) -> CodeBlock.of(
          "$L[$L] *= $L$T.$L($L[$L]);\n", dy, o, p.fromDouble(""), ACTIVATIONS,
          a.approximate() ? "geluTanhDerivative" : "geluDerivative", x, i));
      case SOFTMAX -> {
        // dz_j = y_j (dy_j - sum_k dy_k y_k): the softmax Jacobian applied to dy.
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("$L dot = $L", p.keyword(), zero);
        code.add(each(count, bound, r, (i, o) -> CodeBlock.of("dot += $L[$L] * $L[$L];\n", dy, o, y, o)));
        code.add(each(count, bound, r, (i, o) -> CodeBlock.of(
            "$L[$L] = $L[$L] * ($L[$L] - dot);\n", dy, o, y, o, dy, o)));
        yield code.build();
      }
    };
  }

  /** Where a row starts in the array read and in the array written. */
  private record Row(String in, String out) {}

  /** One statement per value of the row, given both index expressions ({@code xRow + j}, {@code yRow + j}). */
  private static CodeBlock each(int count, String bound, Row row,
      java.util.function.BiFunction<String, String, CodeBlock> body) {
    return Loops.constant("j", count, bound, j -> body.apply(Loops.plus(row.in(), j), Loops.plus(row.out(), j)));
  }
}
