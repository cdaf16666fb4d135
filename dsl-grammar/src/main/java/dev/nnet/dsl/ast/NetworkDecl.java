package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;
import java.util.List;
import java.util.Optional;

/**
 * {@code network Name { inputs; statements; train { ... } }}.
 *
 * @param name the network's name, also the generated class's simple name
 * @param nameSpan where the name is written
 * @param span the whole declaration
 * @param inputs the {@code input} declarations, in source order
 * @param statements the layer statements, in source order
 * @param train the {@code train} block, if there is one
 */
public record NetworkDecl(
    String name,
    SourceSpan nameSpan,
    SourceSpan span,
    List<InputDecl> inputs,
    List<LayerStatement> statements,
    Optional<TrainBlock> train) {
  public NetworkDecl {
    inputs = List.copyOf(inputs);
    statements = List.copyOf(statements);
  }
}
