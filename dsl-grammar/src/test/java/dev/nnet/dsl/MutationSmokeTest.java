package dev.nnet.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random damage to the valid golden inputs (among them the {@code valid-let-*} files, which
 * declare constants at both levels, and {@code valid-sequential}, which uses sequential blocks):
 * whatever the text, the reader must not throw, print, or
 * point a diagnostic outside the file, and what it returns must have been written without
 * mistakes.
 */
class MutationSmokeTest {
  private static final long SEED = 20240611L;
  private static final int MUTATIONS = 2_000;
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z_0-9.]+|\\s+|.", Pattern.DOTALL);
  private static final String[] INSERTS = {
    "(", ")", "{", "}", "[", "]", ",", ":", ";", "=", "-", "network", "input", "output", "train",
    "\"", "\"x\"", "/*", "*/", "//", "\n", "\r", "\r\n", "\t", "\u0000", "\uD800", "\uDFFF",
    "\uFEFF", "\uD83D\uDE00", "1e999", "x", "42", ".5", "$", "#", "\\", "dense(x, units: 1)",
    "network N {", "train {", "let", "let k = 3", "let k =", "k", "= 3",
    "sequential", "sequential(x) {", "y = sequential(x) { f() }", "h =",
  };
  private static final Set<String> CATALOGUE =
      Arrays.stream(DiagnosticCode.values()).map(DiagnosticCode::id).collect(Collectors.toSet());

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void mutatedInputsNeverBreakTheReader() throws IOException {
    List<String> seeds = validInputs();
    assertTrue(seeds.size() >= 6);
    assertTrue(seeds.stream().anyMatch(seed -> seed.contains("let ")), "a seed declares constants");
    assertTrue(seeds.stream().anyMatch(seed -> seed.contains("= sequential(")), "a seed uses sequential blocks");
    Random random = new Random(SEED);
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int parsed = 0;
    try {
      PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
      System.setErr(capture);
      System.setOut(capture);
      for (String seed : seeds) {
        for (int length = 0; length <= seed.length(); length++) {
          check(seed.substring(0, length), "truncated at " + length);
          parsed++;
        }
      }
      for (int i = 0; i < MUTATIONS; i++) {
        String seed = seeds.get(random.nextInt(seeds.size()));
        String text = seed;
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
          text = mutate(text, random);
        }
        check(text, "mutation " + i);
        parsed++;
      }
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    assertEquals("", printed.toString(StandardCharsets.UTF_8), "the reader printed something");
    assertTrue(parsed > MUTATIONS);
  }

  private static void check(String text, String what) {
    DiagnosticList diagnostics = new DiagnosticList(1000);
    NnetFile file;
    try {
      file = NnetReader.parse(new SourceFile("m.nnet", text), diagnostics);
    } catch (Throwable t) {
      throw new AssertionError(what + ": parse threw for " + escape(text), t);
    }
    SourceFile source = file.source();
    int syntax = 0;
    for (Diagnostic d : diagnostics.diagnostics()) {
      String context = what + ": " + d.headline() + " for " + escape(text);
      assertTrue(CATALOGUE.contains(d.code().id()), context);
      assertNotEquals(DiagnosticCode.INTERNAL, d.code(), context);
      assertSpan(source, d.span(), context);
      assertTrue(d.message().length() < 200 && !d.message().contains("mismatched input")
          && !d.message().contains("expecting {"), context);
      if (d.code() == DiagnosticCode.SYNTAX) {
        syntax++;
      }
      try {
        diagnostics.render(source);
      } catch (RuntimeException e) {
        throw new AssertionError("render failed: " + context, e);
      }
    }
    assertTrue(syntax <= NnetReader.MAX_SYNTAX_ERRORS + 1, what);
    for (LetDecl let : file.lets()) {
      assertLet(source, let, what + " for " + escape(text));
      // A file-level constant that is returned was written without mistakes too.
      String alone = source.text().substring(let.span().startOffset(), let.span().endOffset());
      DiagnosticList again = new DiagnosticList();
      NnetFile reparsed = NnetReader.parse(new SourceFile("alone.nnet", alone), again);
      assertEquals("", again.render(reparsed.source()), what + ": returned a constant with errors from " + escape(text));
      assertEquals(1, reparsed.lets().size(), what);
      assertEquals(let.name(), reparsed.lets().get(0).name(), what);
    }
    for (NetworkDecl network : file.networks()) {
      assertSpans(source, network, what + " for " + escape(text));
      // A network that is returned was written without mistakes: on its own it parses cleanly.
      String alone = source.text().substring(network.span().startOffset(), network.span().endOffset());
      DiagnosticList again = new DiagnosticList();
      NnetFile reparsed = NnetReader.parse(new SourceFile("alone.nnet", alone), again);
      assertEquals("", again.render(reparsed.source()), what + ": returned a network with errors from " + escape(text));
      assertEquals(1, reparsed.networks().size(), what);
      assertEquals(network.name(), reparsed.networks().get(0).name(), what);
    }
  }

  private static void assertSpan(SourceFile source, SourceSpan span, String context) {
    assertTrue(span.line() >= 1 && span.column() >= 1, context);
    assertTrue(span.line() <= source.lineCount() + 1, context);
    assertTrue(span.endOffset() <= source.text().length(), context);
    assertEquals(source.lineOf(span.startOffset()), span.line(), context);
    assertEquals(source.columnOf(span.startOffset()), span.column(), context);
  }

  private static void assertLet(SourceFile source, LetDecl let, String context) {
    assertSpan(source, let.span(), context);
    assertSpan(source, let.nameSpan(), context);
    assertEquals(let.name(), source.text().substring(let.nameSpan().startOffset(), let.nameSpan().endOffset()), context);
    assertExpr(source, let.value(), context);
  }

  private static void assertSpans(SourceFile source, NetworkDecl network, String context) {
    assertSpan(source, network.span(), context);
    assertSpan(source, network.nameSpan(), context);
    network.lets().forEach(let -> assertLet(source, let, context));
    for (InputDecl input : network.inputs()) {
      assertSpan(source, input.span(), context);
      input.type().dimensions().forEach(d -> assertExpr(source, d, context));
    }
    for (LayerStatement statement : network.statements()) {
      assertSpan(source, statement.span(), context);
      assertSpan(source, statement.targetSpan(), context);
      assertCall(source, statement.call(), context);
    }
    network.train().ifPresent(train -> {
      for (Setting setting : train.settings()) {
        assertSpan(source, setting.keySpan(), context);
        assertExpr(source, setting.value(), context);
      }
    });
  }

  private static void assertCall(SourceFile source, Call call, String context) {
    assertSpan(source, call.span(), context);
    for (Argument argument : call.arguments()) {
      assertSpan(source, argument.nameSpan(), context);
      assertExpr(source, argument.value(), context);
    }
  }

  private static void assertExpr(SourceFile source, Expr expr, String context) {
    assertSpan(source, expr.span(), context);
    if (expr instanceof Expr.ListOf list) {
      list.elements().forEach(e -> assertExpr(source, e, context));
    } else if (expr instanceof Expr.CallExpr call) {
      assertCall(source, call.call(), context);
    }
  }

  private static String mutate(String text, Random random) {
    if (text.isEmpty()) {
      return INSERTS[random.nextInt(INSERTS.length)];
    }
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      tokens.add(m.group());
    }
    int at = random.nextInt(text.length());
    int token = random.nextInt(tokens.size());
    switch (random.nextInt(8)) {
      case 0 -> tokens.remove(token);
      case 1 -> tokens.add(token, INSERTS[random.nextInt(INSERTS.length)]);
      case 2 -> {
        int other = random.nextInt(tokens.size());
        String t = tokens.get(token);
        tokens.set(token, tokens.get(other));
        tokens.set(other, t);
      }
      case 3 -> {
        return text.substring(0, at) + text.substring(at + 1);
      }
      case 4 -> {
        return text.substring(0, at) + (char) random.nextInt(0x10000) + text.substring(at);
      }
      case 5 -> {
        if (at + 1 < text.length()) {
          return text.substring(0, at) + text.charAt(at + 1) + text.charAt(at) + text.substring(at + 2);
        }
        return text;
      }
      case 6 -> {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int b = random.nextInt(bytes.length);
        bytes[b] ^= (byte) (1 << random.nextInt(8));
        return new String(bytes, StandardCharsets.UTF_8);
      }
      default -> {
        return text.substring(0, at);
      }
    }
    return String.join("", tokens);
  }

  private static List<String> validInputs() throws IOException {
    try (Stream<Path> dirs = Files.list(GoldenTest.GOLDEN)) {
      List<String> inputs = new ArrayList<>();
      for (Path dir : dirs.sorted().collect(Collectors.toList())) {
        if (dir.getFileName().toString().startsWith("valid-")) {
          inputs.add(new String(Files.readAllBytes(dir.resolve("input.nnet")), StandardCharsets.UTF_8));
        }
      }
      if (inputs.isEmpty()) {
        fail("no valid golden inputs under " + GoldenTest.GOLDEN.toAbsolutePath());
      }
      return inputs;
    }
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
