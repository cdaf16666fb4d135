package dev.nnet.processor.check;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.dsl.ast.Argument;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.dsl.ast.InputDecl;
import dev.nnet.dsl.ast.LayerStatement;
import dev.nnet.dsl.ast.LetDecl;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.Setting;
import dev.nnet.dsl.ast.TensorType;
import dev.nnet.dsl.ast.TrainBlock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Substitutes {@code let} constants: every name that refers to a constant is replaced by the
 * constant's value, keeping the position of the use, so later checks report mistakes where the
 * value is used ("'units' must be … but got 0" at {@code units: hidden}). File-level constants
 * are visible in every network; a network's own shadow them. A constant sees only the constants
 * declared before it, so definitions can never go round in a circle.
 */
final class Constants {
  private final Map<String, LetDecl> declarations = new LinkedHashMap<>();
  private final Map<String, Expr> values = new LinkedHashMap<>();

  private Constants() {}

  /** The file-level constants; reports each duplicate once. */
  static Constants forFile(List<LetDecl> fileLets, DiagnosticSink sink) {
    Constants constants = new Constants();
    constants.declare(fileLets, sink);
    return constants;
  }

  /** The network with its constants substituted; reports duplicates and clashes with tensors. */
  NetworkDecl substitute(NetworkDecl network, DiagnosticSink sink) {
    Constants own = new Constants();
    own.values.putAll(values);
    own.declarations.putAll(declarations);
    Set<String> ownNames = new HashSet<>();
    for (LetDecl let : network.lets()) {
      if (!ownNames.add(let.name())) {
        sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NAME, let.nameSpan(),
                "the constant '" + let.name() + "' is already declared in this network")
            .withNote("first declared at " + own.declarations.get(let.name()).nameSpan()));
        continue;
      }
      own.declarations.put(let.name(), let);
      own.values.put(let.name(), own.rewrite(let.value()));
    }
    if (own.values.isEmpty()) {
      return network;
    }
    // A constant may not share its name with a tensor: 'hidden' could mean either.
    for (InputDecl input : network.inputs()) {
      own.clash(input.name(), input.nameSpan(), sink);
    }
    for (LayerStatement statement : network.statements()) {
      own.clash(statement.target(), statement.targetSpan(), sink);
    }
    return new NetworkDecl(network.name(), network.nameSpan(), network.span(),
        network.inputs().stream().map(own::rewrite).toList(),
        network.statements().stream().map(own::rewrite).toList(),
        network.train().map(own::rewrite),
        network.lets());
  }

  private void declare(List<LetDecl> lets, DiagnosticSink sink) {
    for (LetDecl let : lets) {
      LetDecl first = declarations.putIfAbsent(let.name(), let);
      if (first != null) {
        sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NAME, let.nameSpan(),
                "the constant '" + let.name() + "' is already declared in this file")
            .withNote("first declared at " + first.nameSpan()));
        continue;
      }
      values.put(let.name(), rewrite(let.value()));
    }
  }

  private void clash(String name, dev.nnet.diag.SourceSpan span, DiagnosticSink sink) {
    LetDecl let = declarations.get(name);
    if (let != null) {
      sink.report(Diagnostic.of(DiagnosticCode.DUPLICATE_NAME, span,
              "'" + name + "' names both a tensor and the constant declared at " + let.nameSpan())
          .withHelp("rename one of them"));
    }
  }

  private InputDecl rewrite(InputDecl input) {
    TensorType type = input.type();
    return new InputDecl(input.name(), input.nameSpan(), new TensorType(type.elementType(), type.elementTypeSpan(),
        type.dimensions().stream().map(this::rewrite).toList(), type.span()), input.span());
  }

  private LayerStatement rewrite(LayerStatement statement) {
    // A layer's positional arguments name the tensors it reads: never constants.
    Call call = statement.call();
    List<Argument> arguments = new java.util.ArrayList<>();
    for (Argument argument : call.arguments()) {
      boolean tensor = argument.name().isEmpty();
      arguments.add(tensor ? argument : new Argument(argument.name(), argument.nameSpan(), rewrite(argument.value()),
          argument.span()));
    }
    return new LayerStatement(statement.output(), statement.target(), statement.targetSpan(),
        new Call(call.name(), call.nameSpan(), arguments, call.span()), statement.span());
  }

  private TrainBlock rewrite(TrainBlock block) {
    return new TrainBlock(block.settings().stream()
        .map(s -> new Setting(s.key(), s.keySpan(), rewrite(s.value()), s.span())).toList(), block.span());
  }

  private Call rewrite(Call call) {
    return new Call(call.name(), call.nameSpan(), call.arguments().stream()
        .map(a -> new Argument(a.name(), a.nameSpan(), rewrite(a.value()), a.span())).toList(), call.span());
  }

  private Expr rewrite(Expr expr) {
    if (expr instanceof Expr.Name name) {
      Expr value = values.get(name.name());
      return value == null ? expr : at(value, name);
    } else if (expr instanceof Expr.ListOf list) {
      return new Expr.ListOf(list.elements().stream().map(this::rewrite).toList(), list.span());
    } else if (expr instanceof Expr.CallExpr call) {
      return new Expr.CallExpr(rewrite(call.call()));
    }
    return expr;
  }

  /** The constant's value, placed where it is used. */
  private static Expr at(Expr value, Expr.Name use) {
    if (value instanceof Expr.Number number) {
      return new Expr.Number(number.text(), number.value(), number.integer(), use.span());
    } else if (value instanceof Expr.Name name) {
      return new Expr.Name(name.name(), use.span());
    } else if (value instanceof Expr.Text text) {
      return new Expr.Text(text.value(), use.span());
    }
    return value; // lists and calls keep their own positions, inside the declaration
  }

}
