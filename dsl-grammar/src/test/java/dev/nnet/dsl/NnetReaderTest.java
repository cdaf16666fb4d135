package dev.nnet.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.dsl.ast.Argument;
import dev.nnet.dsl.ast.Call;
import dev.nnet.dsl.ast.Expr;
import dev.nnet.dsl.ast.InputDecl;
import dev.nnet.dsl.ast.LayerStatement;
import dev.nnet.dsl.ast.LetDecl;
import dev.nnet.dsl.ast.NetworkDecl;
import dev.nnet.dsl.ast.NnetFile;
import dev.nnet.dsl.ast.Setting;
import dev.nnet.dsl.ast.TrainBlock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NnetReaderTest {
  private static final String MNIST =
      String.join(
          "\n",
          "// mnist.nnet",
          "network MnistMlp {",
          "    input image: float[28, 28]",
          "    x = flatten(image)",
          "    h = dense(x, units: 128, activation: relu)",
          "    output probs = dense(h, units: 10, activation: softmax)",
          "    train {",
          "        loss: categorical_crossentropy",
          "        optimizer: adam(learning_rate: 1e-3)",
          "    }",
          "}",
          "");

  private static final class Parsed {
    final NnetFile file;
    final DiagnosticList diagnostics = new DiagnosticList(1000);

    Parsed(String text) {
      file = NnetReader.parse(new SourceFile("test.nnet", text), diagnostics);
    }

    String text(SourceSpan span) {
      return file.source().text().substring(span.startOffset(), span.endOffset());
    }

    List<Diagnostic> list() {
      return diagnostics.diagnostics();
    }
  }

  private static Parsed parseClean(String text) {
    Parsed p = new Parsed(text);
    assertEquals("", p.diagnostics.render(p.file.source()));
    return p;
  }

  @Test
  void spansCoverWhatTheyName() {
    Parsed p = parseClean(MNIST);
    NetworkDecl network = p.file.networks().get(0);
    assertEquals("MnistMlp", p.text(network.nameSpan()));
    assertTrue(p.text(network.span()).startsWith("network MnistMlp {"));
    assertTrue(p.text(network.span()).endsWith("    }\n}"));

    InputDecl input = network.inputs().get(0);
    assertEquals("input image: float[28, 28]", p.text(input.span()));
    assertEquals("image", p.text(input.nameSpan()));
    assertEquals("float[28, 28]", p.text(input.type().span()));
    assertEquals("float", p.text(input.type().elementTypeSpan()));
    assertEquals("28", p.text(input.type().dimensions().get(1).span()));

    LayerStatement h = network.statements().get(1);
    assertEquals("h = dense(x, units: 128, activation: relu)", p.text(h.span()));
    assertEquals("h", p.text(h.targetSpan()));
    assertEquals(5, h.span().line());
    assertEquals(5, h.span().column());
    Call dense = h.call();
    assertEquals("dense", p.text(dense.nameSpan()));
    assertEquals("dense(x, units: 128, activation: relu)", p.text(dense.span()));
    Argument x = dense.arguments().get(0);
    assertTrue(x.name().isEmpty());
    assertEquals("x", p.text(x.nameSpan()));
    Argument units = dense.arguments().get(1);
    assertEquals("units", units.name().orElseThrow());
    assertEquals("units", p.text(units.nameSpan()));
    assertEquals("units: 128", p.text(units.span()));
    assertEquals("128", p.text(units.value().span()));

    LayerStatement output = network.statements().get(2);
    assertTrue(output.output());
    assertFalse(h.output());
    assertEquals("output probs = dense(h, units: 10, activation: softmax)", p.text(output.span()));
    assertEquals("probs", p.text(output.targetSpan()));

    TrainBlock train = network.train().orElseThrow();
    assertTrue(p.text(train.span()).startsWith("train {"));
    assertTrue(p.text(train.span()).endsWith("}"));
    Setting optimizer = train.settings().get(1);
    assertEquals("optimizer", p.text(optimizer.keySpan()));
    assertEquals("optimizer: adam(learning_rate: 1e-3)", p.text(optimizer.span()));
    Expr.CallExpr adam = (Expr.CallExpr) optimizer.value();
    assertEquals("adam(learning_rate: 1e-3)", p.text(adam.span()));
    assertEquals("1e-3", p.text(adam.call().arguments().get(0).value().span()));
  }

  @Test
  void constantsAtBothLevels() {
    Parsed p =
        parseClean(
            "let classes = 10\n"
                + "network N {\n"
                + "  let hidden = 128; let act = relu\n"
                + "  input x: float[hidden]\n"
                + "  output y = dense(x, units: classes, activation: act)\n"
                + "}\n"
                + "let lr = adam(learning_rate: 1e-3);\n");
    List<LetDecl> fileLets = p.file.lets();
    assertEquals(List.of("classes", "lr"), fileLets.stream().map(LetDecl::name).toList());
    assertEquals("let classes = 10", p.text(fileLets.get(0).span()));
    assertEquals("classes", p.text(fileLets.get(0).nameSpan()));
    assertEquals("10", p.text(fileLets.get(0).value().span()));
    assertEquals("let lr = adam(learning_rate: 1e-3)", p.text(fileLets.get(1).span()));
    assertTrue(fileLets.get(1).value() instanceof Expr.CallExpr);

    NetworkDecl network = p.file.networks().get(0);
    assertEquals(List.of("hidden", "act"), network.lets().stream().map(LetDecl::name).toList());
    LetDecl hidden = network.lets().get(0);
    assertEquals("let hidden = 128", p.text(hidden.span()));
    assertEquals(3, hidden.span().line());
    assertEquals(3, hidden.span().column());
    assertEquals(128.0, ((Expr.Number) hidden.value()).value());
    assertEquals(new Expr.Name("relu", network.lets().get(1).value().span()), network.lets().get(1).value());
    Expr dim = network.inputs().get(0).type().dimensions().get(0);
    assertEquals(new Expr.Name("hidden", dim.span()), dim);
  }

  @Test
  void theConstructorsWithoutConstantsRemain() {
    SourceFile source = new SourceFile("x.nnet", "");
    SourceSpan at = SourceSpan.synthetic("x.nnet");
    NetworkDecl network = new NetworkDecl("N", at, at, List.of(), List.of(), Optional.empty());
    assertTrue(network.lets().isEmpty());
    NnetFile file = new NnetFile(source, List.of(network));
    assertTrue(file.lets().isEmpty());
    assertEquals(List.of(network), file.networks());
  }

  @Test
  void constantErrorsHaveCleanMessages() {
    Parsed p = new Parsed("network N {\n  let hidden 128\n}\n");
    assertEquals(1, p.list().size());
    assertEquals(
        "test.nnet:2:14: error: [nnet/syntax] expected '=' after the constant name but found '128'",
        p.list().get(0).headline());
    assertEquals("write 'let hidden = 128'", p.list().get(0).help().orElseThrow());
    assertTrue(p.file.networks().isEmpty(), "a network with a syntax error is left out");

    Parsed keyword = new Parsed("network let { }\nnetwork M { y = f(let) }");
    assertEquals(2, keyword.list().size());
    for (Diagnostic d : keyword.list()) {
      assertEquals("'let' is a keyword and cannot be used as a name", d.help().orElseThrow(), d.headline());
    }
  }

  @Test
  void aBrokenFileLevelConstantLeavesOutTheNetworksThatMentionIt() {
    Parsed p =
        new Parsed(
            "network Uses { y = f(x, units: hidden) }\n"
                + "let hidden = \n"
                + "network Other { y = f(x, units: 3) }\n"
                + "let ok = 1\n");
    assertEquals(1, p.list().size());
    assertEquals(List.of("Other"), p.file.networks().stream().map(NetworkDecl::name).toList());
    assertEquals(List.of("ok"), p.file.lets().stream().map(LetDecl::name).toList());

    // Its name unread, it may be any name: no network is kept.
    Parsed unnamed = new Parsed("let = 3\nnetwork Other { y = f(x, units: 3) }\n");
    assertEquals(1, unnamed.list().size());
    assertTrue(unnamed.file.networks().isEmpty());

    // A mistake only the builder sees counts too.
    Parsed range = new Parsed("let big = 1e999\nnetwork Uses { y = f(big) }\nnetwork Other { }\n");
    assertEquals("number out of range", range.list().get(0).message());
    assertEquals(List.of("Other"), range.file.networks().stream().map(NetworkDecl::name).toList());
    assertTrue(range.file.lets().isEmpty());
  }

  @Test
  void constantsAfterTheSyntaxErrorLimitCountAsBroken() {
    StringBuilder text = new StringBuilder("network Uses { y = f(hidden) }\nnetwork Other { y = f(x) }\n");
    text.append("network Bad {\n");
    for (int i = 0; i < 80; i++) {
      text.append("  x").append(i).append(" = f(a b)\n");
    }
    text.append("}\nlet hidden = 3\n");
    Parsed p = new Parsed(text.toString());
    assertEquals("too many syntax errors; stopping", p.list().get(p.list().size() - 1).message());
    assertEquals(List.of("Other"), p.file.networks().stream().map(NetworkDecl::name).toList());
  }

  @Test
  void letInATrainBlockIsOneErrorAndTheSettingsAfterItAreRead() {
    Parsed p =
        new Parsed(
            "network N {\n  train {\n    let lr = 1e-3\n    loss: mse\n    batch 3\n  }\n}\nnetwork M { }\n");
    assertEquals(List.of(3, 5), p.list().stream().map(d -> d.span().line()).toList());
    assertEquals(List.of("M"), p.file.networks().stream().map(NetworkDecl::name).toList());
  }

  @Test
  void aSequentialBlockBecomesOneLayerStatementPerLayer() {
    Parsed p =
        parseClean(
            "network N {\n"
                + "  input image: float[28, 28]\n"
                + "  output probs = sequential(image) {\n"
                + "    flatten()\n"
                + "    dense(units: 128, activation: relu); dropout(rate: 0.2)\n"
                + "    dense(units: 10, activation: softmax)\n"
                + "  }\n"
                + "  h = sequential(probs) { relu() }\n"
                + "}\n");
    List<LayerStatement> statements = p.file.networks().get(0).statements();
    assertEquals(List.of("probs_1", "probs_2", "probs_3", "probs", "h"),
        statements.stream().map(LayerStatement::target).toList());
    assertEquals(List.of(false, false, false, true, false),
        statements.stream().map(LayerStatement::output).toList());
    assertEquals(List.of("flatten()", "dense(units: 128, activation: relu)", "dropout(rate: 0.2)",
            "dense(units: 10, activation: softmax)", "relu()"),
        statements.stream().map(s -> p.text(s.span())).toList());
    assertEquals(List.of("flatten", "dense", "dropout", "probs", "h"),
        statements.stream().map(s -> p.text(s.targetSpan())).toList());
    assertEquals(List.of("image", "probs_1", "probs_2", "probs_3", "probs"),
        statements.stream().map(s -> AstPrinter.source(s.call().arguments().get(0).value())).toList());
    for (LayerStatement statement : statements) {
      Call call = statement.call();
      assertEquals(call.span(), statement.span());
      Argument read = call.arguments().get(0);
      assertTrue(read.name().isEmpty());
      // The value read points at the layer that reads it.
      assertEquals(new Expr.Name(((Expr.Name) read.value()).name(), call.nameSpan()), read.value());
      assertEquals(call.nameSpan(), read.nameSpan());
      assertEquals(call.nameSpan(), read.span());
    }
    assertEquals(5, statements.get(2).span().line());
    assertEquals(42, statements.get(2).span().column());
    Call dense = statements.get(1).call();
    assertEquals(List.of(Optional.empty(), Optional.of("units"), Optional.of("activation")),
        dense.arguments().stream().map(Argument::name).toList());
    assertEquals("units: 128", p.text(dense.arguments().get(1).span()));
  }

  @Test
  void sequentialIsNotAKeyword() {
    Parsed p =
        parseClean(
            "let sequential = 3\n"
                + "network sequential {\n"
                + "  input sequential: float[4]\n"
                + "  sequential = dense(sequential, units: sequential)\n"
                + "  output y = sequential(sequential) { dense(units: sequential) }\n"
                + "  train { sequential: sequential }\n"
                + "}\n");
    NetworkDecl network = p.file.networks().get(0);
    assertEquals("sequential", network.name());
    assertEquals(List.of("sequential", "y"), network.statements().stream().map(LayerStatement::target).toList());
    assertEquals("dense(sequential, units: sequential)", AstPrinter.source(network.statements().get(1).call()));
  }

  @Test
  void sequentialDiagnostics() {
    Parsed positional = new Parsed("network N {\n  output y = sequential(x) {\n    f()\n    dense(h, units: 2)\n  }\n}\n");
    assertEquals(1, positional.list().size());
    Diagnostic d = positional.list().get(0);
    assertEquals(
        "test.nnet:4:11: error: [nnet/syntax] inside sequential, a layer reads the previous one's result: remove 'h'",
        d.headline());
    assertEquals("'dense' reads the result of 'f' (line 3)", d.help().orElseThrow());
    assertTrue(positional.file.networks().isEmpty(), "a network with a syntax error is left out");

    Parsed empty = new Parsed("network N { output y = sequential(x) { } }");
    assertEquals("sequential needs at least one layer", empty.list().get(0).message());
    assertEquals("{ }", empty.text(empty.list().get(0).span()));

    Parsed noParentheses = new Parsed("network N {\n  output y = sequential {\n    dense(units: 2)\n    relu(3 4)\n  }\n}\n");
    assertEquals(List.of(2, 4), noParentheses.list().stream().map(x -> x.span().line()).toList());
    assertEquals("expected '(' after 'sequential' but found '{'", noParentheses.list().get(0).message());
    assertEquals("give 'sequential' the tensor its first layer reads, as in 'sequential(image) { ... }'",
        noParentheses.list().get(0).help().orElseThrow());

    Parsed named = new Parsed("network N { output y = sequential(input_: x) { f() } }");
    assertEquals("sequential takes its input tensor without a name: remove 'input_:'", named.list().get(0).message());
    Parsed number = new Parsed("network N { output y = sequential(3) { f() } }");
    assertEquals("sequential reads a tensor, written by name, but found '3'", number.list().get(0).message());

    Parsed endOfFile = new Parsed("network N {\n  output y = sequential(x) {\n    f()\n");
    assertEquals(1, endOfFile.list().size());
    assertEquals("unexpected end of file: expected '}' to close the sequential block",
        endOfFile.list().get(0).message());
    assertEquals(List.of("the '{' at 2:28 is not closed"), endOfFile.list().get(0).notes());

    Parsed keyword = new Parsed("network N {\n  h = sequential(x) {\n    f()\n  train { loss: mse }\n}\nnetwork M { }\n");
    assertEquals(1, keyword.list().size());
    assertEquals("expected '}' to close the sequential block but found 'train'", keyword.list().get(0).message());
    assertEquals(List.of("M"), keyword.file.networks().stream().map(NetworkDecl::name).toList());

    Parsed range = new Parsed("network N { output y = sequential(x) { f(a: 1e999) } }");
    assertEquals(List.of("number out of range"), range.list().stream().map(Diagnostic::message).toList());
    assertTrue(range.file.networks().isEmpty());
  }

  @Test
  void eachLayerOfASequentialBlockIsAStatementForErrors() {
    Parsed p =
        new Parsed(
            "network N {\n"
                + "  output y = sequential(x) {\n"
                + "    a(u 1)\n"
                + "    b(, , ,)\n"
                + "    c()\n"
                + "    d(u: [1 2])\n"
                + "  }\n"
                + "  z = f(a b)\n"
                + "}\n"
                + "network M { output y = sequential(x) { f() } }\n");
    assertEquals(List.of(3, 4, 6, 8), p.list().stream().map(d -> d.span().line()).toList());
    assertEquals(List.of("M"), p.file.networks().stream().map(NetworkDecl::name).toList());

    StringBuilder many = new StringBuilder("network N {\n  y = sequential(x) {\n");
    for (int i = 0; i < 80; i++) {
      many.append("    f(a b)\n");
    }
    many.append("  }\n}\n");
    Parsed stopped = new Parsed(many.toString());
    assertEquals(NnetReader.MAX_SYNTAX_ERRORS + 1, stopped.list().size());
    assertEquals("too many syntax errors; stopping", stopped.list().get(stopped.list().size() - 1).message());
  }

  @Test
  void numbers() {
    Parsed p =
        parseClean("network N { y = f(a: 128, b: 0.2, c: 1e-3, d: .5, e: 2., f: -7, g: - 3, h: 1E+2, i: -0.5) }");
    List<Argument> args = p.file.networks().get(0).statements().get(0).call().arguments();
    Object[][] expected = {
      {"128", 128.0, true, "128"},
      {"0.2", 0.2, false, "0.2"},
      {"1e-3", 0.001, false, "1e-3"},
      {".5", 0.5, false, ".5"},
      {"2.", 2.0, false, "2."},
      {"-7", -7.0, true, "-7"},
      {"-3", -3.0, true, "- 3"},
      {"1E+2", 100.0, false, "1E+2"},
      {"-0.5", -0.5, false, "-0.5"},
    };
    for (int i = 0; i < expected.length; i++) {
      Expr.Number n = (Expr.Number) args.get(i).value();
      assertEquals(expected[i][0], n.text());
      assertEquals((double) expected[i][1], n.value());
      assertEquals(expected[i][2], n.integer(), n.text());
      assertEquals(expected[i][3], p.text(n.span()));
    }
  }

  @Test
  void stringsResolveEscapes() {
    Parsed p = parseClean("network N { y = f(s: \"a\\\"b\\\\c\\nd\\te\") }");
    Expr.Text text = (Expr.Text) p.file.networks().get(0).statements().get(0).call().arguments().get(0).value();
    assertEquals("a\"b\\c\nd\te", text.value());
    assertEquals("\"a\\\"b\\\\c\\nd\\te\"", p.text(text.span()));
  }

  @Test
  void emptyAndCommentOnlyFilesAreValid() {
    assertTrue(parseClean("").file.networks().isEmpty());
    assertTrue(parseClean("// nothing\n/* here */\n").file.networks().isEmpty());
    assertEquals(1, parseClean("network Empty {}").file.networks().size());
  }

  @Test
  void errorsHaveCleanMessages() {
    Parsed p = new Parsed("network N {\n  h = dense(x, units: 128 activation: relu)\n}\n");
    assertEquals(1, p.list().size());
    Diagnostic d = p.list().get(0);
    assertEquals(DiagnosticCode.SYNTAX, d.code());
    assertEquals("test.nnet:2:27: error: [nnet/syntax] expected ',' or ')' but found 'activation'", d.headline());
    assertEquals("separate arguments with ','", d.help().orElseThrow());
    assertTrue(p.file.networks().isEmpty(), "a network with a syntax error is left out");
  }

  @Test
  void crOnlyLineEndsAndTabsCountForPositions() {
    Parsed p = new Parsed("network N {\r\ty = f(a b)\r}\r");
    Diagnostic d = p.list().get(0);
    assertEquals(2, d.span().line());
    assertEquals(10, d.span().column());
  }

  @Test
  void leadingByteOrderMarkIsSkipped() {
    Parsed p = new Parsed("\uFEFFnetwork N { y = f(a b) }");
    assertFalse(p.file.source().text().startsWith("\uFEFF"));
    assertEquals(1, p.list().get(0).span().line());
    assertEquals(21, p.list().get(0).span().column());
    assertEquals(1, parseClean("\uFEFFnetwork N {}").file.networks().size());
  }

  @Test
  void oneDiagnosticPerStatementAndTheNextStatementIsChecked() {
    Parsed p =
        new Parsed(
            "network N {\n"
                + "  a = f(x y z $ \"unterminated\n"
                + "  b = g(, , ,)\n"
                + "  c = h(x)\n"
                + "  d = 1 2 3\n"
                + "}\n");
    assertEquals(List.of(2, 3, 5), p.list().stream().map(d -> d.span().line()).toList());
  }

  @Test
  void tooManyErrorsStopsTheParse() {
    StringBuilder text = new StringBuilder("network N {\n");
    for (int i = 0; i < 80; i++) {
      text.append("  x").append(i).append(" = f(a b)\n");
    }
    text.append("}\n");
    Parsed p = new Parsed(text.toString());
    assertEquals(NnetReader.MAX_SYNTAX_ERRORS + 1, p.list().size());
    assertEquals("too many syntax errors; stopping", p.list().get(p.list().size() - 1).message());
  }

  @Test
  void nestingLimit() {
    String ok = "network N { y = f(" + "[".repeat(62) + "]".repeat(62) + ") }";
    assertEquals(1, parseClean(ok).file.networks().size());

    String deep = "network N { y = f(" + "[".repeat(63) + "]".repeat(63) + ") }";
    Parsed p = new Parsed(deep);
    assertEquals(1, p.list().size());
    assertEquals(DiagnosticCode.NESTING_TOO_DEEP, p.list().get(0).code());
    assertEquals("brackets nest deeper than 64 levels", p.list().get(0).message());
    assertEquals(18 + 63, p.list().get(0).span().column());
    assertTrue(p.file.networks().isEmpty());

    Parsed huge = new Parsed("(".repeat(200_000));
    assertEquals(1, huge.list().size());
    assertEquals(DiagnosticCode.NESTING_TOO_DEEP, huge.list().get(0).code());

    // Brackets in comments and strings do not count.
    parseClean("/* " + "(".repeat(100) + " */ // " + "[".repeat(100) + "\nnetwork N { y = f(s: \"" + "{".repeat(100) + "\") }");
  }

  @Test
  void strangeCharactersAreReportedNotThrown() {
    for (String bad : List.of("\u0000", "\uD800", "\uDC00", "\uD83D\uDE00", "\u00A0", "\uFEFF", "\u202E", "\u0007")) {
      Parsed p = new Parsed("network N {\n  y = f(" + bad + ")\n}\n");
      assertEquals(1, p.list().size(), bad);
      assertTrue(p.list().get(0).message().startsWith("unexpected character "), p.list().get(0).message());
      assertEquals(2, p.list().get(0).span().line());
      assertEquals(9, p.list().get(0).span().column());
    }
  }

  @Test
  void hugeInputsParse() {
    StringBuilder text = new StringBuilder("network Big {\n  input x: float[4]\n");
    for (int i = 0; i < 20_000; i++) {
      text.append("  h").append(i).append(" = dense(x, units: ").append(i).append(", activation: relu)\n");
    }
    text.append("}\n");
    Parsed p = parseClean(text.toString());
    assertEquals(20_000, p.file.networks().get(0).statements().size());

    Parsed garbage = new Parsed("$".repeat(500_000));
    assertEquals(1, garbage.list().size());
  }

  @Test
  void antlrNeverPrints() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try {
      System.setOut(capture);
      System.setErr(capture);
      for (String text : List.of("network {", "}}}", "network A { x = $ }", "\"", "/*", "network A { train { a b c } }")) {
        new Parsed(text);
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aFailingSinkBecomesAnInternalDiagnostic() {
    DiagnosticList kept = new DiagnosticList();
    int[] calls = {0};
    NnetFile file =
        NnetReader.parse(
            new SourceFile("x.nnet", "network N { y = f(a b) }"),
            d -> {
              if (calls[0]++ == 0) {
                throw new IllegalStateException("boom");
              }
              kept.report(d);
            });
    assertTrue(file.networks().isEmpty());
    assertEquals(DiagnosticCode.INTERNAL, kept.diagnostics().get(0).code());
    assertTrue(kept.diagnostics().get(0).message().startsWith("internal error: "));
    assertTrue(kept.diagnostics().get(0).message().endsWith("please report"));
  }

  @Test
  void readReportsUnreadableFiles(@TempDir Path dir) throws IOException {
    DiagnosticList diagnostics = new DiagnosticList();
    NnetFile missing = NnetReader.read(dir.resolve("missing.nnet"), diagnostics);
    assertTrue(missing.networks().isEmpty());
    assertEquals(DiagnosticCode.IO_ERROR, diagnostics.diagnostics().get(0).code());

    Path file = dir.resolve("ok.nnet");
    Files.write(file, "\uFEFFnetwork Ok { }".getBytes(StandardCharsets.UTF_8));
    DiagnosticList none = new DiagnosticList();
    assertEquals("Ok", NnetReader.read(file, none).networks().get(0).name());
    assertFalse(none.hasErrors());
  }
}
