package dev.nnet.examples.wine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning example on the real wine data: a sound choice, a good test score, the plots. */
class WineCrossValidationTest {

  @Test
  void choosesAHiddenSizeAndClassifiesHeldOutWines(@TempDir Path out) throws Exception {
    WineCrossValidation.Result result = WineCrossValidation.run(Path.of("../data"), out, false);
    assertEquals(4, result.search().rows().size());
    for (var row : result.search().rows()) {
      assertEquals(5, row.result().folds(), row.candidate());
    }
    // Scaled wine data is nearly separable: linear models reach about 0.97 in the literature.
    assertTrue(result.search().best().result().mean() >= 0.93, result.search().toString());
    assertTrue(result.testAccuracy() >= 0.9, "test accuracy " + result.testAccuracy());
    assertTrue(Files.size(out.resolve("wine-training.png")) > 10_000);
    assertTrue(Files.size(out.resolve("wine-confusion.png")) > 10_000);
  }

  @Test
  void readsTheShippedFileAndRejectsBrokenOnes(@TempDir Path dir) throws Exception {
    WineData.Labelled wine = WineData.read(Path.of("../data/wine_data.csv"));
    assertEquals(178, wine.data().size());
    assertEquals(13, wine.data().featureWidth());
    assertEquals(3, wine.classNames().size());
    Path broken = dir.resolve("broken.csv");
    Files.writeString(broken, "2,2,a,b\n1,2,0\n1,x,1\n");
    var error = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> WineData.read(broken));
    assertTrue(error.getMessage().contains("broken.csv:3: not a number"), error.getMessage());
  }
}
