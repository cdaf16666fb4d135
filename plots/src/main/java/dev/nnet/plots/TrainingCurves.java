package dev.nnet.plots;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves — one value per epoch for each named quantity — as one PNG.
 *
 * <p>The input is plain data, a map from quantity name to its per-epoch values, so it works with
 * any trainer. Names follow the Keras convention: {@code "x"} is measured on the training set and
 * {@code "val_x"} on the validation set. Each quantity family gets its own chart, with the
 * training and validation curves drawn together:
 *
 * <pre>{@code
 * TrainingCurves.write(Path.of("target/mnist-curves.png"), "MnistMlp on MNIST", Map.of(
 *     "loss", new double[] {0.41, 0.19, 0.14, 0.11, 0.09},
 *     "val_loss", new double[] {0.23, 0.18, 0.16, 0.15, 0.15},
 *     "accuracy", new double[] {0.88, 0.94, 0.96, 0.97, 0.97},
 *     "val_accuracy", new double[] {0.93, 0.95, 0.95, 0.96, 0.96}));
 * }</pre>
 *
 * <p>writes one {@value #WIDTH}-pixel-wide image: the title, then a "loss" chart (loss and
 * val_loss against epoch), then an "accuracy" chart. The "loss" family comes first, the others
 * follow in alphabetical order, so the picture does not depend on the map's iteration order.
 * The x axis is the epoch, counted from 1. NaN values (an epoch without that measurement) are
 * skipped: the curve joins the epochs on either side.
 *
 * <p>Output is deterministic: the same input gives the same pixels, and the same PNG bytes on the
 * same JVM and fonts. Rendering needs no display; see the package documentation.
 *
 * <p>This class has no state; all methods are static and safe to call from several threads.
 */
public final class TrainingCurves {
  static {
    Headless.ensure();
  }

  /** Width of the image, in pixels. */
  public static final int WIDTH = 900;
  /** Height of each chart (one per quantity family), in pixels. */
  public static final int CHART_HEIGHT = 320;
  /** Height of the title band at the top, in pixels; there is none when the title is empty. */
  public static final int TITLE_HEIGHT = 40;

  /** The prefix that marks a validation series. */
  private static final String VALIDATION_PREFIX = "val_";
  /** Curves with more points than this are drawn as plain lines, without a marker per epoch. */
  private static final int MAX_MARKED_POINTS = 60;
  /** The family drawn first: the one everybody looks at. */
  private static final String LOSS = "loss";

  private TrainingCurves() {}

  /**
   * Draws the training curves of {@code series} and writes them to {@code png}.
   *
   * <p>The file is written atomically: the image is encoded into a temporary file in the same
   * directory, which is then renamed over {@code png}, so a reader never sees half a file. Missing
   * parent directories are created.
   *
   * @param png the file to write (conventionally ending in {@code .png}); replaced if it exists
   * @param title the heading above the charts, for example the network and data set; empty for
   *     none
   * @param series per-epoch values by name, all of the same length (the number of epochs); names
   *     {@code "x"} and {@code "val_x"} share a chart
   * @throws IllegalArgumentException if {@code series} is empty, the series differ in length, a
   *     series is empty or null, has no value that is not NaN, or holds an infinite value, or a
   *     name is null, blank or just {@code "val_"}; nothing is written then
   * @throws NullPointerException if {@code png}, {@code title} or {@code series} is null
   * @throws IOException if the file cannot be written
   */
  public static void write(Path png, String title, Map<String, double[]> series)
      throws IOException {
    Objects.requireNonNull(png, "png");
    BufferedImage image = render(title, series);
    PngFiles.writeAtomically(png, image);
  }

  /**
   * Draws the training curves of {@code series} into an image, for callers that want to embed or
   * encode it themselves. {@link #write} is this plus an atomic PNG write.
   *
   * @param title the heading above the charts; empty for none
   * @param series per-epoch values by name, as for {@link #write}
   * @return a {@link BufferedImage#TYPE_INT_RGB} image {@value #WIDTH} pixels wide and
   *     {@code TITLE_HEIGHT + families × CHART_HEIGHT} high ({@code families × CHART_HEIGHT}
   *     when the title is empty)
   * @throws IllegalArgumentException on bad input, as for {@link #write}
   * @throws NullPointerException if {@code title} or {@code series} is null
   */
  public static BufferedImage render(String title, Map<String, double[]> series) {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(series, "series");
    List<Family> families = families(series);

    int titleHeight = title.isEmpty() ? 0 : TITLE_HEIGHT;
    BufferedImage image = new BufferedImage(WIDTH, titleHeight + families.size() * CHART_HEIGHT,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      Style.hints(g);
      g.setColor(Style.BACKGROUND);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      if (titleHeight > 0) {
        Style.centredTitle(g, title, 0, WIDTH, titleHeight);
      }
      int top = titleHeight;
      for (Family family : families) {
        g.drawImage(BitmapEncoder.getBufferedImage(chart(family)), 0, top, null);
        top += CHART_HEIGHT;
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * A chart's worth of series: the training one (if any) first, then the validation one, over
   * {@code epochs} epochs (the same for every chart, so their x axes line up).
   */
  private record Family(String name, int epochs, List<Curve> curves) {}

  /** One named series, with its NaN epochs left out. */
  private record Curve(String name, boolean validation, double[] epochs, double[] values) {}

  /** Checks the input and groups it into families, loss first and the rest by name. */
  private static List<Family> families(Map<String, double[]> series) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("series is empty: there is nothing to plot");
    }
    // Sorted by name, so everything below (messages included) is independent of map order.
    TreeMap<String, double[]> sorted = new TreeMap<>();
    for (Map.Entry<String, double[]> entry : series.entrySet()) {
      String name = entry.getKey();
      if (name == null) {
        throw new IllegalArgumentException("series has a null name");
      }
      if (name.isBlank()) {
        throw new IllegalArgumentException("series has a blank name: '" + name + "'");
      }
      if (name.equals(VALIDATION_PREFIX)) {
        throw new IllegalArgumentException(
            "series name 'val_' names no quantity: use 'val_' + the training series' name, "
                + "as in 'val_loss'");
      }
      if (entry.getValue() == null) {
        throw new IllegalArgumentException("series '" + name + "' is null");
      }
      sorted.put(name, entry.getValue());
    }

    int epochs = sorted.firstEntry().getValue().length;
    for (double[] values : sorted.values()) {
      if (values.length != epochs) {
        throw new IllegalArgumentException(
            "series must all have one value per epoch, but their lengths differ: "
                + sorted.entrySet().stream()
                    .map(e -> e.getKey() + " has " + e.getValue().length)
                    .collect(Collectors.joining(", ")));
      }
    }
    if (epochs == 0) {
      throw new IllegalArgumentException(
          "series have no values (0 epochs): there is nothing to plot");
    }

    TreeMap<String, List<Curve>> byFamily = new TreeMap<>();
    for (Map.Entry<String, double[]> entry : sorted.entrySet()) {
      String name = entry.getKey();
      boolean validation = name.startsWith(VALIDATION_PREFIX);
      String family = validation ? name.substring(VALIDATION_PREFIX.length()) : name;
      byFamily.computeIfAbsent(family, f -> new ArrayList<>()).add(curve(name, validation,
          entry.getValue()));
    }

    List<Family> families = new ArrayList<>();
    List<Curve> loss = byFamily.remove(LOSS);
    if (loss != null) {
      families.add(family(LOSS, epochs, loss));
    }
    byFamily.forEach((name, curves) -> families.add(family(name, epochs, curves)));
    return families;
  }

  private static Family family(String name, int epochs, List<Curve> curves) {
    List<Curve> ordered = new ArrayList<>(curves);
    ordered.sort((a, b) -> Boolean.compare(a.validation(), b.validation()));
    return new Family(name, epochs, List.copyOf(ordered));
  }

  /** Checks one series and keeps its non-NaN points, with 1-based epoch numbers. */
  private static Curve curve(String name, boolean validation, double[] values) {
    double[] xs = new double[values.length];
    double[] ys = new double[values.length];
    int kept = 0;
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (Double.isNaN(v)) {
        continue;
      }
      if (Double.isInfinite(v)) {
        throw new IllegalArgumentException("series '" + name + "' is " + v + " at epoch "
            + (i + 1) + ": only finite numbers can be plotted (NaN marks a missing epoch)");
      }
      xs[kept] = i + 1;
      ys[kept] = v;
      kept++;
    }
    if (kept == 0) {
      throw new IllegalArgumentException("series '" + name + "' is NaN at all " + values.length
          + " epochs, so it has nothing to plot; leave it out of the map");
    }
    return new Curve(name, validation, Arrays.copyOf(xs, kept), Arrays.copyOf(ys, kept));
  }

  /** One XChart line chart: a family's curves against the epoch. */
  private static XYChart chart(Family family) {
    XYChart chart = new XYChartBuilder()
        .width(WIDTH)
        .height(CHART_HEIGHT)
        .title(family.name())
        .xAxisTitle("epoch")
        .yAxisTitle(family.name())
        .build();
    XYStyler styler = chart.getStyler();
    Style.apply(styler);
    styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    styler.setAxisTitleFont(Style.AXIS_TITLE_FONT);
    styler.setAxisTickLabelsFont(Style.TICK_FONT);
    styler.setPlotGridLinesColor(Style.GRID);
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setMarkerSize(6);
    // The same room for y tick labels in every chart, so the stacked plots line up.
    styler.setYAxisLeftWidthHint(80);

    // Epochs are whole numbers: label only whole ticks, and centre a one-epoch run in 0..2 (a
    // narrower range gets no whole tick at all).
    styler.setXAxisMin(family.epochs() > 1 ? 1.0 : 0.0);
    styler.setXAxisMax(family.epochs() > 1 ? family.epochs() : 2.0);
    styler.setXAxisTickLabelsFormattingFunction(TrainingCurves::epochLabel);
    // Few epochs get ticks at half epochs too; a grid line there, unlabelled, is only noise.
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setYAxisTickLabelsFormattingFunction(TrainingCurves::valueLabel);

    for (Curve curve : family.curves()) {
      XYSeries s = chart.addSeries(curve.name(), curve.epochs(), curve.values());
      s.setLineColor(curve.validation() ? Style.VALIDATION : Style.TRAIN);
      s.setMarkerColor(curve.validation() ? Style.VALIDATION : Style.TRAIN);
      s.setLineStyle(curve.validation() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
      if (curve.epochs().length > MAX_MARKED_POINTS) {
        s.setMarker(SeriesMarkers.NONE);
      } else {
        s.setMarker(curve.validation() ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
      }
    }
    // When an axis's values are evenly spaced (one per epoch; or just two distinct losses),
    // XChart puts ticks on every k-th value counted from the first: epochs 1, 4, 7, ... for 100
    // epochs, or only the two losses themselves. One invisible point off both grids makes it
    // choose round ticks (10, 20, ...) instead. It lies inside the data's ranges, so it changes
    // neither axis, and it is kept out of the legend.
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (Curve curve : family.curves()) {
      for (double v : curve.values()) {
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
    }
    XYSeries spacer = chart.addSeries(" ", new double[] {1.5},
        new double[] {low + (high - low) / 3});
    spacer.setMarker(SeriesMarkers.NONE);
    spacer.setLineStyle(SeriesLines.NONE);
    spacer.setShowInLegend(false);
    return chart;
  }

  /**
   * Tick values as people write them: "0.001" rather than ".001", "0.3" rather than
   * "0.30000000000000004", "1e-06" for the very small and very large.
   */
  private static String valueLabel(double tick) {
    if (tick == 0 || !Double.isFinite(tick)) {
      return tick == 0 ? "0" : Double.toString(tick);
    }
    double magnitude = Math.abs(tick);
    if (magnitude >= 1e-4 && magnitude < 1e7) {
      return new BigDecimal(tick).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.3g", tick);
  }

  /** "3" for 3.0, nothing for 2.5: there is no half epoch. */
  private static String epochLabel(double tick) {
    double whole = Math.rint(tick);
    return Math.abs(tick - whole) < 1e-9 ? Long.toString((long) whole) : "";
  }
}
