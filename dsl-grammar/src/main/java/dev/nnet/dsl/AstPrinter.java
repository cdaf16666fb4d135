package dev.nnet.dsl;

import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Argument;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.dsl.ast.GanDecl;
import dev.nnet.dsl.ast.InputDecl;
import dev.nnet.dsl.ast.LayerStatement;
import dev.nnet.dsl.ast.LetDecl;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.NnetFile;
import dev.nnet.dsl.ast.Setting;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A readable dump of the AST, one node per line, indented by depth, each line ending with the
 * node's {@code @line:column}. Used by the golden tests and handy when debugging.
 *
 * <pre>
 * let classes = 10 @1:1
 *   value 10 (int) @1:15
 * network MnistMlp @2:9
 *   let hidden = 128 @3:5
 *     value 128 (int) @3:18
 *   input image: float[28, 28] @4:5
 *     dim 28 (int) @4:24
 *   h = dense(x, units: hidden, activation: relu) @6:5
 *     arg x (name) @6:15
 *     arg units: hidden (name) @6:18
 *     arg activation: relu (name) @6:33
 *   train @10:5
 *     optimizer: adam(learning_rate: 1e-3) (call) @12:9
 *       arg learning_rate: 1e-3 (float 0.001) @12:25
 * </pre>
 *
 * <p>File-level constants and networks are printed in source order. Within a network come its
 * constants, its inputs, its layer statements, then the train block, each in source order. A
 * constant's line shows the declaration ({@code let hidden = 128}); the line below it, its value
 * with the value's kind.
 *
 * <p>The network line shows where its name is; every other line where the node starts. Values
 * are labelled with their kind: {@code name}, {@code int}, {@code float} (with the parsed
 * value), {@code text}, {@code list} or {@code call}; lists and calls list their elements and
 * arguments on the lines below.
 */
public final class AstPrinter {
  private AstPrinter() {}

  /** Every file-level constant and network of the file, in source order. */
  public static String print(NnetFile file) {
    List<Object> items = new ArrayList<>(file.lets());
    items.addAll(file.networks());
    items.addAll(file.gans());
    items.sort(Comparator.comparingInt(item -> item instanceof LetDecl let
        ? let.span().startOffset()
        : item instanceof GanDecl gan ? gan.span().startOffset() : ((NetworkDecl) item).span().startOffset()));
    StringBuilder out = new StringBuilder();
    for (Object item : items) {
      if (item instanceof LetDecl let) {
        let(out, 0, let);
      } else if (item instanceof GanDecl gan) {
        line(out, 0, "gan " + source(gan.spec()), gan.nameSpan());
        arguments(out, 1, gan.spec());
      } else {
        out.append(print((NetworkDecl) item));
      }
    }
    return out.toString();
  }

  public static String print(NetworkDecl network) {
    StringBuilder out = new StringBuilder();
    line(out, 0, "network " + network.name(), network.nameSpan());
    for (LetDecl let : network.lets()) {
      let(out, 1, let);
    }
    for (InputDecl input : network.inputs()) {
      line(out, 1, "input " + input.name() + ": " + input.type().elementType()
          + "[" + join(input.type().dimensions()) + "]", input.span());
      for (Expr dim : input.type().dimensions()) {
        value(out, 2, "dim ", dim);
      }
    }
    for (LayerStatement statement : network.statements()) {
      line(out, 1, (statement.output() ? "output " : "") + statement.target() + " = "
          + source(statement.call()), statement.span());
      arguments(out, 2, statement.call());
    }
    network.train().ifPresent(train -> {
      line(out, 1, "train", train.span());
      for (Setting setting : train.settings()) {
        value(out, 2, setting.key() + ": ", setting.value(), setting.span());
      }
    });
    return out.toString();
  }

  /** A value as it would be written: {@code adam(learning_rate: 1e-3)}, {@code [1, 2]}. */
  public static String source(Expr expr) {
    if (expr instanceof Expr.Number n) {
      return n.text();
    } else if (expr instanceof Expr.Name n) {
      return n.name();
    } else if (expr instanceof Expr.Text t) {
      return quote(t.value());
    } else if (expr instanceof Expr.ListOf l) {
      return "[" + join(l.elements()) + "]";
    } else {
      return source(((Expr.CallExpr) expr).call());
    }
  }

  /** A call as it would be written: {@code dense(x, units: 128)}. */
  public static String source(Call call) {
    return call.name() + "(" + call.arguments().stream().map(AstPrinter::source)
        .collect(Collectors.joining(", ")) + ")";
  }

  private static String source(Argument argument) {
    return argument.name().map(n -> n + ": ").orElse("") + source(argument.value());
  }

  private static String join(List<Expr> exprs) {
    return exprs.stream().map(AstPrinter::source).collect(Collectors.joining(", "));
  }

  // let hidden = 128 @3:5, then the value with its kind on the line below.
  private static void let(StringBuilder out, int depth, LetDecl let) {
    line(out, depth, "let " + let.name() + " = " + source(let.value()), let.span());
    value(out, depth + 1, "value ", let.value());
  }

  private static void arguments(StringBuilder out, int depth, Call call) {
    for (Argument argument : call.arguments()) {
      value(out, depth, "arg " + argument.name().map(n -> n + ": ").orElse(""), argument.value(),
          argument.span());
    }
  }

  private static void value(StringBuilder out, int depth, String label, Expr value) {
    value(out, depth, label, value, value.span());
  }

  private static void value(StringBuilder out, int depth, String label, Expr value, SourceSpan at) {
    line(out, depth, label + source(value) + " (" + kind(value) + ")", at);
    if (value instanceof Expr.ListOf list) {
      for (Expr element : list.elements()) {
        value(out, depth + 1, "elem ", element);
      }
    } else if (value instanceof Expr.CallExpr call) {
      arguments(out, depth + 1, call.call());
    }
  }

  private static String kind(Expr value) {
    if (value instanceof Expr.Number n) {
      return n.integer() ? "int" : "float " + n.value();
    } else if (value instanceof Expr.Name) {
      return "name";
    } else if (value instanceof Expr.Text) {
      return "text";
    } else if (value instanceof Expr.ListOf) {
      return "list";
    }
    return "call";
  }

  private static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static void line(StringBuilder out, int depth, String text, SourceSpan at) {
    out.append("  ".repeat(depth)).append(text).append(" @").append(at.line()).append(':')
        .append(at.column()).append('\n');
  }
}
