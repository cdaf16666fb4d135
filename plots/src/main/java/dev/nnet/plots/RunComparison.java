package dev.nnet.plots;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Several training runs compared in one PNG: one chart per quantity (such as "loss" or
 * "val_accuracy"), with one line per run, so two networks trained alike can be seen side by side
 * on the same axes. {@link TrainingCurves} draws one run.
 *
 * <pre>{@code
 * RunComparison.write(png, "plain vs residual", Map.of(
 *     "plain", Map.of("loss", plainLosses, "val_accuracy", plainAccuracies),
 *     "residual", Map.of("loss", residualLosses, "val_accuracy", residualAccuracies)));
 * }</pre>
 *
 * <p>Pass ordered maps ({@code LinkedHashMap}) to fix the order of the charts and the lines.
 */
public final class RunComparison {
  static {
    Headless.ensure();
  }

  private RunComparison() {}

  /**
   * Writes the charts, one per quantity of the first run, in its order, each {@value
   * TrainingCurves#WIDTH} pixels wide.
   *
   * @throws IllegalArgumentException if there are no runs, a run lacks a quantity of the first
   *     run, or a series is empty or not finite
   * @throws IOException if the file cannot be written
   */
  public static void write(Path png, String title, Map<String, Map<String, double[]>> runs) throws IOException {
    Objects.requireNonNull(png, "png");
    PngFiles.writeAtomically(png, render(title, runs));
  }

  /** The picture {@link #write} writes. */
  public static BufferedImage render(String title, Map<String, Map<String, double[]>> runs) {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(runs, "runs");
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("runs is empty: there is nothing to compare");
    }
    List<String> quantities = new ArrayList<>(runs.values().iterator().next().keySet());
    List<XYChart> charts = new ArrayList<>();
    for (String quantity : quantities) {
      XYChart chart = new XYChartBuilder().width(TrainingCurves.WIDTH).height(TrainingCurves.CHART_HEIGHT)
          .title(quantity).xAxisTitle("epoch").yAxisTitle(quantity).build();
      XYStyler styler = chart.getStyler();
      Style.apply(styler);
      styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      styler.setAxisTitleFont(Style.AXIS_TITLE_FONT);
      styler.setAxisTickLabelsFont(Style.TICK_FONT);
      styler.setPlotGridLinesColor(Style.GRID);
      styler.setLegendPosition(Styler.LegendPosition.OutsideS);
      styler.setLegendLayout(Styler.LegendLayout.Horizontal);
      styler.setYAxisLeftWidthHint(80);
      int colour = 0;
      for (Map.Entry<String, Map<String, double[]>> run : runs.entrySet()) {
        double[] values = run.getValue().get(quantity);
        if (values == null || values.length == 0) {
          throw new IllegalArgumentException("run '" + run.getKey() + "' has no values for '" + quantity + "'");
        }
        double[] epochs = new double[values.length];
        for (int e = 0; e < values.length; e++) {
          if (!Double.isFinite(values[e])) {
            throw new IllegalArgumentException("run '" + run.getKey() + "', '" + quantity + "' is not finite at epoch "
                + (e + 1) + ": " + values[e]);
          }
          epochs[e] = e + 1;
        }
        XYSeries series = chart.addSeries(run.getKey(), epochs, values);
        java.awt.Color color = colour++ % 2 == 0 ? Style.TRAIN : Style.VALIDATION;
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
      }
      charts.add(chart);
    }
    int titleHeight = title.isEmpty() ? 0 : TrainingCurves.TITLE_HEIGHT;
    BufferedImage image = new BufferedImage(TrainingCurves.WIDTH,
        titleHeight + charts.size() * TrainingCurves.CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      Style.hints(g);
      g.setColor(Style.BACKGROUND);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      if (titleHeight > 0) {
        Style.centredTitle(g, title, 0, TrainingCurves.WIDTH, titleHeight);
      }
      int top = titleHeight;
      for (XYChart chart : charts) {
        g.drawImage(BitmapEncoder.getBufferedImage(chart), 0, top, null);
        top += TrainingCurves.CHART_HEIGHT;
      }
    } finally {
      g.dispose();
    }
    return image;
  }
}
