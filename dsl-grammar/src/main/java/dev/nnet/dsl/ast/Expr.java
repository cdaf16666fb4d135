package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;
import java.util.List;

/** A value written in a {@code .nnet} file. */
public sealed interface Expr {
  SourceSpan span();

  /**
   * A number as written. {@code integer} is true when the text has no '.', exponent or
   * suffix, so {@code 128} can be a unit count and {@code 1e-3} cannot.
   */
  record Number(String text, double value, boolean integer, SourceSpan span) implements Expr {}

  /** A bare name: a tensor ({@code x}), or an option value ({@code relu}). */
  record Name(String name, SourceSpan span) implements Expr {}

  /** {@code "text"}, with escapes resolved. */
  record Text(String value, SourceSpan span) implements Expr {}

  /** {@code [a, b, c]}. */
  record ListOf(List<Expr> elements, SourceSpan span) implements Expr {
    public ListOf {
      elements = List.copyOf(elements);
    }
  }

  /** A call used as a value: {@code adam(learning_rate: 1e-3)}. */
  record CallExpr(Call call) implements Expr {
    @Override
    public SourceSpan span() {
      return call.span();
    }
  }
}
