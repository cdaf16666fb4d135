package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;

/** {@code key: value} inside a {@code train} block. */
public record Setting(String key, SourceSpan keySpan, Expr value, SourceSpan span) {}
