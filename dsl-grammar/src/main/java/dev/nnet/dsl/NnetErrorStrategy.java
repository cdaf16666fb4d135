package dev.nnet.dsl;

import static dev.nnet.dsl.grammar.NnetLexer.ASSIGN;
import static dev.nnet.dsl.grammar.NnetLexer.COLON;
import static dev.nnet.dsl.grammar.NnetLexer.GAN;
import static dev.nnet.dsl.grammar.NnetLexer.IDENTIFIER;
import static dev.nnet.dsl.grammar.NnetLexer.INPUT;
import static dev.nnet.dsl.grammar.NnetLexer.LBRACE;
import static dev.nnet.dsl.grammar.NnetLexer.LBRACK;
import static dev.nnet.dsl.grammar.NnetLexer.LET;
import static dev.nnet.dsl.grammar.NnetLexer.LPAREN;
import static dev.nnet.dsl.grammar.NnetLexer.NETWORK;
import static dev.nnet.dsl.grammar.NnetLexer.OUTPUT;
import static dev.nnet.dsl.grammar.NnetLexer.RBRACE;
import static dev.nnet.dsl.grammar.NnetLexer.RBRACK;
import static dev.nnet.dsl.grammar.NnetLexer.RPAREN;
import static dev.nnet.dsl.grammar.NnetLexer.TRAIN;

import dev.nnet.dsl.grammar.NnetParser.FileContext;
import dev.nnet.dsl.grammar.NnetParser.GanDeclContext;
import dev.nnet.dsl.grammar.NnetParser.LayerMemberContext;
import dev.nnet.dsl.grammar.NnetParser.LetDeclContext;
import dev.nnet.dsl.grammar.NnetParser.NetworkDeclContext;
import dev.nnet.dsl.grammar.NnetParser.SequentialBlockContext;
import dev.nnet.dsl.grammar.NnetParser.TrainBlockContext;
import dev.nnet.dsl.grammar.NnetParser.TrainMemberContext;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Error reporting and recovery for the .nnet parser: one diagnostic per statement, then resume
 * at the next statement.
 *
 * <p>After the first error in a statement (a network member, a setting in a {@code train}
 * block, or a layer in a {@code sequential} block) the strategy is "skipping": every further
 * error is swallowed, {@link #recoverInline} conjures the missing token without consuming
 * anything, and the rules unwind until the parser is back at the loop over members (or settings,
 * or layers, or networks). There {@link #sync} skips tokens to the start of the next statement,
 * tracking brackets so that a {@code '}'} inside the broken statement is not taken for the end
 * of the network, and the next statement is reported on afresh.
 *
 * <p>Every network, and every {@code let}, in which an error occurred is remembered
 * ({@link #isBroken}) so the reader can leave it out of the AST: the checker never sees a repaired
 * tree. At the top level, a stray token right after a {@code let} (with no {@code ';'} between)
 * also breaks that {@code let}: {@code let hidden = 12 8} does not mean {@code 12}.
 */
final class NnetErrorStrategy extends DefaultErrorStrategy {
  /**
   * The loops at which the parser resumes after an error (file, network, train block, sequential
   * block).
   */
  enum Level {
    FILE,
    MEMBERS,
    SETTINGS,
    LAYERS
  }

  private final SyntaxMessages messages;
  private final SyntaxReporter reporter;
  private final Set<ParserRuleContext> broken = Collections.newSetFromMap(new IdentityHashMap<>());
  private boolean skipping;
  private int errorIndex = -1;
  private boolean eofExplained;
  private FileContext root;

  NnetErrorStrategy(SyntaxMessages messages, SyntaxReporter reporter) {
    this.messages = messages;
    this.reporter = reporter;
  }

  /**
   * An earlier diagnostic (an unterminated comment) already explains why the file ends early, so
   * complaints about the end of the file are not reported.
   */
  void explainEndOfFile() {
    eofExplained = true;
  }

  /** Whether an error occurred inside this network or {@code let} (reported or not). */
  boolean isBroken(ParseTree network) {
    return broken.contains(network);
  }

  /** The root of the parse tree, also when the parse was stopped by {@link SyntaxReporter.Stop}. */
  FileContext root() {
    return root;
  }

  @Override
  public void reset(Parser recognizer) {
    skipping = false;
  }

  @Override
  public boolean inErrorRecoveryMode(Parser recognizer) {
    return skipping;
  }

  @Override
  protected void beginErrorCondition(Parser recognizer) {
    skipping = true;
  }

  @Override
  protected void endErrorCondition(Parser recognizer) {
    skipping = false;
  }

  // A successful match does not end skipping: only reaching the next statement does.
  @Override
  public void reportMatch(Parser recognizer) {}

  @Override
  public void reportError(Parser recognizer, RecognitionException e) {
    markBroken(recognizer);
    if (skipping) {
      return;
    }
    Token found = e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken();
    Token decisionStart = e instanceof NoViableAltException nv ? nv.getStartToken() : null;
    IntervalSet expected = e.getOffendingState() >= 0 ? e.getExpectedTokens() : null;
    fail(recognizer, messages.explain(recognizer.getContext(), found, expected, decisionStart));
  }

  // The rule that caught the exception just returns; the statement loop above does the skipping.
  @Override
  public void recover(Parser recognizer, RecognitionException e) {
    markBroken(recognizer);
  }

  @Override
  public Token recoverInline(Parser recognizer) {
    markBroken(recognizer);
    IntervalSet expected = recognizer.getExpectedTokens();
    if (!skipping) {
      fail(
          recognizer,
          messages.explain(recognizer.getContext(), recognizer.getCurrentToken(), expected, null));
    }
    // 'train' without '{': nothing after it can be trusted to be a setting, so leave the train
    // block at once and let the member loop skip to the next statement.
    if (recognizer.getContext() instanceof TrainBlockContext
        && expected.size() == 1
        && expected.contains(LBRACE)) {
      throw new InputMismatchException(recognizer);
    }
    return getMissingSymbol(recognizer);
  }

  @Override
  public void sync(Parser recognizer) {
    ParserRuleContext ctx = recognizer.getContext();
    ATNState state = recognizer.getInterpreter().atn.states.get(recognizer.getState());
    boolean loop =
        state.getStateType() == ATNState.STAR_LOOP_ENTRY
            || state.getStateType() == ATNState.STAR_LOOP_BACK;
    Level level = levelOf(ctx);
    if (level != null) {
      if (root == null && ctx instanceof FileContext file) {
        root = file;
      }
      // In a train block the only other decision is the optional ';' after a setting; the
      // loop's own sync, right after it, judges the next token.
      if (loop) {
        resynchronize(recognizer, level, ctx);
      }
      return;
    }
    if (skipping) {
      return;
    }
    TokenStream tokens = recognizer.getInputStream();
    IntervalSet next = recognizer.getATN().nextTokens(state);
    if (next.contains(tokens.LA(1)) || next.contains(Token.EPSILON)) {
      return;
    }
    switch (state.getStateType()) {
      case ATNState.BLOCK_START,
          ATNState.STAR_BLOCK_START,
          ATNState.PLUS_BLOCK_START,
          ATNState.STAR_LOOP_ENTRY,
          ATNState.PLUS_LOOP_BACK,
          ATNState.STAR_LOOP_BACK -> {
        markBroken(recognizer);
        fail(recognizer, messages.explain(ctx, tokens.LT(1), next, null));
      }
      default -> {
        // Not a decision: the next match() reports the problem.
      }
    }
  }

  private static Level levelOf(ParserRuleContext ctx) {
    if (ctx instanceof FileContext) {
      return Level.FILE;
    }
    if (ctx instanceof NetworkDeclContext) {
      return Level.MEMBERS;
    }
    if (ctx instanceof TrainBlockContext) {
      return Level.SETTINGS;
    }
    if (ctx instanceof SequentialBlockContext) {
      return Level.LAYERS;
    }
    return null;
  }

  /**
   * At the loop over networks, members or settings: if the last statement failed, or the next
   * token cannot start a statement, skip to where the next statement starts.
   */
  private void resynchronize(Parser recognizer, Level level, ParserRuleContext ctx) {
    TokenStream tokens = recognizer.getInputStream();
    Deque<Integer> open = new ArrayDeque<>();
    if (skipping) {
      // Brackets the failed statement opened before the error are still open.
      int start = lastStatementStart(ctx, tokens.index());
      for (int i = start; i < tokens.index(); i++) {
        track(open, tokens.get(i));
      }
      if (lastChild(ctx) instanceof TrainMemberContext train && train.trainBlock().LBRACE() == null) {
        // 'train' then no '{': its settings most likely still end with the train block's '}'.
        open.push(LBRACE);
      }
      if (lastChild(ctx) instanceof LayerMemberContext failed
          && SyntaxMessages.sequentialWithoutBlock(ctx, failed.layerStatement(), tokens) != null) {
        // 'sequential(x)' then no '{': its layers most likely still end with the block's '}'.
        open.push(LBRACE);
      }
    } else {
      if (canContinue(level, tokens)) {
        if (level == Level.LAYERS) {
          namedLayer(recognizer, (SequentialBlockContext) ctx);
        }
        return;
      }
      markBroken(recognizer);
      if (level == Level.FILE
          && ctx.getChildCount() > 0
          && ctx.getChild(ctx.getChildCount() - 1) instanceof LetDeclContext let) {
        broken.add(let);
      }
      fail(recognizer, messages.stray(level, ctx, tokens.LT(1)));
    }
    while (!resumesHere(level, tokens, open)) {
      track(open, tokens.LT(1));
      recognizer.consume();
    }
    // Resuming at a statement of this level ends the error. Running into something that ends
    // the enclosing block instead (a keyword inside a train block, the next network, the end of
    // the file) means the block itself is broken: stay quiet until the level above resumes, so
    // the missing '}' is not reported as a second error.
    int t = tokens.LA(1);
    skipping =
        switch (level) {
          case FILE -> false;
          case MEMBERS -> t == Token.EOF || t == NETWORK;
          case SETTINGS -> !(t == RBRACE || (t == IDENTIFIER && tokens.LA(2) == COLON));
          case LAYERS -> !(t == RBRACE || (t == IDENTIFIER && tokens.LA(2) == LPAREN));
        };
    if (level == Level.LAYERS) {
      namedLayer(recognizer, (SequentialBlockContext) ctx);
    }
  }

  /**
   * {@code name =} where a sequential block expects the next layer. Written further right than
   * the statement that opened the block, it is a layer given a name: that is reported, the name
   * and '=' are skipped, and the call after them is read as the block's next layer. Otherwise it
   * is the next member of the network and the block's '}' is missing: that is reported, and the
   * block is left so that the member loop reads the statement.
   */
  private void namedLayer(Parser recognizer, SequentialBlockContext block) {
    TokenStream tokens = recognizer.getInputStream();
    if (tokens.LA(1) != IDENTIFIER || tokens.LA(2) != ASSIGN) {
      return;
    }
    Token name = tokens.LT(1);
    markBroken(recognizer);
    if (SyntaxMessages.closesBlock(name, block)) {
      fail(recognizer, messages.unclosedBlock(name, block));
      throw new InputMismatchException(recognizer);
    }
    fail(recognizer, messages.namedLayer(name));
    recognizer.consume();
    recognizer.consume();
  }

  private static int lastStatementStart(ParserRuleContext ctx, int fallback) {
    ParserRuleContext statement = lastChild(ctx);
    if (statement == null) {
      return fallback;
    }
    Token start = statement.getStart();
    return start != null && start.getTokenIndex() >= 0 ? start.getTokenIndex() : fallback;
  }

  private static ParserRuleContext lastChild(ParserRuleContext ctx) {
    for (int i = ctx.getChildCount() - 1; i >= 0; i--) {
      if (ctx.getChild(i) instanceof ParserRuleContext statement) {
        return statement;
      }
    }
    return null;
  }

  private static void track(Deque<Integer> open, Token token) {
    if (token.getChannel() != Token.DEFAULT_CHANNEL) {
      return;
    }
    switch (token.getType()) {
      case LPAREN, LBRACK, LBRACE -> open.push(token.getType());
      case RPAREN -> popIf(open, LPAREN);
      case RBRACK -> popIf(open, LBRACK);
      case RBRACE -> popIf(open, LBRACE);
      default -> {}
    }
  }

  private static void popIf(Deque<Integer> open, int type) {
    if (!open.isEmpty() && open.peek() == type) {
      open.pop();
    }
  }

  /** Whether the loop can go on (or end) at the next token without an error of its own. */
  private static boolean canContinue(Level level, TokenStream tokens) {
    int t = tokens.LA(1);
    if (t == Token.EOF || t == NETWORK) {
      return true;
    }
    // 'let' in a train block is a mistake of its own, not the end of the block: it is reported
    // and skipped like any stray statement, so the settings after it are still read.
    // Likewise a keyword in a sequential block ends the block, and its missing '}' is reported.
    return switch (level) {
      case FILE -> t == LET || t == GAN;
      case MEMBERS -> t == INPUT || t == OUTPUT || t == TRAIN || t == LET || t == IDENTIFIER || t == RBRACE;
      case SETTINGS -> t == IDENTIFIER || t == RBRACE || t == INPUT || t == OUTPUT || t == TRAIN;
      case LAYERS -> t == IDENTIFIER || t == RBRACE || t == INPUT || t == OUTPUT || t == TRAIN || t == LET;
    };
  }

  /** Whether the next token starts a statement (or ends the block) at this level. */
  private boolean resumesHere(Level level, TokenStream tokens, Deque<Integer> open) {
    int t = tokens.LA(1);
    // The token the error was reported at may itself be the culprit ('concat(input, y)'), so a
    // keyword there only counts if the tokens after it look like the statement it starts.
    boolean strict = tokens.index() <= errorIndex;
    if (t == Token.EOF) {
      return true;
    }
    if (t == NETWORK) {
      return !strict || tokens.LA(2) == IDENTIFIER || tokens.LA(2) == LBRACE;
    }
    // Keywords only ever start a member (or, for 'let', a top-level constant), and '=' only ever
    // follows a layer statement's target or a constant's name, so these are safe places to
    // resume even inside unclosed brackets. (In a sequential block, 'name =' is either a layer
    // given a name or the next member; namedLayer tells which.)
    if (t == LET) {
      return level != Level.SETTINGS
          && (!strict || (tokens.LA(2) == IDENTIFIER && tokens.LA(3) == ASSIGN));
    }
    if (t == GAN && level == Level.FILE) {
      return !strict || tokens.LA(2) == IDENTIFIER;
    }
    if (level == Level.FILE) {
      return false;
    }
    if (t == INPUT) {
      return !strict || (tokens.LA(2) == IDENTIFIER && tokens.LA(3) == COLON);
    }
    if (t == OUTPUT) {
      return !strict || (tokens.LA(2) == IDENTIFIER && tokens.LA(3) == ASSIGN);
    }
    if (t == TRAIN) {
      return !strict || tokens.LA(2) == LBRACE;
    }
    if (t == IDENTIFIER && tokens.LA(2) == ASSIGN) {
      return true;
    }
    if (t == RBRACE) {
      return open.isEmpty() || open.peek() != LBRACE;
    }
    if (level == Level.LAYERS) {
      // The next layer: 'name(' outside brackets, or at the start of a line even inside unclosed
      // ones (a layer per line is the usual layout; 'dense(units: 3' then 'dropout(' misses a ')').
      return t == IDENTIFIER && tokens.LA(2) == LPAREN
          && (open.isEmpty() || SyntaxMessages.startsLine(tokens.LT(1), tokens.LT(-1)));
    }
    return level == Level.SETTINGS && t == IDENTIFIER && tokens.LA(2) == COLON && open.isEmpty();
  }

  private void fail(Parser recognizer, SyntaxMessages.Complaint complaint) {
    skipping = true;
    errorIndex = Math.max(complaint.at().getTokenIndex(), recognizer.getInputStream().index());
    markBroken(recognizer);
    if (complaint.at().getType() == Token.EOF && eofExplained) {
      return;
    }
    reporter.report(
        messages.spanOf(complaint.at()), complaint.message(), complaint.notes(), complaint.help());
  }

  private void markBroken(Parser recognizer) {
    for (ParserRuleContext c = recognizer.getContext(); c != null; c = c.getParent()) {
      if (c instanceof NetworkDeclContext || c instanceof LetDeclContext || c instanceof GanDeclContext) {
        broken.add(c);
      }
    }
  }
}
