package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests of the whole front end and generator: thousands of mutated programs never
 * make the compiler throw, every diagnostic has a position inside the file, and every generated
 * class for a random valid network is produced without error.
 */
class CheckerFuzzTest {
  private static final String[] FRAGMENTS = {
    "dense", "dropout", "flatten", "reshape", "add", "concat", "multiply", "relu", "gelu", "softmax", "units",
    "activation", ":", ",", "(", ")", "[", "]", "{", "}", "=", "output", "input", "train", "let", "0", "-1",
    "1e40", "0.5", "128", "x", "h", "loss", "metrics", "optimizer", "adam", "sgd(learning_rate: 2)",
    "kernel_regularizer: l2", "shape: [2, 2]", "\n", "\r", "\t", "\u0000", "\uFEFF", "é", "\"s\"", "//", "/*",
  };

  static List<String> seeds() throws IOException {
    List<String> texts = new ArrayList<>();
    for (Path root : List.of(Path.of("src/test/resources/golden"), Path.of("../dsl-grammar/src/test/resources/golden"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.getFileName().toString().equals("input.nnet")).sorted().toList()) {
          texts.add(Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    return texts;
  }

  private static String mutate(String text, SplittableRandom random) {
    StringBuilder out = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && out.length() > 0; e++) {
      int at = random.nextInt(out.length());
      switch (random.nextInt(5)) {
        case 0 -> out.deleteCharAt(at);
        case 1 -> out.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 2 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(12)));
        case 3 -> out.replace(at, at + 1, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        default -> {
          int other = random.nextInt(out.length());
          char c = out.charAt(at);
          out.setCharAt(at, out.charAt(other));
          out.setCharAt(other, c);
        }
      }
    }
    return out.toString();
  }

  @Test
  void mutatedProgramsNeverCrashAndEveryDiagnosticHasAPosition() throws IOException {
    List<String> seeds = seeds();
    SplittableRandom random = new SplittableRandom(20261128);
    int programs = 0;
    int diagnostics = 0;
    for (int round = 0; round < 3_000; round++) {
      String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
      SourceFile source = new SourceFile("fuzz.nnet", text);
      DiagnosticList list = new DiagnosticList();
      List<JavaFile> files;
      try {
        files = NnetCompiler.compile(source, "fuzz", list, new NnetCompiler.Options(round % 2 == 0, round % 3 == 0));
        files.forEach(JavaFile::toString);
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("the compiler threw on:\n" + text, e);
      }
      for (Diagnostic d : list.diagnostics()) {
        if (d.code() == DiagnosticCode.INTERNAL) {
          fail("internal error " + d.message() + " on:\n" + text);
        }
        assertTrue(d.span().line() >= 1 && d.span().column() >= 1, d.headline());
        assertTrue(d.span().line() <= source.lineCount() + 1, d.headline() + " is past the end of:\n" + text);
        assertTrue(d.span().endOffset() <= text.length() + 1, d.headline());
      }
      if (!list.hasErrors()) {
        assertTrue(!files.isEmpty() || list.diagnostics().isEmpty() || text.isBlank() || !text.contains("network"),
            "no error and no class for:\n" + text);
      }
      programs++;
      diagnostics += list.diagnostics().size();
    }
    assertTrue(programs == 3_000 && diagnostics > 1_000, programs + " programs, " + diagnostics + " diagnostics");
  }

  /** Random valid networks: every one compiles without a diagnostic and generates a class. */
  @Test
  void randomValidNetworksCompileCleanly() {
    SplittableRandom random = new SplittableRandom(7);
    String[] activations = {"relu", "tanh", "sigmoid", "leaky_relu(alpha: 0.1)", "elu", "swish", "gelu", "linear"};
    for (int n = 0; n < 300; n++) {
      StringBuilder body = new StringBuilder();
      int width = 1 + random.nextInt(40);
      body.append("  input x: float[").append(width).append("]\n");
      List<String> names = new ArrayList<>(List.of("x"));
      List<Integer> widths = new ArrayList<>(List.of(width));
      int layers = 1 + random.nextInt(6);
      for (int l = 0; l < layers; l++) {
        int from = random.nextInt(names.size());
        String name = "v" + l;
        int choice = random.nextInt(5);
        if (choice <= 1 || names.size() < 2) {
          int units = 1 + random.nextInt(70);
          body.append("  ").append(name).append(" = dense(").append(names.get(from)).append(", units: ").append(units)
              .append(", activation: ").append(activations[random.nextInt(activations.length)]).append(")\n");
          widths.add(units);
        } else if (choice == 2) {
          body.append("  ").append(name).append(" = dropout(").append(names.get(from)).append(", rate: 0.3)\n");
          widths.add(widths.get(from));
        } else if (choice == 3) {
          int other = random.nextInt(names.size());
          body.append("  ").append(name).append(" = concat(").append(names.get(from)).append(", ")
              .append(names.get(other)).append(")\n");
          widths.add(widths.get(from) + widths.get(other));
        } else {
          body.append("  ").append(name).append(" = ").append(activations[random.nextInt(activations.length)]
              .replace("(", "(" + names.get(from) + ", ").replace("linear", "relu"));
          if (!body.toString().endsWith(")")) {
            body.append("(").append(names.get(from)).append(")");
          }
          body.append("\n");
          widths.add(widths.get(from));
        }
        names.add(name);
      }
      body.append("  output y = dense(").append(names.get(names.size() - 1)).append(", units: 3, activation: softmax)\n");
      body.append("  train { loss: categorical_crossentropy  batch: ").append(1 + random.nextInt(64)).append(" }\n");
      String text = "network Random" + n + " {\n" + body + "}\n";
      SourceFile source = new SourceFile("random.nnet", text);
      DiagnosticList list = new DiagnosticList();
      List<JavaFile> files = NnetCompiler.compile(source, "fuzz", list, new NnetCompiler.Options(true, n % 2 == 0));
      boolean onlyUnusedWarnings = list.diagnostics().stream().allMatch(d -> d.code() == DiagnosticCode.UNUSED_TENSOR);
      assertTrue(onlyUnusedWarnings && files.size() == 2, list.render(source) + "\n" + text);
    }
  }
}
