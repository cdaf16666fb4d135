package dev.nnet.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.dsl.ast.NnetFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: each directory under {@code src/test/resources/golden} holds an
 * {@code input.nnet} and the {@code expected.txt} output: the rendered diagnostics (path shown as
 * {@code input.nnet}), then, after a {@code ---} line if there are both, the AST of the networks
 * returned. Directories named {@code valid-*} must parse without diagnostics.
 *
 * <p>Run with {@code -Dnnet.updateGoldens=true} to rewrite the expected files from the actual
 * output (then review the diff).
 */
class GoldenTest {
  static final Path GOLDEN = goldenDirectory();
  private static final boolean UPDATE = Boolean.getBoolean("nnet.updateGoldens");

  // The source tree (so that updates land there) when run from the module directory, as
  // Maven does; otherwise the copy on the test class path.
  private static Path goldenDirectory() {
    Path source = Paths.get("src", "test", "resources", "golden");
    if (Files.isDirectory(source)) {
      return source;
    }
    try {
      return Paths.get(GoldenTest.class.getResource("/golden").toURI());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      return source;
    }
  }

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(GOLDEN)) {
      return dirs.filter(Files::isDirectory)
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .collect(Collectors.toList())
          .stream();
    }
  }

  /** The golden output for {@code text}: rendered diagnostics, then the AST dump. */
  static String run(String text) {
    DiagnosticList diagnostics = new DiagnosticList();
    NnetFile file = NnetReader.parse(new SourceFile("input.nnet", text), diagnostics);
    String rendered = diagnostics.render(file.source());
    String ast = AstPrinter.print(file);
    if (!rendered.isEmpty() && !ast.isEmpty()) {
      return rendered + "---\n" + ast;
    }
    return rendered + ast;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void golden(String name) throws IOException {
    Path dir = GOLDEN.resolve(name);
    String input = new String(Files.readAllBytes(dir.resolve("input.nnet")), StandardCharsets.UTF_8);
    String actual = run(input);
    Path expectedFile = dir.resolve("expected.txt");
    if (UPDATE) {
      Files.write(expectedFile, actual.getBytes(StandardCharsets.UTF_8));
      return;
    }
    assertTrue(Files.exists(expectedFile), "missing " + expectedFile + "; run with -Dnnet.updateGoldens=true");
    String expected = new String(Files.readAllBytes(expectedFile), StandardCharsets.UTF_8);
    assertEquals(expected, actual, "golden output of " + name);
    if (name.startsWith("valid-")) {
      assertFalse(actual.contains(": error: "), name + " must parse without errors");
      assertFalse(actual.isEmpty(), name + " must declare a network");
    }
  }

  @Test
  void thereAreEnoughCases() throws IOException {
    List<String> all = cases().collect(Collectors.toList());
    assertTrue(all.stream().filter(n -> n.startsWith("valid-")).count() >= 4, all.toString());
    assertTrue(all.stream().filter(n -> n.startsWith("error-")).count() >= 12, all.toString());
  }
}
