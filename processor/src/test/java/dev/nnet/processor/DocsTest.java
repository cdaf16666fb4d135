package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.Diagnostic;
import dev.nnet.diag.DiagnosticCode;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```nnet} block in {@code README.md} and {@code docs/*.md} goes through the
 * compiler, so a documentation example cannot silently stop compiling.
 *
 * <p>The fence's info string says what to expect:
 *
 * <ul>
 *   <li>{@code ```nnet}: compiles without errors, generates at least one class, and reports
 *       nothing at all (no warnings either) unless ids are listed;
 *   <li>{@code ```nnet bad}: a bad example, which must produce at least one error;
 *   <li>any {@code nnet/<id>} after {@code nnet} ({@code ```nnet bad nnet/shape-mismatch}): that
 *       diagnostic must be among those reported.
 * </ul>
 *
 * <p>A {@code ```text} block that follows an {@code nnet} block with only blank lines between,
 * and that starts with a diagnostic headline ({@code Net.nnet:4:20: error: [nnet/...] ...}), is
 * the compiler's exact output for it: the test renders the diagnostics and compares the text,
 * with the file name of the headline in place of {@code doc.nnet}.
 *
 * <p>Fragments that are not whole networks belong in {@code ```text} blocks.
 */
class DocsTest {
  private static final Path REPOSITORY = Path.of("..");

  /** An opening or closing fence: indentation, the fence itself, the info string. */
  private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*(.*?)\\s*$");

  /** The first line of a rendered diagnostic; group 1 is the file as shown. */
  private static final Pattern HEADLINE =
      Pattern.compile("^(\\S+\\.nnet):\\d+:\\d+: (?:error|warning|note): \\[nnet/[a-z-]+\\] .*");

  private static final Pattern ID = Pattern.compile("nnet/[a-z-]+");

  private static final Set<String> KNOWN_IDS =
      Arrays.stream(DiagnosticCode.values()).map(DiagnosticCode::id).collect(Collectors.toSet());

  /** A fenced block of any language: where it starts and ends, its info string and its text. */
  private record Fence(Path file, int line, int endLine, String info, String text) {
    String language() {
      return info.isEmpty() ? "" : info.split("\\s+")[0];
    }
  }

  /** An {@code nnet} block to check, with the compiler output the doc quotes for it, if any. */
  private record Example(Fence block, boolean bad, Set<String> ids, Optional<Fence> output) {
    String name() {
      return REPOSITORY.relativize(block.file()) + ":" + block.line() + (bad ? " (bad example)" : "");
    }
  }

  static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>();
    documents.add(REPOSITORY.resolve("README.md"));
    try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
      docs.filter(f -> f.getFileName().toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  @TestFactory
  Stream<DynamicTest> everyNnetBlockCompilesAsMarked() throws IOException {
    List<Example> examples = new ArrayList<>();
    for (Path document : documents()) {
      examples.addAll(examples(document));
    }
    assertFalse(examples.isEmpty(), "no ```nnet blocks found in README.md and docs/*.md");
    return examples.stream().map(example -> DynamicTest.dynamicTest(example.name(),
        URI.create(example.block().file().toAbsolutePath().normalize().toUri() + "?line=" + example.block().line()),
        () -> check(example)));
  }

  /** {@code docs/errors.md} has a {@code ## nnet/<id>} section for every id, and only those. */
  @Test
  void errorsMdHasASectionPerDiagnosticId() throws IOException {
    List<String> lines = Files.readAllLines(REPOSITORY.resolve("docs/errors.md"), StandardCharsets.UTF_8);
    Set<String> sections = new TreeSet<>();
    for (String line : lines) {
      if (line.startsWith("## nnet/")) {
        sections.add(line.substring(3).strip());
      }
    }
    assertEquals(new TreeSet<>(KNOWN_IDS), sections, "the ## nnet/<id> sections of docs/errors.md");
  }

  private static void check(Example example) {
    String text = example.block().text();
    SourceFile source = new SourceFile("doc.nnet", text);
    DiagnosticList diagnostics = new DiagnosticList();
    List<JavaFile> generated = NnetCompiler.compile(source, "docs", diagnostics, false);
    String rendered = diagnostics.render(source);
    String where = example.name() + "\n" + text + "\n--- the compiler reports:\n"
        + (rendered.isEmpty() ? "nothing\n" : rendered);
    if (example.bad()) {
      assertTrue(diagnostics.hasErrors(), "a bad example that compiles without errors: " + where);
    } else {
      assertFalse(diagnostics.hasErrors(), "an example that does not compile (mark bad examples ```nnet bad): " + where);
      assertFalse(generated.isEmpty(), "an example that declares no network (put fragments in ```text blocks): " + where);
    }
    Set<String> reported = diagnostics.diagnostics().stream()
        .map(Diagnostic::code).map(DiagnosticCode::id).collect(Collectors.toSet());
    for (String id : example.ids()) {
      assertTrue(reported.contains(id), "the doc expects [" + id + "] here: " + where);
    }
    if (example.output().isPresent()) {
      Fence output = example.output().get();
      Matcher headline = HEADLINE.matcher(output.text().lines().findFirst().orElse(""));
      assertTrue(headline.matches());
      assertEquals(output.text(), rendered.replace("doc.nnet", headline.group(1)),
          "the output quoted at " + REPOSITORY.relativize(output.file()) + ":" + output.line()
              + " is not what the compiler prints for " + where);
    } else if (!example.bad() && example.ids().isEmpty()) {
      assertEquals("", rendered, "a valid example should compile without warnings: " + where);
    }
  }

  /** The {@code nnet} blocks of {@code document}, each with the output block after it, if any. */
  private static List<Example> examples(Path document) throws IOException {
    List<String> lines = Files.readAllLines(document, StandardCharsets.UTF_8);
    List<Fence> fences = fences(document, lines);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < fences.size(); i++) {
      Fence block = fences.get(i);
      if (!block.language().equals("nnet")) {
        continue;
      }
      boolean bad = false;
      Set<String> ids = new LinkedHashSet<>();
      List<String> words = List.of(block.info().split("\\s+"));
      for (String word : words.subList(1, words.size())) {
        if (word.equals("bad")) {
          bad = true;
        } else if (ID.matcher(word).matches() && KNOWN_IDS.contains(word)) {
          ids.add(word);
        } else {
          throw new AssertionError(document + ":" + block.line() + ": unknown word '" + word
              + "' after ```nnet; expected 'bad' or a diagnostic id such as nnet/syntax");
        }
      }
      Optional<Fence> output = Optional.empty();
      if (i + 1 < fences.size()) {
        Fence next = fences.get(i + 1);
        boolean adjacent = lines.subList(block.endLine(), next.line() - 1).stream().allMatch(String::isBlank);
        if (adjacent && next.language().equals("text") && HEADLINE.matcher(next.text().lines().findFirst().orElse("")).matches()) {
          output = Optional.of(next);
        }
      }
      examples.add(new Example(block, bad, Set.copyOf(ids), output));
    }
    return examples;
  }

  /**
   * Every fenced block in {@code lines} (1-based line numbers). A block closes at a fence of the
   * same character at least as long as the opening one; its lines lose the opening fence's
   * indentation, as in a list item.
   */
  private static List<Fence> fences(Path document, List<String> lines) {
    List<Fence> fences = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) {
        i++;
        continue;
      }
      int indent = open.group(1).length();
      String fence = open.group(2);
      String info = open.group(3);
      int start = i;
      StringBuilder text = new StringBuilder();
      i++;
      while (i < lines.size()) {
        Matcher close = FENCE.matcher(lines.get(i));
        if (close.matches() && close.group(3).isEmpty() && close.group(2).charAt(0) == fence.charAt(0)
            && close.group(2).length() >= fence.length()) {
          break;
        }
        String line = lines.get(i);
        int strip = 0;
        while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
          strip++;
        }
        text.append(line.substring(strip)).append('\n');
        i++;
      }
      if (i == lines.size()) {
        throw new AssertionError(document + ":" + (start + 1) + ": the fenced block is never closed");
      }
      fences.add(new Fence(document, start + 1, i + 1, info, text.toString()));
      i++;
    }
    return fences;
  }
}
