package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;
import java.util.Optional;

/**
 * One argument of a {@link Call}: positional ({@code x}) or named ({@code units: 128}).
 *
 * @param name the name, for a named argument
 * @param nameSpan where the name is written (the value's span for a positional argument)
 * @param value the value
 * @param span the whole argument
 */
public record Argument(Optional<String> name, SourceSpan nameSpan, Expr value, SourceSpan span) {}
