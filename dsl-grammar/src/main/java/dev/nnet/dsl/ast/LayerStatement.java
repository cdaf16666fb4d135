package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;

/**
 * {@code h = dense(x, units: 128, activation: relu)} or, for a network output,
 * {@code output probs = dense(h, units: 10, activation: softmax)}.
 *
 * @param output whether the statement starts with {@code output}
 * @param target the name the result is bound to
 * @param targetSpan where that name is written
 * @param call the layer applied
 * @param span the whole statement
 */
public record LayerStatement(
    boolean output, String target, SourceSpan targetSpan, Call call, SourceSpan span) {}
