package dev.nnet.dsl;

import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
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
import dev.nnet.dsl.grammar.NnetBaseVisitor;
import dev.nnet.dsl.grammar.NnetParser.ArgumentContext;
import dev.nnet.dsl.grammar.NnetParser.CallContext;
import dev.nnet.dsl.grammar.NnetParser.CallExprContext;
import dev.nnet.dsl.grammar.NnetParser.ExprContext;
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
import dev.nnet.dsl.grammar.NnetParser.SettingContext;
import dev.nnet.dsl.grammar.NnetParser.StringExprContext;
import dev.nnet.dsl.grammar.NnetParser.TensorTypeContext;
import dev.nnet.dsl.grammar.NnetParser.TrainBlockContext;
import dev.nnet.dsl.grammar.NnetParser.TrainMemberContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Builds the AST records from the parse tree of a network that parsed without errors. The few
 * mistakes the grammar cannot catch (a number too large for a double, an unknown string escape,
 * a second train block) are reported here, as syntax errors, and the network (or file-level
 * constant) is then left out.
 */
final class AstBuilder extends NnetBaseVisitor<Object> {
  private final SourceFile source;
  private final SyntaxReporter reporter;
  private boolean failed;

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

  @Override
  public NetworkDecl visitNetworkDecl(NetworkDeclContext ctx) {
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
    return new NetworkDecl(
        ctx.name.getText(), span(ctx.name), span(ctx), inputs, statements, Optional.ofNullable(train),
        lets);
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

  @Override
  public LayerStatement visitLayerMember(LayerMemberContext ctx) {
    return visitLayerStatement(ctx.layerStatement());
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
