package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;
import java.util.List;

/**
 * {@code dense(x, units: 128)} or {@code adam(learning_rate: 1e-3)}: a name applied to
 * positional and named arguments. The grammar does not know layer kinds; the checker does, so
 * it can say "unknown layer 'dens', did you mean 'dense'".
 */
public record Call(String name, SourceSpan nameSpan, List<Argument> arguments, SourceSpan span) {
  public Call {
    arguments = List.copyOf(arguments);
  }
}
