package dev.nnet.plots;

import static dev.nnet.plots.PngAssertions.assertOnlyFiles;
import static dev.nnet.plots.PngAssertions.assertPicture;
import static dev.nnet.plots.PngAssertions.countNear;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixPlotTest {
  @TempDir Path dir;

  static final List<String> NAMES = List.of("cat", "dog", "bird", "fish");
  static final int[][] COUNTS = {
    {50, 2, 0, 1},
    {3, 40, 5, 0},
    {0, 4, 60, 2},
    {1, 0, 7, 30},
  };

  @Test
  void writesAHeatMap() throws IOException {
    Path png = dir.resolve("confusion.png");
    ConfusionMatrixPlot.write(png, COUNTS, NAMES);
    BufferedImage image = assertPicture(png, ConfusionMatrixPlot.WIDTH,
        ConfusionMatrixPlot.HEIGHT, 50);
    // The largest count's cell is the darkest blue of the range, and it is a big area.
    assertTrue(countNear(image, 0x3182BD, 2) > 10_000, "darkest cell drawn");
    assertOnlyFiles(dir, "confusion.png");
  }

  @Test
  void sameInputGivesByteIdenticalFiles() throws IOException {
    Path first = dir.resolve("first.png");
    Path second = dir.resolve("second.png");
    ConfusionMatrixPlot.write(first, COUNTS, NAMES);
    ConfusionMatrixPlot.write(second, COUNTS, NAMES);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void rowsAreTrueClassesTopDown() {
    // Only the first row's first cell is non-zero: it must be drawn in the top-left quadrant.
    int[][] counts = {{9, 0}, {0, 0}};
    BufferedImage image = ConfusionMatrixPlot.render(counts, List.of("a", "b"));
    int w = image.getWidth();
    int h = image.getHeight();
    int topLeft = countNear(image.getSubimage(0, 0, w / 2, h / 2), 0x3182BD, 2);
    int bottomLeft = countNear(image.getSubimage(0, h / 2, w / 2, h / 2), 0x3182BD, 2);
    assertTrue(topLeft > 10_000 && bottomLeft < topLeft / 10,
        "top-left " + topLeft + ", bottom-left " + bottomLeft);
  }

  @Test
  void drawsManyClassesAndLongNames() {
    int k = 40;
    int[][] counts = new int[k][k];
    for (int i = 0; i < k; i++) {
      counts[i][i] = 100 + i;
      counts[i][(i + 1) % k] = i;
    }
    List<String> names = IntStream.range(0, k).mapToObj(i -> "class number " + i)
        .collect(Collectors.toList());
    BufferedImage image = ConfusionMatrixPlot.render(counts, names);
    assertEquals(ConfusionMatrixPlot.WIDTH, image.getWidth());
    assertTrue(PngAssertions.distinctColours(image) > 50);
  }

  @Test
  void drawsASingleClass() {
    BufferedImage image = ConfusionMatrixPlot.render(new int[][] {{7}}, List.of("only"));
    assertTrue(countNear(image, 0x3182BD, 2) > 10_000);
  }

  @Test
  void rejectsANonSquareMatrix() {
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrixPlot.write(dir.resolve("x.png"), new int[][] {{1, 2}, {3, 4}},
            NAMES));
    assertEquals("counts has 2 rows but there are 4 class names: it must be 4 × 4"
        + " (rows = true class, columns = predicted class)", rows.getMessage());
    IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrixPlot.render(new int[][] {{1, 2}, {3}}, List.of("a", "b")));
    assertEquals("counts row 1 (true class 'b') has 1 columns but there are 2 class names:"
        + " it must be 2 × 2", columns.getMessage());
    assertFalse(Files.exists(dir.resolve("x.png")));
  }

  @Test
  void rejectsBadCounts() {
    assertEquals("counts[0][1] is -1 (true 'a', predicted 'b'): counts cannot be negative",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.render(
            new int[][] {{1, -1}, {0, 1}}, List.of("a", "b"))).getMessage());
    assertEquals("counts are all zero: there is nothing to plot",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.render(
            new int[][] {{0, 0}, {0, 0}}, List.of("a", "b"))).getMessage());
    assertEquals("counts row 0 (true class 'a') is null",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.render(
            new int[][] {null, {0, 0}}, List.of("a", "b"))).getMessage());
  }

  @Test
  void rejectsBadClassNames() {
    assertEquals("classNames is empty: a confusion matrix needs at least one class",
        assertThrows(IllegalArgumentException.class,
            () -> ConfusionMatrixPlot.render(new int[0][0], List.of())).getMessage());
    assertEquals("classNames[1] repeats 'a' (class 0): class names must be distinct",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.render(
            new int[][] {{1, 0}, {0, 1}}, List.of("a", "a"))).getMessage());
    assertEquals("classNames[0] is blank: ''",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.render(
            new int[][] {{1}}, List.of(""))).getMessage());
    assertEquals("classNames[1] is null",
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrixPlot.render(
            new int[][] {{1, 0}, {0, 1}}, Arrays.asList("a", null))).getMessage());
  }

  @Test
  void rejectsNullArguments() {
    assertThrows(NullPointerException.class,
        () -> ConfusionMatrixPlot.write(null, COUNTS, NAMES));
    assertThrows(NullPointerException.class,
        () -> ConfusionMatrixPlot.write(dir.resolve("x.png"), null, NAMES));
    assertThrows(NullPointerException.class,
        () -> ConfusionMatrixPlot.write(dir.resolve("x.png"), COUNTS, null));
  }
}
