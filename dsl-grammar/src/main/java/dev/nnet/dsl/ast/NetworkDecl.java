package dev.nnet.dsl.ast;

import dev.nnet.diag.SourceSpan;
import java.util.List;
import java.util.Optional;

/**
 * {@code network Name { lets; inputs; statements; train { ... } }}.
 *
 * @param name the network's name, also the generated class's simple name
 * @param nameSpan where the name is written
 * @param span the whole declaration
 * @param inputs the {@code input} declarations, in source order
 * @param statements the layer statements, in source order
 * @param train the {@code train} block, if there is one
 * @param lets the network's own {@code let} constants, in source order; they are visible in this
 *     network only and shadow the file's constants ({@link NnetFile#lets()}) of the same name
 */
public record NetworkDecl(
    String name,
    SourceSpan nameSpan,
    SourceSpan span,
    List<InputDecl> inputs,
    List<LayerStatement> statements,
    Optional<TrainBlock> train,
    List<LetDecl> lets) {
  public NetworkDecl {
    inputs = List.copyOf(inputs);
    statements = List.copyOf(statements);
    lets = List.copyOf(lets);
  }

  /** A network without constants (the form before {@code let} existed). */
  public NetworkDecl(
      String name,
      SourceSpan nameSpan,
      SourceSpan span,
      List<InputDecl> inputs,
      List<LayerStatement> statements,
      Optional<TrainBlock> train) {
    this(name, nameSpan, span, inputs, statements, train, List.of());
  }
}
