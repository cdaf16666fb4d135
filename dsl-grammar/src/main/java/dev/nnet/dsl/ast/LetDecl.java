package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;

/**
 * {@code let hidden = 128}: a named constant, declared in a network ({@link NetworkDecl#lets()},
 * visible in that network) or at the top level of a file ({@link NnetFile#lets()}, visible in
 * every network of the file, before or after it). A network-level constant shadows a file-level
 * one of the same name. The grammar accepts any value; the checker decides what is valid where.
 *
 * @param name the constant's name
 * @param nameSpan where the name is written
 * @param value the value, as written
 * @param span the whole declaration, from {@code let} to the end of the value
 */
public record LetDecl(String name, SourceSpan nameSpan, Expr value, SourceSpan span) {}
