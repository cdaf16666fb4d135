package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;
import java.util.List;

/**
 * {@code float[28, 28]}: an element type and the dimensions of one sample (the batch dimension
 * is never written).
 *
 * @param elementType the element type as written ({@code float})
 * @param elementTypeSpan where it is written
 * @param dimensions the dimensions, each an expression (an integer literal for now); empty when
 *     none are written ({@code string})
 * @param span the whole type
 */
public record TensorType(
    String elementType, SourceSpan elementTypeSpan, List<Expr> dimensions, SourceSpan span) {
  public TensorType {
    dimensions = List.copyOf(dimensions);
  }
}
