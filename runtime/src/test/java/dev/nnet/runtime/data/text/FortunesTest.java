package dev.nnet.runtime.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FortunesTest {

  static final Path FILE = Path.of("..", "examples", "data", "fortunes-text-classes.tsv");

  @TempDir Path dir;

  @Test
  void readsTheRealFile() throws IOException {
    Fortunes fortunes = Fortunes.load(FILE);
    assertEquals(2639, fortunes.size());
    assertEquals(List.of("computers", "literature", "politics", "science"), fortunes.classes());
    int[] counts = new int[4];
    for (int c : fortunes.classIndices()) {
      counts[c]++;
    }
    assertArrayEquals(new int[] {1050, 262, 702, 625}, counts);
    assertEquals("computers", fortunes.label(0));
    assertEquals("1: No code table for op: ++post", fortunes.text(2));
    assertTrue(fortunes.texts().stream().anyMatch(t -> t.indexOf('\b') >= 0),
        "the overstrikes are kept in the texts");
  }

  @Test
  void targetsSparseAndOneHot() throws IOException {
    Fortunes fortunes = Fortunes.load(write("label\ttext\nb\tone\na\ttwo\nc\tthree\n"));
    assertEquals(List.of("a", "b", "c"), fortunes.classes());
    assertArrayEquals(new float[] {1, 0, 2}, fortunes.sparseTargets());
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, fortunes.oneHotTargets());
  }

  @Test
  void shufflingIsSeededAndSlicesKeepTheClasses() throws IOException {
    Fortunes fortunes = Fortunes.load(FILE);
    Fortunes shuffled = fortunes.shuffled(42);
    assertEquals(shuffled.texts(), fortunes.shuffled(42).texts());
    assertNotEquals(fortunes.texts(), shuffled.texts());
    List<String> sortedA = new ArrayList<>(fortunes.texts());
    List<String> sortedB = new ArrayList<>(shuffled.texts());
    Collections.sort(sortedA);
    Collections.sort(sortedB);
    assertEquals(sortedA, sortedB);
    for (int i = 0; i < shuffled.size(); i++) {
      int original = fortunes.texts().indexOf(shuffled.text(i));
      assertEquals(fortunes.label(original), shuffled.label(i));
      if (i > 20) {
        break;
      }
    }
    Fortunes onlyComputers = fortunes.slice(0, 10);
    assertEquals(fortunes.classes(), onlyComputers.classes(),
        "a slice without some classes keeps the class indices");
  }

  @Test
  void rejectsMalformedFilesWithFileAndLine() throws IOException {
    assertMessage("text\tlabel\nx\ty\n",
        ":1: expected the header line 'label<TAB>text', but found 'text<TAB>label'");
    assertMessage("label\ttext\nscience\tok\nscience\tone\ttwo\n",
        ":3: expected 'label<TAB>text' (2 tab-separated fields), but found 3:"
            + " 'science<TAB>one<TAB>two'");
    assertMessage("label\ttext\nscience no tab\n", ":2: expected 'label<TAB>text'");
    assertMessage("label\ttext\n\tno label\n", ":2: the label '' is empty or contains whitespace");
    assertMessage("label\ttext\nscience\t \n", ":2: the text is empty");
    assertMessage("label\ttext\n", ": no texts after the header line");
  }

  private void assertMessage(String content, String expected) throws IOException {
    Path file = write(content);
    String message = assertThrows(IOException.class, () -> Fortunes.load(file)).getMessage();
    assertTrue(message.startsWith(file + expected), message);
  }

  private Path write(String content) throws IOException {
    Path file = Files.createTempFile(dir, "texts", ".tsv");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
