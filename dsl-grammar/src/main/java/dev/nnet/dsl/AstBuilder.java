package dev.nnet.dsl;

import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Argument;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.dsl.ast.GanDecl;
import dev.nnet.dsl.ast.InputDecl;
import dev.nnet.dsl.ast.LayerStatement;
import dev.nnet.dsl.ast.LetDecl;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.Setting;
import dev.nnet.dsl.ast.TensorType;
import dev.nnet.dsl.ast.TrainBlock;
import dev.nnet.dsl.grammar.NnetBaseVisitor;
import dev.nnet.dsl.grammar.NnetParser.ArgumentContext;
import dev.nnet.dsl.grammar.NnetParser.CallContext;
import dev.nnet.dsl.grammar.NnetParser.CallExprContext;
import dev.nnet.dsl.grammar.NnetParser.ExprContext;
import dev.nnet.dsl.grammar.NnetParser.GanDeclContext;
import dev.nnet.dsl.grammar.NnetParser.InputDeclContext;
import dev.nnet.dsl.grammar.NnetParser.InputMemberContext;
import dev.nnet.dsl.grammar.NnetParser.LayerMemberContext;
import dev.nnet.dsl.grammar.NnetParser.LayerStatementContext;
import dev.nnet.dsl.grammar.NnetParser.LetDeclContext;
import dev.nnet.dsl.grammar.NnetParser.LetMemberContext;
import dev.nnet.dsl.grammar.NnetParser.ListExprContext;
import dev.nnet.dsl.grammar.NnetParser.MemberContext;
import dev.nnet.dsl.grammar.NnetParser.NameExprContext;
import dev.nnet.dsl.grammar.NnetParser.NetworkDeclContext;
import dev.nnet.dsl.grammar.NnetParser.NumberExprContext;
import dev.nnet.dsl.grammar.NnetParser.SequentialBlockContext;
import dev.nnet.dsl.grammar.NnetParser.SettingContext;
import dev.nnet.dsl.grammar.NnetParser.StringExprContext;
import dev.nnet.dsl.grammar.NnetParser.TensorTypeContext;
import dev.nnet.dsl.grammar.NnetParser.TrainBlockContext;
import dev.nnet.dsl.grammar.NnetParser.TrainMemberContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Builds the AST records from the parse tree of a network that parsed without errors. The few
 * mistakes the grammar cannot catch (a number too large for a double, an unknown string escape,
 * a second train block, a malformed sequential block) are reported here, as syntax errors, and
 * the network (or file-level constant) is then left out.
 *
 * <p>A sequential block is desugared here into ordinary layer statements, one per layer:
 *
 * <pre>
 * output probs = sequential(image) {      probs_1 = flatten(image)
 *     flatten()                            probs_2 = dense(probs_1, units: 128)
 *     dense(units: 128)             =>     output probs = dense(probs_2, units: 10)
 *     dense(units: 10)
 * }
 * </pre>
 *
 * Each layer gets the previous result (the first, the tensor given to {@code sequential}) as its
 * first positional argument, an {@link Expr.Name} whose span is the layer's name, so that a
 * checker diagnostic about it points at that layer. The results are named {@code <target>_1},
 * {@code <target>_2}, ... and the last one {@code <target>}; only the last carries
 * {@code output}. Each statement's span is its layer's call, and an intermediate result's
 * target span is its layer's name (the name is written nowhere).
 */
final class AstBuilder extends NnetBaseVisitor<Object> {
  private final SourceFile source;
  private final SyntaxReporter reporter;
  private boolean failed;
  // The intermediate statements of sequential blocks in the network being built (by identity).
  private final Set<LayerStatement> generated = Collections.newSetFromMap(new IdentityHashMap<>());

  AstBuilder(SourceFile source, SyntaxReporter reporter) {
    this.source = source;
    this.reporter = reporter;
  }

  /** The network, or empty if it has a mistake only the builder sees (already reported). */
  Optional<NetworkDecl> network(NetworkDeclContext ctx) {
    failed = false;
    NetworkDecl network = visitNetworkDecl(ctx);
    return failed ? Optional.empty() : Optional.of(network);
  }

  /** A file-level constant, or empty if it has a mistake only the builder sees (already reported). */
  Optional<LetDecl> let(LetDeclContext ctx) {
    failed = false;
    LetDecl let = visitLetDecl(ctx);
    return failed ? Optional.empty() : Optional.of(let);
  }

  /** A one-line GAN declaration (the checker reads its arguments). */
  GanDecl gan(GanDeclContext ctx) {
    return new GanDecl(visitCall(ctx.spec), span(ctx));
  }

  @Override
  public NetworkDecl visitNetworkDecl(NetworkDeclContext ctx) {
    generated.clear();
    List<LetDecl> lets = new ArrayList<>();
    List<InputDecl> inputs = new ArrayList<>();
    List<LayerStatement> statements = new ArrayList<>();
    TrainBlock train = null;
    for (MemberContext member : ctx.members) {
      Object node = visit(member);
      if (node instanceof LetDecl let) {
        lets.add(let);
      } else if (node instanceof InputDecl input) {
        inputs.add(input);
      } else if (node instanceof LayerStatement statement) {
        statements.add(statement);
      } else if (node instanceof List<?> desugared) {
        for (Object statement : desugared) {
          statements.add((LayerStatement) statement);
        }
      } else if (node instanceof TrainBlock block) {
        if (train == null) {
          train = block;
        } else {
          failed = true;
          reporter.report(
              source.span(block.span().startOffset(), block.span().startOffset() + "train".length()),
              "network '" + ctx.name.getText() + "' has a second train block",
              List.of("the first train block is at line " + train.span().line()),
              "merge the settings into one train block");
        }
      }
    }
    checkGeneratedNames(inputs, statements, lets);
    return new NetworkDecl(
        ctx.name.getText(), span(ctx.name), span(ctx), inputs, statements, Optional.ofNullable(train),
        lets);
  }

  // The names a sequential block gives its intermediate results are written nowhere, so one that
  // is also declared in the network would silently replace (or be replaced by) the other.
  private void checkGeneratedNames(
      List<InputDecl> inputs, List<LayerStatement> statements, List<LetDecl> lets) {
    Map<String, SourceSpan> declared = new HashMap<>();
    for (LetDecl let : lets) {
      declared.putIfAbsent(let.name(), let.nameSpan());
    }
    for (InputDecl input : inputs) {
      declared.putIfAbsent(input.name(), input.nameSpan());
    }
    for (LayerStatement statement : statements) {
      if (!generated.contains(statement)) {
        declared.putIfAbsent(statement.target(), statement.targetSpan());
      }
    }
    for (LayerStatement statement : statements) {
      SourceSpan other = generated.contains(statement) ? declared.get(statement.target()) : null;
      if (other != null) {
        failed = true;
        reporter.report(
            statement.targetSpan(),
            "inside sequential, this layer's result is named '" + statement.target()
                + "', which is also declared at " + other.line() + ":" + other.column(),
            List.of(),
            "rename '" + statement.target() + "' or the target of the sequential statement");
      }
    }
    generated.clear();
  }

  @Override
  public LetDecl visitLetMember(LetMemberContext ctx) {
    return visitLetDecl(ctx.letDecl());
  }

  @Override
  public LetDecl visitLetDecl(LetDeclContext ctx) {
    return new LetDecl(ctx.name.getText(), span(ctx.name), expr(ctx.value), span(ctx));
  }

  @Override
  public InputDecl visitInputMember(InputMemberContext ctx) {
    return visitInputDecl(ctx.inputDecl());
  }

  /** One layer statement or, for a sequential block, the list of statements it stands for. */
  @Override
  public Object visitLayerMember(LayerMemberContext ctx) {
    LayerStatementContext statement = ctx.layerStatement();
    if (statement.block == null && !isSequential(statement.call())) {
      return visitLayerStatement(statement);
    }
    return sequential(statement);
  }

  @Override
  public TrainBlock visitTrainMember(TrainMemberContext ctx) {
    return visitTrainBlock(ctx.trainBlock());
  }

  @Override
  public InputDecl visitInputDecl(InputDeclContext ctx) {
    return new InputDecl(ctx.name.getText(), span(ctx.name), visitTensorType(ctx.type), span(ctx));
  }

  @Override
  public TensorType visitTensorType(TensorTypeContext ctx) {
    List<Expr> dims = new ArrayList<>();
    for (ExprContext dim : ctx.dims) {
      dims.add(expr(dim));
    }
    return new TensorType(ctx.elementType.getText(), span(ctx.elementType), dims, span(ctx));
  }

  @Override
  public LayerStatement visitLayerStatement(LayerStatementContext ctx) {
    return new LayerStatement(
        ctx.output != null, ctx.target.getText(), span(ctx.target), visitCall(ctx.call()), span(ctx));
  }

  // ---- The sequential block

  private static boolean isSequential(CallContext call) {
    return call.name.getText().equals(SyntaxMessages.SEQUENTIAL);
  }

  // 'output probs = sequential(image) { flatten()  dense(units: 10) }': checked, then desugared
  // (see the class comment). Each problem is reported once: the head, then each layer.
  private List<LayerStatement> sequential(LayerStatementContext ctx) {
    CallContext head = ctx.call();
    SequentialBlockContext block = ctx.block;
    if (!isSequential(head)) {
      failed = true;
      String name = head.name.getText();
      reporter.report(
          span(head.name),
          "only 'sequential' takes a block of layers, not " + SyntaxMessages.quote(name),
          List.of(),
          closeTo(name, SyntaxMessages.SEQUENTIAL)
              ? "did you mean 'sequential'?"
              : "write the block as 'sequential(x) { ... }', or end the statement before '{'");
      return List.of();
    }
    if (block == null) {
      failed = true;
      reporter.report(span(head), "'sequential' needs a block of layers",
          List.of(), "list the layers between '{' and '}', as in 'sequential(image) { flatten() }'");
      return List.of();
    }
    String input = sequentialInput(head);
    if (block.layers.isEmpty()) {
      failed = true;
      reporter.report(span(block), "sequential needs at least one layer", List.of(),
          "list the layers between '{' and '}', as in 'sequential(image) { flatten() }'");
    }
    List<Call> layers = new ArrayList<>();
    for (int i = 0; i < block.layers.size(); i++) {
      CallContext layer = block.layers.get(i);
      if (checkLayer(layer, i == 0 ? null : block.layers.get(i - 1), input)) {
        layers.add(visitCall(layer));
      }
    }
    if (input == null || layers.size() != block.layers.size() || layers.isEmpty()) {
      failed = true;
      return List.of();
    }
    String target = ctx.target.getText();
    List<LayerStatement> statements = new ArrayList<>();
    String previous = input;
    for (int i = 0; i < layers.size(); i++) {
      Call layer = layers.get(i);
      boolean last = i == layers.size() - 1;
      Expr.Name read = new Expr.Name(previous, layer.nameSpan());
      List<Argument> arguments = new ArrayList<>();
      arguments.add(new Argument(Optional.empty(), read.span(), read, read.span()));
      arguments.addAll(layer.arguments());
      Call call = new Call(layer.name(), layer.nameSpan(), arguments, layer.span());
      String name = last ? target : target + "_" + (i + 1);
      LayerStatement statement =
          new LayerStatement(last && ctx.output != null, name, last ? span(ctx.target) : layer.nameSpan(),
              call, layer.span());
      if (!last) {
        generated.add(statement);
      }
      statements.add(statement);
      previous = name;
    }
    return statements;
  }

  // The one tensor in 'sequential(image)', or null (reported) if there is not exactly one.
  private String sequentialInput(CallContext head) {
    String help = "give 'sequential' the tensor its first layer reads, as in 'sequential(image) { ... }'";
    String message = "sequential needs exactly one input tensor in its parentheses";
    if (head.args.isEmpty()) {
      failed = true;
      int open = head.LPAREN().getSymbol().getStartIndex();
      int close = head.RPAREN().getSymbol().getStopIndex() + 1;
      reporter.report(source.span(open, close), message, List.of(), help);
      return null;
    }
    if (head.args.size() > 1) {
      failed = true;
      ArgumentContext extra = head.args.get(1);
      reporter.report(span(extra), message, List.of(), extra.name != null
          ? "settings go on the layers in the block; 'sequential' takes only its input tensor"
          : "to read several tensors, join them first (as in 'x = concat(a, b)') and give "
              + "'sequential' the result");
      return null;
    }
    ArgumentContext arg = head.args.get(0);
    if (arg.name != null) {
      failed = true;
      reporter.report(span(arg.name), "sequential takes its input tensor without a name: remove "
          + SyntaxMessages.quote(arg.name.getText() + ":"), List.of(), help);
      return null;
    }
    if (!(arg.value instanceof NameExprContext name)) {
      failed = true;
      reporter.report(span(arg), "sequential reads a tensor, written by name, but found "
          + SyntaxMessages.quote(text(arg)), List.of(), help);
      return null;
    }
    return name.name.getText();
  }

  // A layer in the block takes named arguments only: its input is the previous layer's result.
  private boolean checkLayer(CallContext layer, CallContext previous, String input) {
    if (isSequential(layer)) {
      failed = true;
      reporter.report(span(layer.name), "sequential blocks do not nest", List.of(),
          "list the layers in one block");
      return false;
    }
    for (ArgumentContext arg : layer.args) {
      if (arg.name == null) {
        failed = true;
        String reads = previous != null
            ? "'" + layer.name.getText() + "' reads the result of '" + previous.name.getText()
                + "' (line " + previous.getStart().getLine() + ")"
            : input != null
                ? "'" + layer.name.getText() + "' reads '" + input + "', the tensor given to sequential"
                : "the first layer reads the tensor given to sequential";
        reporter.report(span(arg), "inside sequential, a layer reads the previous one's result: remove "
            + SyntaxMessages.quote(text(arg)), List.of(), reads);
        return false;
      }
    }
    return true;
  }

  // Whether a misspelling of 'expected' is likely: an edit distance of at most 2.
  private static boolean closeTo(String written, String expected) {
    int[] row = new int[expected.length() + 1];
    for (int j = 0; j <= expected.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= written.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= expected.length(); j++) {
        int above = row[j];
        int cost = Character.toLowerCase(written.charAt(i - 1)) == expected.charAt(j - 1) ? 0 : 1;
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + cost);
        diagonal = above;
      }
    }
    return row[expected.length()] <= 2;
  }

  private String text(ParserRuleContext ctx) {
    return source.text().substring(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex() + 1);
  }

  @Override
  public Call visitCall(CallContext ctx) {
    List<Argument> args = new ArrayList<>();
    for (ArgumentContext arg : ctx.args) {
      args.add(visitArgument(arg));
    }
    return new Call(ctx.name.getText(), span(ctx.name), args, span(ctx));
  }

  @Override
  public Argument visitArgument(ArgumentContext ctx) {
    Expr value = expr(ctx.value);
    if (ctx.name == null) {
      return new Argument(Optional.empty(), value.span(), value, span(ctx));
    }
    return new Argument(Optional.of(ctx.name.getText()), span(ctx.name), value, span(ctx));
  }

  @Override
  public TrainBlock visitTrainBlock(TrainBlockContext ctx) {
    List<Setting> settings = new ArrayList<>();
    for (SettingContext setting : ctx.settings) {
      settings.add(visitSetting(setting));
    }
    return new TrainBlock(settings, span(ctx));
  }

  @Override
  public Setting visitSetting(SettingContext ctx) {
    return new Setting(ctx.key.getText(), span(ctx.key), expr(ctx.value), span(ctx));
  }

  // ---- Expressions

  private Expr expr(ExprContext ctx) {
    return (Expr) visit(ctx);
  }

  @Override
  public Expr visitNumberExpr(NumberExprContext ctx) {
    String digits = ctx.number.getText();
    String text = ctx.minus != null ? "-" + digits : digits;
    double value = Double.parseDouble(text);
    boolean integer = digits.chars().allMatch(c -> c >= '0' && c <= '9');
    SourceSpan span = span(ctx);
    if (Double.isInfinite(value)) {
      failed = true;
      reporter.report(span, "number out of range", List.of(),
          "numbers must lie within \u00b11.7976931348623157e308");
    }
    return new Expr.Number(text, value, integer, span);
  }

  @Override
  public Expr visitNameExpr(NameExprContext ctx) {
    return new Expr.Name(ctx.name.getText(), span(ctx));
  }

  @Override
  public Expr visitStringExpr(StringExprContext ctx) {
    return new Expr.Text(unescape(ctx.text), span(ctx));
  }

  @Override
  public Expr visitListExpr(ListExprContext ctx) {
    List<Expr> elements = new ArrayList<>();
    for (ExprContext element : ctx.elements) {
      elements.add(expr(element));
    }
    return new Expr.ListOf(elements, span(ctx));
  }

  @Override
  public Expr visitCallExpr(CallExprContext ctx) {
    return new Expr.CallExpr(visitCall(ctx.call()));
  }

  // The lexer lets any escape through; only \" \\ \n and \t mean something.
  private String unescape(Token token) {
    String text = token.getText();
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 1; i < text.length() - 1; i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escaped = text.charAt(++i);
      switch (escaped) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        default -> {
          failed = true;
          int at = token.getStartIndex() + i - 1;
          reporter.report(
              source.span(at, at + 2),
              "unknown escape " + SyntaxMessages.quote("\\" + escaped)
                  + " in string",
              List.of(),
              "the escapes are \\\", \\\\, \\n and \\t");
          out.append(escaped);
        }
      }
    }
    return out.toString();
  }

  private SourceSpan span(ParserRuleContext ctx) {
    return source.span(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex() + 1);
  }

  private SourceSpan span(Token token) {
    return source.span(token.getStartIndex(), token.getStopIndex() + 1);
  }
}
