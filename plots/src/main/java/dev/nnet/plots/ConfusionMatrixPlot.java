package dev.nnet.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;

/**
 * A confusion matrix as a PNG heat map: one row per true class, one column per predicted class,
 * the count printed in every cell, darker where the count is higher.
 *
 * <pre>{@code
 * ConfusionMatrixPlot.write(Path.of("target/confusion.png"),
 *     new int[][] {{50, 2, 1}, {3, 40, 5}, {0, 4, 60}},
 *     List.of("cat", "dog", "bird"));
 * }</pre>
 *
 * <p>{@code counts[t][p]} is the number of samples of true class {@code t} predicted as class
 * {@code p}, so the diagonal holds the correct predictions. Rows run top to bottom and columns
 * left to right in the order of {@code classNames}. The title gives the accuracy (the diagonal
 * over the total). Colours follow the raw counts, from white (0) to blue (the largest count);
 * there is no colour legend, as the counts are printed in the cells.
 *
 * <p>The image is {@value #WIDTH} × {@value #HEIGHT} pixels whatever the number of classes. Counts
 * are printed while the cells are big enough for them (up to about 25 classes; beyond that the
 * title gives the count of the darkest colour). Labels of the predicted axis are turned 45° when
 * they would not fit side by side.
 *
 * <p>Output is deterministic: the same input gives the same pixels, and the same PNG bytes on the
 * same JVM and fonts. The title does not depend on the default locale; the counts in the cells
 * do (XChart formats them with it), which only shows in locales with their own digits, such as
 * {@code ar-EG}. Rendering needs no display; see the package documentation.
 *
 * <p>This class has no state; all methods are static and safe to call from several threads.
 */
public final class ConfusionMatrixPlot {
  static {
    Headless.ensure();
  }

  /** Width of the image, in pixels. */
  public static final int WIDTH = 860;
  /** Height of the image, in pixels. */
  public static final int HEIGHT = 860;

  /** Smallest cell side, in pixels, at which counts are still printed. */
  private static final int MIN_CELL_FOR_COUNTS = 26;
  /**
   * White to a mid blue (ColorBrewer "Blues"), stopping short of navy so the black counts stay
   * readable on the darkest cell.
   */
  private static final Color[] RANGE = {
    new Color(0xFF, 0xFF, 0xFF),
    new Color(0xC6, 0xDB, 0xEF),
    new Color(0x6B, 0xAE, 0xD6),
    new Color(0x31, 0x82, 0xBD),
  };

  private ConfusionMatrixPlot() {}

  /**
   * Draws the confusion matrix {@code counts} and writes it to {@code png}.
   *
   * <p>The file is written atomically: the image is encoded into a temporary file in the same
   * directory, which is then renamed over {@code png}, so a reader never sees half a file. Missing
   * parent directories are created.
   *
   * @param png the file to write (conventionally ending in {@code .png}); replaced if it exists
   * @param counts {@code counts[t][p]} = samples of true class {@code t} predicted as {@code p};
   *     square, one row and one column per class
   * @param classNames the name of each class, in index order; distinct, not blank
   * @throws IllegalArgumentException if there are no classes, {@code counts} is not
   *     {@code classNames.size()} × {@code classNames.size()}, a row is null, a count is negative,
   *     every count is zero, or a class name is null, blank or repeated; nothing is written then
   * @throws NullPointerException if {@code png}, {@code counts} or {@code classNames} is null
   * @throws IOException if the file cannot be written
   */
  public static void write(Path png, int[][] counts, List<String> classNames)
      throws IOException {
    Objects.requireNonNull(png, "png");
    BufferedImage image = render(counts, classNames);
    PngFiles.writeAtomically(png, image);
  }

  /**
   * Draws the confusion matrix {@code counts} into an image, for callers that want to embed or
   * encode it themselves. {@link #write} is this plus an atomic PNG write.
   *
   * @param counts {@code counts[t][p]} = samples of true class {@code t} predicted as {@code p}
   * @param classNames the name of each class, in index order
   * @return a {@link BufferedImage#TYPE_INT_RGB} image of {@value #WIDTH} × {@value #HEIGHT}
   *     pixels
   * @throws IllegalArgumentException on bad input, as for {@link #write}
   * @throws NullPointerException if {@code counts} or {@code classNames} is null
   */
  public static BufferedImage render(int[][] counts, List<String> classNames) {
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(classNames, "classNames");
    List<String> names = checkNames(classNames);
    long[] totals = checkCounts(counts, names);
    long correct = totals[0];
    long total = totals[1];
    int k = names.size();

    // Rough plot side: the image minus the y labels and margins. It only decides whether counts
    // fit in the cells and whether the x labels must be turned.
    int plotSide = Math.min(WIDTH - 160, HEIGHT - 160);
    int cell = plotSide / k;
    boolean showCounts = cell >= MIN_CELL_FOR_COUNTS;
    int max = max(counts);
    String title = String.format(Locale.ROOT, "Confusion matrix: accuracy %.2f%% (%,d of %,d)",
        100.0 * correct / total, correct, total);
    if (!showCounts) {
      // The counts are not printed, so say what the colours mean (XChart's gradient legend
      // prints its ends as "223.0", which reads like a fraction).
      title += String.format(Locale.ROOT, "; white = 0, darkest blue = %,d", max);
    }

    HeatMapChart chart = new HeatMapChartBuilder()
        .width(WIDTH)
        .height(HEIGHT)
        .title(title)
        .xAxisTitle("predicted class")
        .yAxisTitle("true class")
        .build();
    HeatMapStyler styler = chart.getStyler();
    Style.apply(styler);
    styler.setAxisTitleFont(Style.AXIS_TITLE_FONT.deriveFont(Font.BOLD));
    styler.setAxisTickLabelsFont(Style.CLASS_FONT);
    styler.setLegendVisible(false);
    styler.setChartTitlePadding(12);
    styler.setRangeColors(RANGE);
    styler.setMin(0);
    styler.setMax(max);
    styler.setHeatMapValueDecimalPattern("0");
    styler.setPlotContentSize(1.0);
    styler.setDrawBorder(false);
    styler.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
    // XChart leaves out category labels it thinks are too close; every class must be named.
    styler.setXAxisTickMarkSpacingHint(4);
    styler.setYAxisTickMarkSpacingHint(4);
    styler.setShowValue(showCounts);
    styler.setValueFont(new Font(Style.FONT, Font.PLAIN, Math.max(10, Math.min(16, cell / 3))));
    styler.setValueFontColor(Style.TEXT);
    if (widestLabel(names) > cell - 8) {
      styler.setXAxisLabelRotation(45);
    }

    // XChart puts the first y category at the bottom; a confusion matrix reads top-down.
    List<String> rowsBottomUp = new ArrayList<>(names);
    Collections.reverse(rowsBottomUp);
    List<Number[]> cells = new ArrayList<>(k * k);
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        cells.add(new Number[] {p, k - 1 - t, counts[t][p]});
      }
    }
    chart.addSeries("counts", names, rowsBottomUp, cells);
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** Checks the class names and returns an unmodifiable copy. */
  private static List<String> checkNames(List<String> classNames) {
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("classNames is empty: a confusion matrix needs at least"
          + " one class");
    }
    Set<String> seen = new HashSet<>();
    List<String> names = new ArrayList<>(classNames.size());
    for (int i = 0; i < classNames.size(); i++) {
      String name = classNames.get(i);
      if (name == null) {
        throw new IllegalArgumentException("classNames[" + i + "] is null");
      }
      if (name.isBlank()) {
        throw new IllegalArgumentException("classNames[" + i + "] is blank: '" + name + "'");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("classNames[" + i + "] repeats '" + name
            + "' (class " + names.indexOf(name) + "): class names must be distinct");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  /** Checks the counts against the class names; returns {correct, total}. */
  private static long[] checkCounts(int[][] counts, List<String> names) {
    int k = names.size();
    if (counts.length != k) {
      throw new IllegalArgumentException("counts has " + counts.length + " rows but there are "
          + k + " class names: it must be " + k + " × " + k
          + " (rows = true class, columns = predicted class)");
    }
    long correct = 0;
    long total = 0;
    for (int t = 0; t < k; t++) {
      int[] row = counts[t];
      if (row == null) {
        throw new IllegalArgumentException("counts row " + t + " (true class '" + names.get(t)
            + "') is null");
      }
      if (row.length != k) {
        throw new IllegalArgumentException("counts row " + t + " (true class '" + names.get(t)
            + "') has " + row.length + " columns but there are " + k
            + " class names: it must be " + k + " × " + k);
      }
      for (int p = 0; p < k; p++) {
        if (row[p] < 0) {
          throw new IllegalArgumentException("counts[" + t + "][" + p + "] is " + row[p]
              + " (true '" + names.get(t) + "', predicted '" + names.get(p)
              + "'): counts cannot be negative");
        }
        total += row[p];
        if (p == t) {
          correct += row[p];
        }
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException("counts are all zero: there is nothing to plot");
    }
    return new long[] {correct, total};
  }

  private static int max(int[][] counts) {
    int max = 0;
    for (int[] row : counts) {
      for (int c : row) {
        max = Math.max(max, c);
      }
    }
    return max;
  }

  /** Width of the longest class name in the tick font, in pixels. */
  private static int widestLabel(List<String> names) {
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    try {
      Style.hints(g);
      FontMetrics metrics = g.getFontMetrics(Style.CLASS_FONT);
      int widest = 0;
      for (String name : names) {
        widest = Math.max(widest, metrics.stringWidth(name));
      }
      return widest;
    } finally {
      g.dispose();
    }
  }

}
