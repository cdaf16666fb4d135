package dev.nnet.dsl;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticSink;
import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.GanDecl;
import dev.nnet.dsl.ast.LetDecl;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.NnetFile;
import dev.nnet.dsl.grammar.NnetLexer;
import dev.nnet.dsl.grammar.NnetParser;
import dev.nnet.dsl.grammar.NnetParser.FileContext;
import dev.nnet.dsl.grammar.NnetParser.GanDeclContext;
import dev.nnet.dsl.grammar.NnetParser.LetDeclContext;
import dev.nnet.dsl.grammar.NnetParser.NetworkDeclContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CodePointBuffer;
import org.antlr.v4.runtime.CodePointCharStream;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.LexerNoViableAltException;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Reads {@code .nnet} text into an {@link NnetFile}: the one entry point to the grammar.
 *
 * <p>It never throws for any text. Every problem becomes a {@link Diagnostic} on the sink:
 * {@link DiagnosticCode#SYNTAX} (at most one per statement, at most {@value #MAX_SYNTAX_ERRORS}
 * per file), {@link DiagnosticCode#NESTING_TOO_DEEP}, or {@link DiagnosticCode#INTERNAL} if the
 * parser itself fails. A network with any syntax error is left out of the result; the other
 * networks of the file are returned, so the checker only ever sees trees as written.
 *
 * <p>File-level constants ({@code let} outside a network) are visible in every network of the
 * file, so one with a syntax error is left out together with the networks that could be reading
 * it: every network that mentions its name or, when its name could not be read
 * ({@code let 3 = 4}), every network of the file. The checker then never reports a name as
 * unknown only because its declaration was broken.
 */
public final class NnetReader {
  /** How deeply {@code (}, {@code [} and {@code {} may nest before the file is rejected unparsed. */
  public static final int MAX_NESTING = 64;

  /** Syntax diagnostics reported per file before the parser gives up. */
  public static final int MAX_SYNTAX_ERRORS = 50;

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private NnetReader() {}

  /**
   * Parses {@code source}, reporting problems to {@code sink}.
   *
   * <p>The returned file's {@link NnetFile#source() source} is the text as parsed: {@code source}
   * itself or, if it starts with a byte-order mark, a copy without it. Spans (and so diagnostic
   * lines, columns and offsets) refer to that text; render diagnostics against it.
   */
  public static NnetFile parse(SourceFile source, DiagnosticSink sink) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sink, "sink");
    SourceFile text = withoutByteOrderMark(source);
    try {
      int tooDeep = NestingScan.firstTooDeep(text.text(), MAX_NESTING);
      if (tooDeep >= 0) {
        sink.report(
            Diagnostic.of(
                    DiagnosticCode.NESTING_TOO_DEEP,
                    text.span(tooDeep, tooDeep + 1),
                    "brackets nest deeper than " + MAX_NESTING + " levels")
                .withHelp("split the expression into several layer statements"));
        return new NnetFile(text, List.of());
      }
      return parseChecked(text, sink);
    } catch (StackOverflowError | RuntimeException e) {
      try {
        sink.report(
            Diagnostic.of(
                DiagnosticCode.INTERNAL,
                text.span(0, 0),
                "internal error: the parser failed with " + e.getClass().getSimpleName()
                    + "; please report"));
      } catch (RuntimeException ignored) {
        // The sink itself failed; there is nowhere left to report to.
      }
      return new NnetFile(text, List.of());
    }
  }

  /**
   * Reads {@code path} as UTF-8 (malformed bytes become U+FFFD) and parses it; the path as given
   * is the one shown in diagnostics. A file that cannot be read gives one
   * {@link DiagnosticCode#IO_ERROR} and an empty result.
   */
  public static NnetFile read(Path path, DiagnosticSink sink) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sink, "sink");
    String display = path.toString();
    String text;
    try {
      byte[] bytes = Files.readAllBytes(path);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      sink.report(
          Diagnostic.of(
              DiagnosticCode.IO_ERROR,
              SourceSpan.synthetic(display),
              "cannot read " + display + ": " + reason(e)));
      return new NnetFile(new SourceFile(display, ""), List.of());
    }
    return parse(new SourceFile(display, text), sink);
  }

  private static String reason(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof OutOfMemoryError) {
      return "the file is too large";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static SourceFile withoutByteOrderMark(SourceFile source) {
    String text = source.text();
    if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
      return new SourceFile(source.path(), text.substring(1));
    }
    return source;
  }

  private static NnetFile parseChecked(SourceFile text, DiagnosticSink sink) {
    SyntaxReporter reporter = new SyntaxReporter(sink, MAX_SYNTAX_ERRORS);
    // One symbol per UTF-16 char, so token start and stop indexes are String offsets, which is
    // what SourceFile.span takes. (CharStreams.fromString counts code points instead.)
    CharStream chars =
        CodePointCharStream.fromBuffer(
            CodePointBuffer.withChars(CharBuffer.wrap(text.text().toCharArray())), text.path());
    NnetLexer lexer = new NnetLexer(chars);
    lexer.removeErrorListeners();
    lexer.addErrorListener(
        new BaseErrorListener() {
          // ERROR_CHAR matches any character, so this is only a safety net.
          @Override
          public void syntaxError(
              Recognizer<?, ?> recognizer,
              Object offendingSymbol,
              int line,
              int charPositionInLine,
              String msg,
              RecognitionException e) {
            int at = e instanceof LexerNoViableAltException lex ? lex.getStartIndex() : 0;
            reporter.report(text.span(at, at + 1), "unexpected character");
          }
        });
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    NnetErrorStrategy strategy = new NnetErrorStrategy(new SyntaxMessages(text, tokens), reporter);
    FileContext root = null;
    int stoppedAt = -1;
    try {
      tokens.fill();
      for (Token token : tokens.getTokens()) {
        if (token.getType() == NnetLexer.UNTERMINATED_COMMENT) {
          reporter.report(
              text.span(token.getStartIndex(), token.getStartIndex() + 2),
              "unterminated comment",
              List.of(),
              "close the comment with '*/'");
          strategy.explainEndOfFile();
        }
      }
      NnetParser parser = new NnetParser(tokens);
      parser.removeErrorListeners();
      parser.setErrorHandler(strategy);
      root = parser.file();
    } catch (SyntaxReporter.Stop stop) {
      // Too many errors: keep the networks that were complete and correct before the limit.
      root = strategy.root();
      stoppedAt = tokens.index();
    }
    if (root == null) {
      return new NnetFile(text, List.of());
    }
    // Names of the file-level constants left out; a null entry stands for one whose name could
    // not be read.
    Set<String> brokenLets = new HashSet<>();
    List<ParseTree> items = root.children == null ? List.of() : root.children;
    for (ParseTree item : items) {
      if (item instanceof LetDeclContext let && (strategy.isBroken(let) || let.exception != null)) {
        brokenLets.add(nameOf(let));
      }
    }
    if (stoppedAt >= 0) {
      // The rest of the file was not read: any 'let' in it may be a file-level constant.
      for (int i = stoppedAt; i < tokens.size(); i++) {
        if (tokens.get(i).getType() == NnetLexer.LET) {
          Token name = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
          brokenLets.add(name != null && name.getType() == NnetLexer.IDENTIFIER ? name.getText() : null);
        }
      }
    }
    AstBuilder builder = new AstBuilder(text, reporter);
    List<LetDecl> lets = new ArrayList<>();
    List<NetworkDeclContext> built = new ArrayList<>();
    List<NetworkDecl> networks = new ArrayList<>();
    List<GanDecl> gans = new ArrayList<>();
    int next = 0;
    try {
      // In source order, so that mistakes only the builder sees are reported in that order.
      for (; next < items.size(); next++) {
        ParseTree item = items.get(next);
        if (item instanceof LetDeclContext let && !strategy.isBroken(let) && let.exception == null) {
          Optional<LetDecl> decl = builder.let(let);
          if (decl.isPresent()) {
            lets.add(decl.get());
          } else {
            brokenLets.add(nameOf(let));
          }
        } else if (item instanceof GanDeclContext gan && !strategy.isBroken(gan) && gan.exception == null) {
          gans.add(builder.gan(gan));
        } else if (item instanceof NetworkDeclContext network
            // The strategy marks every network in which any error occurred, reported or not (a
            // conjured token, a skipped one, a caught exception), so an unmarked one is as written.
            && !strategy.isBroken(network)
            && network.exception == null) {
          Optional<NetworkDecl> decl = builder.network(network);
          if (decl.isPresent()) {
            built.add(network);
            networks.add(decl.get());
          }
        }
      }
    } catch (SyntaxReporter.Stop stop) {
      // The limit was reached while building; what was built so far stands, but the constants
      // not built count as broken.
      for (int i = next; i < items.size(); i++) {
        if (items.get(i) instanceof LetDeclContext let) {
          brokenLets.add(nameOf(let));
        }
      }
    }
    if (!brokenLets.isEmpty()) {
      List<NetworkDecl> kept = new ArrayList<>();
      for (int i = 0; i < networks.size(); i++) {
        if (!brokenLets.contains(null) && !mentions(tokens, built.get(i), brokenLets)) {
          kept.add(networks.get(i));
        }
      }
      networks = kept;
    }
    return new NnetFile(text, networks, lets, gans);
  }

  private static String nameOf(LetDeclContext let) {
    return let.name != null && let.name.getTokenIndex() >= 0 ? let.name.getText() : null;
  }

  // Whether a name inside the network (other than the network's own name) is one of these.
  private static boolean mentions(CommonTokenStream tokens, NetworkDeclContext network, Set<String> names) {
    for (int i = network.name.getTokenIndex() + 1; i <= network.getStop().getTokenIndex(); i++) {
      Token token = tokens.get(i);
      if (token.getType() == NnetLexer.IDENTIFIER && names.contains(token.getText())) {
        return true;
      }
    }
    return false;
  }
}
