package dev.nnet.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.diag.SourceSpan;
import dev.nnet.processor.NnetCompiler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole compiler (reader, checker, generator) against damaged text: every truncation of every
 * example {@code .nnet} file, and seeded mutants of every golden and example input (token
 * deletions, insertions and swaps, byte flips, invalid UTF-8, NUL, byte-order marks, CR-only and
 * CRLF line ends). Nothing may throw; every diagnostic must have the file, a line and column
 * inside the file, a catalogued id and its severity; no file gets more diagnostics than the cap.
 * {@code -Pextended} runs 200,000 mutants instead of 5,000.
 */
class FrontEndMutantTest {
  static final int MUTANTS = Integer.getInteger("nnet.reliability.mutants", 5_000);
  /** The most diagnostics one file may produce (syntax errors stop at 50 + 1; checks are per statement). */
  static final int CAP = DiagnosticList.DEFAULT_LIMIT;
  static final String FILE = "mutant.nnet";

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z_0-9.]+|\\s+|.", Pattern.DOTALL);
  private static final String[] INSERTS = {
    "(", ")", "{", "}", "[", "]", ",", ":", ";", "=", "-", "network", "input", "output", "train", "let",
    "dense", "dropout", "concat", "add", "multiply", "batch_norm", "layer_norm", "sequential", "relu",
    "softmax", "units", "activation", "loss", "optimizer", "adam", "batch", "epochs", "metrics", "x", "h",
    "0", "-1", "1e999", "2147483648", "0.5", "\"s\"", "\"", "//", "/*", "*/", "\n", "\r", "\t", "\u0000",
    "\uFEFF", "\uD800", "é", "float[3]", "float[", "[0]", "dense(x, units: 1)", "network N {", "train {",
  };
  /** Byte sequences that are not UTF-8: a lone continuation, a truncated lead, overlong, a surrogate, FF. */
  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xFF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
  };

  enum Kind { TRUNCATION, DELETE, INSERT, SWAP, BYTE_FLIP, INVALID_UTF8, NUL, BOM, CR_ONLY, CRLF }

  static List<String> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("../examples"))) {
      List<String> texts = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".nnet")).sorted().toList()) {
        texts.add(Files.readString(file, StandardCharsets.UTF_8));
      }
      return texts;
    }
  }

  static List<String> seeds() throws IOException {
    List<String> seeds = new ArrayList<>(exampleFiles());
    for (Path root : List.of(Path.of("src/test/resources/golden"), Path.of("../dsl-grammar/src/test/resources/golden"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.getFileName().toString().equals("input.nnet")).sorted().toList()) {
          seeds.add(Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return seeds;
  }

  /** Bytes decoded as the compiler reads a file: malformed UTF-8 becomes U+FFFD. */
  static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new AssertionError(e);
    }
  }

  static String mutate(String text, Kind kind, SplittableRandom random) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      tokens.add(m.group());
    }
    if (tokens.isEmpty()) {
      tokens.add("");
    }
    int token = random.nextInt(tokens.size());
    switch (kind) {
      case DELETE -> tokens.remove(token);
      case INSERT -> tokens.add(token, INSERTS[random.nextInt(INSERTS.length)]);
      case SWAP -> {
        int other = random.nextInt(tokens.size());
        String t = tokens.get(token);
        tokens.set(token, tokens.get(other));
        tokens.set(other, t);
      }
      case BYTE_FLIP -> {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
          for (int f = 1 + random.nextInt(3); f > 0; f--) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        return decode(bytes);
      }
      case INVALID_UTF8 -> {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] bad = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
        int at = random.nextInt(bytes.length + 1);
        byte[] out = new byte[bytes.length + bad.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bad, 0, out, at, bad.length);
        System.arraycopy(bytes, at, out, at + bad.length, bytes.length - at);
        return decode(out);
      }
      case NUL -> tokens.add(token, "\u0000");
      case BOM -> {
        return random.nextBoolean() ? "\uFEFF" + text : String.join("", tokens.subList(0, token)) + "\uFEFF"
            + String.join("", tokens.subList(token, tokens.size()));
      }
      case CR_ONLY -> {
        return text.replace("\r\n", "\n").replace('\n', '\r');
      }
      case CRLF -> {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
      }
      default -> throw new IllegalArgumentException(kind.toString());
    }
    return String.join("", tokens);
  }

  /** Compiles {@code text}; fails on a throwable or any diagnostic without a proper place. */
  static int check(String text, String what) {
    return check(text, what, true);
  }

  /**
   * As {@link #check(String, String)}; {@code render} also prints every generated class (the
   * truncations skip it: their complete networks are the same over and over).
   */
  static int check(String text, String what, boolean render) {
    SourceFile source = new SourceFile(FILE, text);
    // The reader drops a leading byte-order mark; positions refer to the text without it.
    SourceFile parsed = text.startsWith("\uFEFF") ? new SourceFile(FILE, text.substring(1)) : source;
    DiagnosticList list = new DiagnosticList(Integer.MAX_VALUE);
    try {
      for (JavaFile file : NnetCompiler.compile(source, "fuzz", list, new NnetCompiler.Options(false, false))) {
        if (render) {
          file.toString();
        }
      }
    } catch (Throwable t) {
      throw new AssertionError(what + ": the compiler threw " + t + " on:\n" + text, t);
    }
    List<Diagnostic> diagnostics = list.diagnostics();
    assertTrue(diagnostics.size() <= CAP, what + ": " + diagnostics.size() + " diagnostics");
    for (Diagnostic d : diagnostics) {
      String context = what + ": " + d.headline() + " in:\n" + text;
      assertTrue(d.code() != DiagnosticCode.INTERNAL, context);
      assertTrue(Arrays.asList(DiagnosticCode.values()).contains(d.code()) && d.code().id().startsWith("nnet/"), context);
      assertEquals(d.code().severity(), d.severity(), context);
      SourceSpan span = d.span();
      assertEquals(FILE, span.file(), context);
      assertTrue(span.line() >= 1 && span.column() >= 1, context);
      assertTrue(span.startOffset() >= 0 && span.startOffset() <= span.endOffset()
          && span.endOffset() <= parsed.text().length(), context);
      assertEquals(parsed.lineOf(span.startOffset()), span.line(), context);
      assertEquals(parsed.columnOf(span.startOffset()), span.column(), context);
      assertTrue(span.line() <= parsed.lineCount(), context);
      assertTrue(span.column() <= parsed.line(span.line()).length() + 1, context);
    }
    return diagnostics.size();
  }

  @Test
  void everyTruncationOfEveryExampleFile() throws IOException {
    List<String> examples = exampleFiles();
    assertTrue(examples.size() >= 2, "example .nnet files found: " + examples.size());
    // The files are found by walking examples/, so every new example is in; these statements,
    // from the layers added since this test was written, must be among them.
    String all = String.join("\n", examples);
    for (String statement : List.of("conv2d(", "upsampling2d(", "conv2d_transpose(", "gaussian_sample(",
        "gaussian_noise(", "multi_head_attention(", "positional_embedding(", "globalavgpool1d(", "embedding(",
        "lstm(", "time_distributed(", "\ngan ")) {
      assertTrue(all.contains(statement), "no example file has " + statement.strip());
    }
    int compiled = 0;
    for (String example : examples) {
      for (int length = 0; length <= example.length(); length++) {
        check(example.substring(0, length), "truncated at " + length, length == example.length());
        compiled++;
      }
    }
    System.out.println("[reliability] example truncations compiled: " + compiled + " (" + examples.size() + " files)");
  }

  @Test
  void seededMutantsNeverBreakTheCompiler() throws IOException {
    List<String> seeds = seeds();
    SplittableRandom random = new SplittableRandom(20261129);
    Kind[] kinds = Arrays.copyOfRange(Kind.values(), 1, Kind.values().length);
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    int diagnostics = 0;
    for (int i = 0; i < MUTANTS; i++) {
      String text = seeds.get(random.nextInt(seeds.size()));
      // Mostly one mutation; every eighth mutant gets several of mixed kinds.
      int rounds = i % 8 == 7 ? 2 + random.nextInt(4) : 1;
      Kind kind = kinds[i % kinds.length];
      for (int r = 0; r < rounds; r++) {
        text = mutate(text, r == 0 ? kind : kinds[random.nextInt(kinds.length)], random);
      }
      diagnostics += check(text, "mutant " + i + " (" + kind + ")");
      counts.merge(kind, 1, Integer::sum);
    }
    assertEquals(MUTANTS, counts.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(diagnostics > MUTANTS / 2, diagnostics + " diagnostics: the mutants were not broken enough");
    System.out.println("[reliability] mutants compiled: " + MUTANTS + " " + counts + ", diagnostics: " + diagnostics);
  }

  @Test
  void nestingAHundredThousandDeepIsOneDiagnostic() {
    for (String open : List.of("(", "[", "{", "([{")) {
      String close = new StringBuilder(open).reverse().toString().replace('(', ')').replace('[', ']').replace('{', '}');
      int depth = 100_000 / open.length();
      String text = "network N {\n  input x: float[2]\n  y = dense(" + open.repeat(depth) + "x" + close.repeat(depth)
          + ")\n  output z = dense(y, units: 1)\n}\n";
      DiagnosticList list = new DiagnosticList(Integer.MAX_VALUE);
      List<JavaFile> files;
      try {
        files = NnetCompiler.compile(new SourceFile(FILE, text), "fuzz", list, false);
      } catch (Throwable t) {
        throw new AssertionError(open + ": " + t, t);
      }
      assertEquals(1, list.diagnostics().size(), open + ": " + list.diagnostics());
      Diagnostic d = list.diagnostics().get(0);
      assertEquals(DiagnosticCode.NESTING_TOO_DEEP, d.code());
      assertEquals(3, d.span().line());
      assertTrue(files.isEmpty());
    }
  }

  @Test
  void aFileWithThousandsOfErrorsKeepsOnlyTheCap() {
    StringBuilder text = new StringBuilder("network N {\n  input x: float[2]\n");
    for (int i = 0; i < 5_000; i++) {
      text.append("  h").append(i).append(" = dense(nowhere").append(i).append(", units: 2)\n");
    }
    text.append("  output y = dense(x, units: 1)\n  train { loss: mse }\n}\n");
    DiagnosticList list = new DiagnosticList();
    NnetCompiler.compile(new SourceFile(FILE, text.toString()), "fuzz", list, false);
    assertEquals(CAP, list.diagnostics().size());
    assertTrue(list.errorCount() >= 5_000, list.errorCount() + " errors counted");
    assertTrue(list.dropped() >= 5_000 - CAP, list.dropped() + " dropped");
  }
}
