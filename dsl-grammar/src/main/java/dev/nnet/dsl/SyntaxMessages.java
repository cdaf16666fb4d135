package dev.nnet.dsl;

import static dev.nnet.dsl.grammar.NnetLexer.ASSIGN;
import static dev.nnet.dsl.grammar.NnetLexer.COLON;
import static dev.nnet.dsl.grammar.NnetLexer.COMMA;
import static dev.nnet.dsl.grammar.NnetLexer.ERROR_CHAR;
import static dev.nnet.dsl.grammar.NnetLexer.GAN;
import static dev.nnet.dsl.grammar.NnetLexer.IDENTIFIER;
import static dev.nnet.dsl.grammar.NnetLexer.INPUT;
import static dev.nnet.dsl.grammar.NnetLexer.LBRACE;
import static dev.nnet.dsl.grammar.NnetLexer.LBRACK;
import static dev.nnet.dsl.grammar.NnetLexer.LET;
import static dev.nnet.dsl.grammar.NnetLexer.LPAREN;
import static dev.nnet.dsl.grammar.NnetLexer.MINUS;
import static dev.nnet.dsl.grammar.NnetLexer.NETWORK;
import static dev.nnet.dsl.grammar.NnetLexer.NUMBER;
import static dev.nnet.dsl.grammar.NnetLexer.OUTPUT;
import static dev.nnet.dsl.grammar.NnetLexer.RBRACE;
import static dev.nnet.dsl.grammar.NnetLexer.RBRACK;
import static dev.nnet.dsl.grammar.NnetLexer.RPAREN;
import static dev.nnet.dsl.grammar.NnetLexer.SEMI;
import static dev.nnet.dsl.grammar.NnetLexer.STRING;
import static dev.nnet.dsl.grammar.NnetLexer.TRAIN;
import static dev.nnet.dsl.grammar.NnetLexer.UNTERMINATED_STRING;

import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.grammar.NnetLexer;
import dev.nnet.dsl.grammar.NnetParser.ArgumentContext;
import dev.nnet.dsl.grammar.NnetParser.CallContext;
import dev.nnet.dsl.grammar.NnetParser.FileContext;
import dev.nnet.dsl.grammar.NnetParser.InputDeclContext;
import dev.nnet.dsl.grammar.NnetParser.LayerMemberContext;
import dev.nnet.dsl.grammar.NnetParser.LayerStatementContext;
import dev.nnet.dsl.grammar.NnetParser.LetDeclContext;
import dev.nnet.dsl.grammar.NnetParser.LetMemberContext;
import dev.nnet.dsl.grammar.NnetParser.ListExprContext;
import dev.nnet.dsl.grammar.NnetParser.NameExprContext;
import dev.nnet.dsl.grammar.NnetParser.NetworkDeclContext;
import dev.nnet.dsl.grammar.NnetParser.NumberExprContext;
import dev.nnet.dsl.grammar.NnetParser.SequentialBlockContext;
import dev.nnet.dsl.grammar.NnetParser.SettingContext;
import dev.nnet.dsl.grammar.NnetParser.TensorTypeContext;
import dev.nnet.dsl.grammar.NnetParser.TrainBlockContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The wording of syntax errors. ANTLR knows which tokens it expected; this class knows which
 * rule it was in and says it the way a person would ({@code expected ':' after the setting name
 * but found 'adam'}, not {@code mismatched input 'adam' expecting ':'}).
 */
final class SyntaxMessages {
  /** What to report: the token to point at, the message, notes and an optional help line. */
  record Complaint(Token at, String message, List<String> notes, String help) {
    Complaint(Token at, String message) {
      this(at, message, List.of(), null);
    }

    Complaint withHelp(String text) {
      return text == null ? this : new Complaint(at, message, notes, text);
    }

    Complaint withNote(String note) {
      List<String> more = new ArrayList<>(notes);
      more.add(note);
      return new Complaint(at, message, more, help);
    }
  }

  private static final IntervalSet VALUE_START =
      new IntervalSet(MINUS, NUMBER, IDENTIFIER, STRING, LBRACK);

  private final SourceFile source;
  private final TokenStream tokens;

  SyntaxMessages(SourceFile source, TokenStream tokens) {
    this.source = source;
    this.tokens = tokens;
  }

  /**
   * The span a complaint about {@code token} points at: the token itself, or for the end of the
   * file the position just after the last token.
   */
  SourceSpan spanOf(Token token) {
    if (token.getType() == Token.EOF) {
      Token previous = previous(token);
      int at = previous == null ? 0 : previous.getStopIndex() + 1;
      return source.span(at, at);
    }
    return source.span(token.getStartIndex(), token.getStopIndex() + 1);
  }

  /** A token the lexer could not make sense of, or {@code null}. */
  static Complaint lexical(Token found) {
    if (found.getType() == ERROR_CHAR) {
      Complaint c = new Complaint(found, "unexpected character " + describeCharacter(found.getText()));
      return switch (found.getText()) {
        case "#" -> c.withHelp("comments start with '//'");
        case "'" -> c.withHelp("strings are written in double quotes: \"text\"");
        default -> c;
      };
    }
    if (found.getType() == UNTERMINATED_STRING) {
      return new Complaint(found, "unterminated string")
          .withHelp("close the string with '\"' before the end of the line");
    }
    return null;
  }

  /**
   * A complaint about {@code found} where the parser, in rule {@code ctx}, expected one of
   * {@code expected}. {@code decisionStart} is where a failed prediction began, if that is where
   * the parser stood (it may be before {@code found}).
   */
  Complaint explain(
      ParserRuleContext ctx, Token found, IntervalSet expectedTokens, Token decisionStart) {
    Complaint lexical = lexical(found);
    if (lexical != null) {
      return lexical;
    }
    IntervalSet expected = expectedTokens == null ? new IntervalSet() : new IntervalSet(expectedTokens);
    expected.remove(Token.EPSILON);
    boolean afterComma =
        decisionStart != null
            && decisionStart.getType() == COMMA
            && decisionStart.getTokenIndex() < found.getTokenIndex();
    Complaint c = explainIn(ctx, found, expected, afterComma);
    if (c.help() == null && isKeyword(found.getType()) && expected.contains(IDENTIFIER)) {
      c = c.withHelp("'" + found.getText() + "' is a keyword and cannot be used as a name");
    }
    return c;
  }

  private Complaint explainIn(
      ParserRuleContext ctx, Token found, IntervalSet expected, boolean afterComma) {
    if (ctx instanceof NetworkDeclContext network) {
      if (only(expected, IDENTIFIER)) {
        return expect(found, "a network name after 'network'");
      }
      if (only(expected, LBRACE)) {
        return expect(found, "'{' after the network name");
      }
      if (only(expected, RBRACE)) {
        String which = hasText(network.name) ? "network '" + network.name.getText() + "'" : "the network";
        return expect(found, "'}' to close " + which)
            .withNote(which + " starts at line " + network.getStart().getLine());
      }
    } else if (ctx instanceof InputDeclContext) {
      if (only(expected, IDENTIFIER)) {
        return expect(found, "a name for the input after 'input'");
      }
      if (only(expected, COLON)) {
        return expect(found, "':' after the input name")
            .withHelp("an input is declared as 'input image: float[28, 28]'");
      }
    } else if (ctx instanceof TensorTypeContext type) {
      if (only(expected, IDENTIFIER)) {
        return expect(found, "an element type such as 'float'");
      }
      if (only(expected, LBRACK)) {
        return expect(found, "'[' after the element type")
            .withHelp("give the shape of one sample, as in 'float[28, 28]'");
      }
      if (isCloseOrComma(expected, RBRACK)) {
        return closeOrSeparate(found, "']'", "to close the shape", type.LBRACK(),
            "separate dimensions with ','", false);
      }
      if (expected.contains(NUMBER)) {
        return expect(found, "a dimension");
      }
    } else if (ctx instanceof LayerStatementContext statement) {
      if (only(expected, IDENTIFIER)) {
        return expect(found, "a name after 'output'");
      }
      if (only(expected, ASSIGN)) {
        LayerStatementContext sequential =
            sequentialWithoutBlock(statement.getParent() == null ? null : statement.getParent().getParent(),
                statement, tokens);
        if (sequential != null) {
          // 'probs = sequential(x)' then 'flatten()' on the next line: the block's '{' is missing.
          return expect(statement.target, "'{' after " + quote(sourceText(sequential.call())))
              .withHelp("the layers of a sequential block go between '{' and '}'");
        }
        Complaint c = expect(found, "'=' after '" + text(statement.target) + "'");
        if (found.getType() == LPAREN) {
          c = c.withHelp("a layer statement names its result, as in 'h = " + text(statement.target) + "(...)'");
        }
        return c;
      }
    } else if (ctx instanceof CallContext call) {
      String callee = text(call.name);
      if (only(expected, IDENTIFIER)) {
        return expect(found, "a layer call after '='");
      }
      if (only(expected, LPAREN)) {
        Complaint c = expect(found, "'(' after '" + callee + "'");
        if (callee.equals(SEQUENTIAL) && found.getType() == LBRACE) {
          c = c.withHelp("give 'sequential' the tensor its first layer reads, as in 'sequential(image) { ... }'");
        }
        return c;
      }
      if (afterComma) {
        return expect(found, "an argument or ')' after ','");
      }
      if (isCloseOrComma(expected, RPAREN)) {
        Complaint missingValue = missingNamedValue(found, call.args);
        if (missingValue != null) {
          return missingValue;
        }
        return closeOrSeparate(found, "')'", "to close the call to '" + callee + "'", call.LPAREN(),
            argumentHelp(found, call.args), nextLayer(found, call));
      }
      if (expected.contains(RPAREN) && containsAll(expected, VALUE_START)) {
        return expect(found, "an argument or ')'");
      }
    } else if (ctx instanceof ListExprContext list) {
      if (afterComma) {
        return expect(found, "a value or ']' after ','");
      }
      if (isCloseOrComma(expected, RBRACK)) {
        return closeOrSeparate(found, "']'", "to close the list", list.LBRACK(),
            "separate list elements with ','", nextLayer(found, list));
      }
      if (expected.contains(RBRACK) && containsAll(expected, VALUE_START)) {
        return expect(found, "a value or ']'");
      }
    } else if (ctx instanceof NumberExprContext) {
      if (only(expected, NUMBER)) {
        return expect(found, "a number after '-'");
      }
    } else if (ctx instanceof SequentialBlockContext block) {
      if (only(expected, RBRACE)) {
        return unclosedBlock(found, block);
      }
    } else if (ctx instanceof TrainBlockContext) {
      if (only(expected, LBRACE)) {
        return expect(found, "'{' after 'train'");
      }
      if (only(expected, RBRACE)) {
        return expect(found, "'}' to close the train block")
            .withNote("the train block starts at line " + ctx.getStart().getLine());
      }
    } else if (ctx instanceof SettingContext setting) {
      if (only(expected, COLON)) {
        return expect(found, "':' after the setting name")
            .withHelp("a setting is written '" + text(setting.key) + ": value'");
      }
    } else if (ctx instanceof LetDeclContext let) {
      if (only(expected, IDENTIFIER)) {
        Complaint c = expect(found, "a name for the constant after 'let'");
        if (found.getType() == NUMBER) {
          return c.withHelp("a name starts with a letter or '_', as in 'let hidden = 128'");
        }
        return isKeyword(found.getType()) ? c : c.withHelp("a constant is declared as 'let hidden = 128'");
      }
      if (only(expected, ASSIGN)) {
        return expect(found, "'=' after the constant name").withHelp(letHelp(let.name, found));
      }
    } else if (ctx.getParent() instanceof LetDeclContext let && containsAll(expected, VALUE_START)) {
      // 'let hidden =' and then no value: the keyword or '}' that follows is not the culprit.
      String name = hasText(let.name) ? "'let " + let.name.getText() + " ='" : "'='";
      return expect(found, "a value after " + name)
          .withHelp("give the constant a value, as in 'let " + text(let.name) + " = 128'");
    }
    if (containsAll(expected, VALUE_START)) {
      boolean dimension = ctx.getParent() instanceof TensorTypeContext;
      IntervalSet rest = new IntervalSet(expected);
      rest = rest.subtract(VALUE_START);
      if (rest.isNil()) {
        return expect(found, dimension ? "a dimension" : "a value");
      }
    }
    return expect(found, describe(expected));
  }

  /** A complaint about a token that cannot start (or end) a statement at {@code level}. */
  Complaint stray(NnetErrorStrategy.Level level, ParserRuleContext ctx, Token found) {
    Complaint lexical = lexical(found);
    if (lexical != null) {
      return lexical;
    }
    Complaint missingLet =
        level == NnetErrorStrategy.Level.FILE || level == NnetErrorStrategy.Level.MEMBERS
            ? missingLetValue(found, ctx)
            : null;
    if (missingLet != null) {
      return missingLet;
    }
    return switch (level) {
      case FILE -> expect(found, "'network' or 'let'").withHelp(fileHelp(found, ctx));
      case MEMBERS -> expect(found, "a layer statement, 'input', 'output', 'train' or 'let'");
      case SETTINGS -> {
        if (found.getType() == COLON && ctx instanceof TrainBlockContext train
            && !train.settings.isEmpty()) {
          SettingContext last = train.settings.get(train.settings.size() - 1);
          Complaint missing = missingValue(found, last.key, last.value);
          if (missing != null) {
            yield missing;
          }
        }
        if (found.getType() == LET) {
          yield expect(found, "a setting or '}'").withHelp(
              "a constant is declared in the network or at the top of the file, not in a train block");
        }
        yield expect(found, "a setting or '}'").withHelp("a setting is written 'name: value'");
      }
      case LAYERS -> expect(found, "a layer or '}'")
          .withHelp("a sequential block lists layer calls, as in 'dense(units: 10)'");
    };
  }

  // ---- The sequential block

  /** The name of the call that takes a block of layers. It is not a keyword. */
  static final String SEQUENTIAL = "sequential";

  /** {@code '}'} missing at the end of a sequential block: {@code found} comes after it. */
  Complaint unclosedBlock(Token found, SequentialBlockContext block) {
    Complaint c = expect(found, "'}' to close the sequential block");
    if (hasText(block.LBRACE().getSymbol())) {
      SourceSpan at = spanOf(block.LBRACE().getSymbol());
      c = c.withNote("the '{' at " + at.line() + ":" + at.column() + " is not closed");
    }
    return c;
  }

  /** {@code h = dense(...)} inside a sequential block. */
  Complaint namedLayer(Token name) {
    return new Complaint(name, "inside sequential, a layer is not named: remove " + quote(name.getText() + " ="))
        .withHelp("the statement names the block's result; to name a layer of its own, end the block and "
            + "write a layer statement");
  }

  /**
   * Whether {@code name =} in a sequential block is the network's next member rather than a
   * layer given a name: it is on a later line than the block's '{' and starts no further right
   * than the statement that opened the block.
   */
  static boolean closesBlock(Token name, SequentialBlockContext block) {
    Token open = block.LBRACE().getSymbol();
    Token statement = block.getParent() != null ? block.getParent().getStart() : open;
    return name.getLine() > open.getLine()
        && name.getCharPositionInLine() <= statement.getCharPositionInLine();
  }

  /** Whether {@code token} is the first token on its line ({@code previous} comes before it). */
  static boolean startsLine(Token token, Token previous) {
    return previous == null || previous.getType() == Token.EOF || previous.getLine() < token.getLine();
  }

  /**
   * The statement {@code name = sequential(...)}, without a block, that comes right before
   * {@code failed} (a statement that begins {@code name(}) in {@code network}: then the
   * sequential block's '{' is missing, and its first layer was taken for a statement. Or null.
   */
  static LayerStatementContext sequentialWithoutBlock(
      ParseTree network, LayerStatementContext failed, TokenStream tokens) {
    if (!(network instanceof NetworkDeclContext)
        || failed.output != null
        || !hasText(failed.target)
        || !(failed.getParent() instanceof LayerMemberContext member)) {
      return null;
    }
    Token after = nextOnChannel(tokens, failed.target.getTokenIndex());
    if (after == null || after.getType() != LPAREN) {
      return null;
    }
    int at = -1;
    for (int i = 0; i < network.getChildCount(); i++) {
      if (network.getChild(i) == member) {
        at = i;
      }
    }
    if (at < 1 || !(network.getChild(at - 1) instanceof LayerMemberContext before) || before.SEMI() != null) {
      return null;
    }
    LayerStatementContext statement = before.layerStatement();
    if (statement == null || statement.block != null || statement.call() == null
        || !hasText(statement.call().name) || !SEQUENTIAL.equals(statement.call().name.getText())
        || statement.call().RPAREN() == null || !hasText(statement.call().RPAREN().getSymbol())) {
      return null;
    }
    return statement;
  }

  // 'dense(units: 3' and then 'dropout(' at the start of the next line, inside a sequential
  // block: the next layer, so the ')' is missing rather than a ','.
  private boolean nextLayer(Token found, ParserRuleContext ctx) {
    if (found.getType() != IDENTIFIER || !startsLine(found, previous(found))) {
      return false;
    }
    Token next = next(found);
    if (next == null || next.getType() != LPAREN) {
      return false;
    }
    for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
      if (c instanceof SequentialBlockContext) {
        return true;
      }
    }
    return false;
  }

  private String sourceText(ParserRuleContext ctx) {
    int start = ctx.getStart().getStartIndex();
    int stop = ctx.getStop().getStopIndex() + 1;
    return source.text().substring(start, Math.max(start, stop));
  }

  private static Token nextOnChannel(TokenStream tokens, int index) {
    for (int i = index + 1; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL) {
        return t;
      }
    }
    return null;
  }

  private String fileHelp(Token found, ParserRuleContext file) {
    if (found.getType() == RBRACE) {
      return "this '}' has no matching '{'";
    }
    // 'let width = 12 8': the value is one expression.
    if (file.getChildCount() > 0
        && file.getChild(file.getChildCount() - 1) instanceof LetDeclContext let
        && hasText(let.name)) {
      return "the value of '" + let.name.getText() + "' ends before " + quote(found);
    }
    Token next = next(found);
    if (found.getType() == IDENTIFIER && next != null && next.getType() == ASSIGN) {
      Token value = next(next);
      if (value == null || value.getType() != IDENTIFIER || !isCall(value)) {
        return "a constant is declared with 'let': 'let " + found.getText() + " = ...'";
      }
    }
    return "a .nnet file holds network declarations: 'network Name { ... }'";
  }

  private boolean isCall(Token name) {
    Token next = next(name);
    return next != null && next.getType() == LPAREN;
  }

  // 'let hidden = 128' missing its '=': show the declaration as it should be written.
  private String letHelp(Token name, Token found) {
    String constant = text(name);
    Token value = found;
    if (found.getType() == COLON) {
      value = next(found);
    }
    if (value != null && (value.getType() == NUMBER || value.getType() == STRING || value.getType() == IDENTIFIER)) {
      return "write 'let " + constant + " = " + value.getText() + "'";
    }
    return "a constant is declared as 'let " + constant + " = value'";
  }

  // 'let hidden =\n x = dense(...)': the value of 'hidden' is missing, and 'x' was taken for it.
  private Complaint missingLetValue(Token found, ParserRuleContext ctx) {
    if (found.getType() != ASSIGN || ctx.getChildCount() == 0) {
      return null;
    }
    ParseTree last = ctx.getChild(ctx.getChildCount() - 1);
    LetDeclContext let = null;
    if (ctx instanceof FileContext && last instanceof LetDeclContext fileLet) {
      let = fileLet;
    } else if (last instanceof LetMemberContext member && member.SEMI() == null) {
      let = member.letDecl();
    }
    if (let == null || !hasText(let.name)) {
      return null;
    }
    Token previous = previous(found);
    if (!(let.value instanceof NameExprContext name) || previous == null || name.name != previous) {
      return null;
    }
    return new Complaint(previous,
        "expected a value after 'let " + let.name.getText() + " =' but found '" + previous.getText() + " ='")
        .withHelp("give the constant a value, as in 'let " + let.name.getText() + " = 128'");
  }

  // 'units: 128 activation: relu' and 'units: 128 )': a missing ',' or a missing ')'.
  private Complaint closeOrSeparate(
      Token found, String closer, String closing, TerminalNode opener, String separateHelp,
      boolean nextLayer) {
    if (nextLayer || startsStatement(found)) {
      Complaint c = expect(found, closer + " " + closing);
      if (opener != null && opener.getSymbol().getTokenIndex() >= 0) {
        SourceSpan at = spanOf(opener.getSymbol());
        c = c.withNote("the '" + opener.getText() + "' at " + at.line() + ":" + at.column() + " is not closed");
      }
      return c;
    }
    Complaint c = expect(found, "',' or " + closer);
    if (VALUE_START.contains(found.getType())) {
      c = c.withHelp(separateHelp);
    }
    return c;
  }

  // After 'units' in 'dense(x, units 128)' the user most likely forgot the ':'.
  private String argumentHelp(Token found, List<ArgumentContext> args) {
    if (!args.isEmpty()) {
      ArgumentContext last = args.get(args.size() - 1);
      Token previous = previous(found);
      boolean bareName = last.name == null && last.value instanceof NameExprContext;
      boolean literal = found.getType() == NUMBER || found.getType() == MINUS || found.getType() == STRING;
      if (bareName && previous != null && previous.getType() == IDENTIFIER
          && (literal || args.size() > 1) && VALUE_START.contains(found.getType())) {
        return "write a named argument as '" + previous.getText() + ": " + found.getText() + "'";
      }
    }
    return "separate arguments with ','";
  }

  // 'dense(x, units:\n activation: relu)': the value of 'units' is missing, and 'activation'
  // was taken for it.
  private Complaint missingNamedValue(Token found, List<ArgumentContext> args) {
    if (found.getType() != COLON || args.isEmpty()) {
      return null;
    }
    ArgumentContext last = args.get(args.size() - 1);
    return last.name == null ? null : missingValue(found, last.name, last.value);
  }

  private Complaint missingValue(Token colon, Token key, ParseTree value) {
    Token previous = previous(colon);
    if (!(value instanceof NameExprContext name) || previous == null || name.name != previous
        || !hasText(key)) {
      return null;
    }
    return new Complaint(previous,
        "expected a value after '" + key.getText() + ":' but found '" + previous.getText() + ":'");
  }

  // Tokens that end a statement or start the next one: a sign that a closing bracket is missing
  // rather than a separator.
  private boolean startsStatement(Token token) {
    int t = token.getType();
    if (t == Token.EOF || t == NETWORK || t == INPUT || t == OUTPUT || t == TRAIN || t == LET
        || t == RBRACE || t == SEMI) {
      return true;
    }
    if (t == IDENTIFIER) {
      Token next = next(token);
      return next != null && next.getType() == ASSIGN;
    }
    return false;
  }

  private static Complaint expect(Token found, String what) {
    if (found.getType() == Token.EOF) {
      return new Complaint(found, "unexpected end of file: expected " + what);
    }
    return new Complaint(found, "expected " + what + " but found " + quote(found));
  }

  /** The expected tokens in words: {@code ',', ')' or a name}. */
  static String describe(IntervalSet expected) {
    List<String> words = new ArrayList<>();
    IntervalSet rest = new IntervalSet(expected);
    if (containsAll(rest, VALUE_START)) {
      words.add("a value");
      rest = rest.subtract(VALUE_START);
    }
    for (int type : rest.toArray()) {
      String word = tokenWord(type);
      if (!words.contains(word)) {
        words.add(word);
      }
    }
    if (words.isEmpty()) {
      return "something else";
    }
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
  }

  private static String tokenWord(int type) {
    return switch (type) {
      case Token.EOF -> "end of file";
      case IDENTIFIER -> "a name";
      case NUMBER -> "a number";
      case STRING -> "a string";
      default -> {
        String literal = NnetLexer.VOCABULARY.getLiteralName(type);
        yield literal != null ? literal : NnetLexer.VOCABULARY.getDisplayName(type).toLowerCase(Locale.ROOT);
      }
    };
  }

  /** A found token as quoted in a message: {@code 'activation'}. */
  static String quote(Token token) {
    return quote(token.getText() == null ? "" : token.getText());
  }

  /** Text quoted for a message: control characters escaped, long text shortened. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < text.length(); i++) {
      if (shown == 30 && text.length() > 32) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
      shown++;
    }
    return out.append('\'').toString();
  }

  /** {@code '$'}, {@code 'é' (U+00E9)} or, for an invisible character, {@code U+0000}. */
  static String describeCharacter(String text) {
    int cp = text.codePointAt(0);
    String code = String.format("U+%04X", cp);
    if (cp > 0x20 && cp < 0x7f) {
      return "'" + text + "'";
    }
    int type = Character.getType(cp);
    boolean visible =
        Character.isLetterOrDigit(cp)
            || type == Character.MATH_SYMBOL
            || type == Character.CURRENCY_SYMBOL
            || type == Character.OTHER_SYMBOL
            || type == Character.MODIFIER_SYMBOL
            || type == Character.OTHER_PUNCTUATION
            || type == Character.DASH_PUNCTUATION
            || type == Character.START_PUNCTUATION
            || type == Character.END_PUNCTUATION
            || type == Character.INITIAL_QUOTE_PUNCTUATION
            || type == Character.FINAL_QUOTE_PUNCTUATION;
    return visible ? "'" + new String(Character.toChars(cp)) + "' (" + code + ")" : code;
  }

  private static boolean isKeyword(int type) {
    return type == NETWORK || type == INPUT || type == OUTPUT || type == TRAIN || type == LET || type == GAN;
  }

  private static boolean only(IntervalSet set, int type) {
    return set.size() == 1 && set.contains(type);
  }

  private static boolean isCloseOrComma(IntervalSet set, int closer) {
    return set.size() == 2 && set.contains(COMMA) && set.contains(closer);
  }

  private static boolean containsAll(IntervalSet set, IntervalSet subset) {
    return subset.and(set).size() == subset.size();
  }

  private static boolean hasText(Token token) {
    return token != null && token.getTokenIndex() >= 0;
  }

  private static String text(Token token) {
    return hasText(token) ? token.getText() : "?";
  }

  private Token previous(Token token) {
    int index = token.getTokenIndex();
    if (index < 0) {
      index = tokens.index();
    }
    for (int i = index - 1; i >= 0; i--) {
      Token t = tokens.get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL) {
        return t;
      }
    }
    return null;
  }

  private Token next(Token token) {
    if (token.getTokenIndex() < 0) {
      return null;
    }
    for (int i = token.getTokenIndex() + 1; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.getChannel() == Token.DEFAULT_CHANNEL) {
        return t;
      }
    }
    return null;
  }
}
