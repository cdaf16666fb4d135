package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code src/test/resources/golden/<case>/input.nnet} must produce exactly the
 * diagnostics in {@code expected.txt} and, for valid networks, exactly the sources in
 * {@code <ClassName>.java} (with Vector API kernels for cases named {@code *-vector}). Run with {@code -Dnnet.updateGoldens=true} to rewrite them.
 */
class GoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final boolean UPDATE = Boolean.getBoolean("nnet.updateGoldens");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(GOLDEN)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesGolden(String name) throws IOException {
    Path dir = GOLDEN.resolve(name);
    String text = Files.readString(dir.resolve("input.nnet"), StandardCharsets.UTF_8);
    SourceFile source = new SourceFile("input.nnet", text);
    DiagnosticList diagnostics = new DiagnosticList();
    // A case whose name ends in "-vector" pins the Vector API kernels as well.
    List<JavaFile> files = NnetCompiler.compile(source, "golden", diagnostics,
        new NnetCompiler.Options(false, name.endsWith("-vector")));
    String rendered = diagnostics.render(source);
    compare(dir.resolve("expected.txt"), rendered.isEmpty() ? "no diagnostics\n" : rendered);
    for (JavaFile file : files) {
      compare(dir.resolve(file.typeSpec().name() + ".java"), file.toString());
    }
    if (!UPDATE) {
      try (Stream<Path> expectedSources = Files.list(dir)) {
        long expected = expectedSources.filter(f -> f.toString().endsWith(".java")).count();
        assertEquals(expected, files.size(), "number of generated classes");
      }
    }
  }

  private static void compare(Path expectedFile, String actual) throws IOException {
    if (UPDATE) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.exists(expectedFile), expectedFile + " is missing; run with -Dnnet.updateGoldens=true");
    assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, expectedFile.toString());
  }

  /** Every diagnostic id a user can meet has a golden that pins its text and position. */
  @Test
  void everyDiagnosticHasAGolden() throws IOException {
    Set<DiagnosticCode> missing = EnumSet.allOf(DiagnosticCode.class);
    // No input can cause these on purpose: a bug (internal), an unreadable file (io: covered by ProcessorTest).
    missing.remove(DiagnosticCode.INTERNAL);
    missing.remove(DiagnosticCode.IO_ERROR);
    // Only Java declarations cause this one; annotation/InvalidDeclarationTest pins its messages and positions.
    missing.remove(DiagnosticCode.ANNOTATION);
    List<Path> roots = List.of(GOLDEN, Path.of("../dsl-grammar/src/test/resources/golden"));
    List<String> expectations = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.getFileName().toString().equals("expected.txt")).toList()) {
          expectations.add(Files.readString(file, StandardCharsets.UTF_8));
        }
      }
    }
    missing.removeIf(code -> expectations.stream().anyMatch(text -> text.contains("[" + code.id() + "]")));
    assertTrue(missing.isEmpty(), "diagnostics without a golden: " + missing);
  }
}
