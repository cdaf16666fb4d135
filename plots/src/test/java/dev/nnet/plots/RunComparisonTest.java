package dev.nnet.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunComparisonTest {
  @Test
  void oneChartPerQuantityWithALinePerRun() {
    Map<String, Map<String, double[]>> runs = new LinkedHashMap<>();
    runs.put("plain", new LinkedHashMap<>(Map.of("loss", new double[] {2.3, 2.3, 2.3})));
    runs.get("plain").put("accuracy", new double[] {0.1, 0.1, 0.1});
    runs.put("residual", new LinkedHashMap<>(Map.of("loss", new double[] {1.9, 1.1, 0.8})));
    runs.get("residual").put("accuracy", new double[] {0.4, 0.7, 0.8});
    BufferedImage image = RunComparison.render("title", runs);
    assertEquals(TrainingCurves.WIDTH, image.getWidth());
    assertEquals(TrainingCurves.TITLE_HEIGHT + 2 * TrainingCurves.CHART_HEIGHT, image.getHeight());
    // Both colours are drawn: one line per run.
    boolean first = false;
    boolean second = false;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        first |= rgb == (Style.TRAIN.getRGB() & 0xFFFFFF);
        second |= rgb == (Style.VALIDATION.getRGB() & 0xFFFFFF);
      }
    }
    assertTrue(first && second, "both runs drawn");
  }

  @Test
  void aRunWithoutAQuantityIsRefusedByName() {
    Map<String, Map<String, double[]>> runs = new LinkedHashMap<>();
    runs.put("a", Map.of("loss", new double[] {1, 0.5}));
    runs.put("b", Map.of("accuracy", new double[] {0.5, 0.6}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunComparison.render("", runs));
    assertTrue(e.getMessage().contains("run 'b' has no values for 'loss'"), e.getMessage());
  }
}
