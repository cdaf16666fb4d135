package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;

/** {@code input image: float[28, 28]}. */
public record InputDecl(String name, SourceSpan nameSpan, TensorType type, SourceSpan span) {}
