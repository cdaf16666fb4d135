package dev.nnet.plots;

import static dev.nnet.plots.PngAssertions.assertOnlyFiles;
import static dev.nnet.plots.PngAssertions.assertPicture;
import static dev.nnet.plots.PngAssertions.countNear;
import static dev.nnet.plots.PngAssertions.pixels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {
  @TempDir Path dir;

  /** Five epochs of a typical run: loss falls, accuracy rises, one validation epoch missing. */
  static Map<String, double[]> history() {
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("loss", new double[] {0.62, 0.31, 0.22, 0.17, 0.14});
    series.put("val_loss", new double[] {0.35, 0.27, Double.NaN, 0.21, 0.20});
    series.put("accuracy", new double[] {0.83, 0.91, 0.94, 0.95, 0.96});
    series.put("val_accuracy", new double[] {0.90, 0.92, Double.NaN, 0.94, 0.94});
    return series;
  }

  @Test
  void writesOneChartPerFamilyStackedUnderTheTitle() throws IOException {
    Path png = dir.resolve("curves.png");
    TrainingCurves.write(png, "SoftmaxRegression on toy data", history());

    // Title band + two charts (loss, accuracy), 900 px wide.
    int height = TrainingCurves.TITLE_HEIGHT + 2 * TrainingCurves.CHART_HEIGHT;
    BufferedImage image = assertPicture(png, TrainingCurves.WIDTH, height, 50);
    // Both curve colours are drawn: training blue and validation orange.
    assertTrue(countNear(image, 0x1F77B4, 8) > 200, "training curves (blue) drawn");
    assertTrue(countNear(image, 0xFF7F0E, 8) > 100, "validation curves (orange) drawn");
    // Each chart's own area holds both colours: the pairs really share a chart.
    for (int chart = 0; chart < 2; chart++) {
      BufferedImage part = image.getSubimage(0,
          TrainingCurves.TITLE_HEIGHT + chart * TrainingCurves.CHART_HEIGHT,
          TrainingCurves.WIDTH, TrainingCurves.CHART_HEIGHT);
      assertTrue(countNear(part, 0x1F77B4, 8) > 100, "chart " + chart + " has a training curve");
      assertTrue(countNear(part, 0xFF7F0E, 8) > 50, "chart " + chart + " has a validation curve");
    }
    assertOnlyFiles(dir, "curves.png");
  }

  @Test
  void rendersHeadless() throws IOException {
    TrainingCurves.write(dir.resolve("curves.png"), "t", history());
    assertEquals("true", System.getProperty("java.awt.headless"));
    assertTrue(GraphicsEnvironment.isHeadless());
  }

  @Test
  void sameInputGivesByteIdenticalFiles() throws IOException {
    Path first = dir.resolve("first.png");
    Path second = dir.resolve("second.png");
    TrainingCurves.write(first, "run", history());
    TrainingCurves.write(second, "run", history());
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
  }

  @Test
  void mapOrderDoesNotMatter() {
    Map<String, double[]> reversed = new LinkedHashMap<>();
    new TreeMap<>(history()).descendingMap().forEach(reversed::put);
    Map<String, double[]> hashed = new HashMap<>(history());
    int[] expected = pixels(TrainingCurves.render("run", history()));
    assertArrayEquals(expected, pixels(TrainingCurves.render("run", reversed)));
    assertArrayEquals(expected, pixels(TrainingCurves.render("run", hashed)));
  }

  @Test
  void replacesAnExistingFileAndCreatesDirectories() throws IOException {
    Path png = dir.resolve("a/b/curves.png");
    TrainingCurves.write(png, "", Map.of("loss", new double[] {3, 2, 1}));
    assertPicture(png, TrainingCurves.WIDTH, TrainingCurves.CHART_HEIGHT, 20);
    TrainingCurves.write(png, "now with a title", history());
    assertPicture(png, TrainingCurves.WIDTH,
        TrainingCurves.TITLE_HEIGHT + 2 * TrainingCurves.CHART_HEIGHT, 50);
    assertOnlyFiles(dir.resolve("a/b"), "curves.png");
  }

  @Test
  void familiesAreLossFirstThenAlphabetical() {
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("accuracy", new double[] {0.5, 0.6});
    series.put("val_top5", new double[] {0.7, 0.8}); // validation only: still its own chart
    series.put("loss", new double[] {1.0, 0.5});
    BufferedImage image = TrainingCurves.render("", series);
    assertEquals(3 * TrainingCurves.CHART_HEIGHT, image.getHeight());
    // The top5 chart (last) has only the orange validation colour; loss (first) only blue.
    BufferedImage loss = image.getSubimage(0, 0, TrainingCurves.WIDTH,
        TrainingCurves.CHART_HEIGHT);
    BufferedImage top5 = image.getSubimage(0, 2 * TrainingCurves.CHART_HEIGHT,
        TrainingCurves.WIDTH, TrainingCurves.CHART_HEIGHT);
    assertTrue(countNear(loss, 0x1F77B4, 8) > 100);
    assertEquals(0, countNear(loss, 0xFF7F0E, 8));
    assertTrue(countNear(top5, 0xFF7F0E, 8) > 50);
    assertEquals(0, countNear(top5, 0x1F77B4, 8));
  }

  @Test
  void singleEpochAndSparseSeriesStillDraw() {
    BufferedImage one = TrainingCurves.render("one epoch", Map.of("loss", new double[] {0.7}));
    assertTrue(countNear(one, 0x1F77B4, 8) > 10, "the single point is drawn as a marker");
    BufferedImage sparse = TrainingCurves.render("sparse", Map.of(
        "loss", new double[] {1, 0.8, 0.6, 0.5, 0.45, 0.4},
        "val_loss", new double[] {Double.NaN, Double.NaN, 0.7, Double.NaN, Double.NaN, 0.5}));
    assertTrue(countNear(sparse, 0xFF7F0E, 8) > 50);
  }

  @Test
  void drawsLongRuns() {
    double[] loss = new double[1000];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = 1.0 / (i + 1);
    }
    BufferedImage image = TrainingCurves.render("1000 epochs", Map.of("loss", loss));
    assertEquals(TrainingCurves.TITLE_HEIGHT + TrainingCurves.CHART_HEIGHT, image.getHeight());
    assertTrue(countNear(image, 0x1F77B4, 8) > 300);
  }

  @Test
  void rejectsSeriesOfDifferentLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.write(dir.resolve("x.png"), "t", Map.of(
            "loss", new double[] {1, 2, 3},
            "val_loss", new double[] {1, 2})));
    assertEquals("series must all have one value per epoch, but their lengths differ:"
        + " loss has 3, val_loss has 2", e.getMessage());
    assertFalse(Files.exists(dir.resolve("x.png")));
  }

  @Test
  void rejectsNanOnlySeries() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.render("t", Map.of(
            "loss", new double[] {1, 2},
            "val_loss", new double[] {Double.NaN, Double.NaN})));
    assertEquals("series 'val_loss' is NaN at all 2 epochs, so it has nothing to plot;"
        + " leave it out of the map", e.getMessage());
  }

  @Test
  void rejectsInfiniteValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.render("t", Map.of("loss", new double[] {1, Double.POSITIVE_INFINITY})));
    assertEquals("series 'loss' is Infinity at epoch 2: only finite numbers can be plotted"
        + " (NaN marks a missing epoch)", e.getMessage());
  }

  @Test
  void rejectsEmptyInput() {
    assertEquals("series is empty: there is nothing to plot",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingCurves.render("t", Map.of())).getMessage());
    assertEquals("series have no values (0 epochs): there is nothing to plot",
        assertThrows(IllegalArgumentException.class,
            () -> TrainingCurves.render("t", Map.of("loss", new double[0]))).getMessage());
  }

  @Test
  void rejectsBadNames() {
    Map<String, double[]> nullName = new HashMap<>();
    nullName.put(null, new double[] {1});
    assertEquals("series has a null name", assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.render("t", nullName)).getMessage());
    assertEquals("series has a blank name: ' '", assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.render("t", Map.of(" ", new double[] {1}))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.render("t", Map.of("val_", new double[] {1}))).getMessage()
        .startsWith("series name 'val_' names no quantity"));
    Map<String, double[]> nullSeries = new HashMap<>();
    nullSeries.put("loss", null);
    assertEquals("series 'loss' is null", assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.render("t", nullSeries)).getMessage());
  }

  @Test
  void rejectsNullArguments() {
    assertThrows(NullPointerException.class,
        () -> TrainingCurves.write(null, "t", history()));
    assertThrows(NullPointerException.class,
        () -> TrainingCurves.write(dir.resolve("x.png"), null, history()));
    assertThrows(NullPointerException.class,
        () -> TrainingCurves.write(dir.resolve("x.png"), "t", null));
  }

  @Test
  void rejectsADirectoryAsTarget() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingCurves.write(dir, "t", history()));
    assertTrue(e.getMessage().startsWith("png names a directory, not a file: "), e.getMessage());
  }

  @Test
  void longTitlesAreShrunkNotClipped() {
    String title = "a very long title ".repeat(20);
    BufferedImage image = TrainingCurves.render(title, history());
    assertEquals(TrainingCurves.WIDTH, image.getWidth());
  }
}
