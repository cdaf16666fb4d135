package dev.nnet.examples.digits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spoken-digits example on the committed WAVs: held-out voices recognised, the model reloads. */
class SpokenDigitsTest {
  @Test
  void recognisesDigitsSpokenByVoicesItNeverHeard(@TempDir Path out) throws Exception {
    SpokenDigits.Result result = SpokenDigits.run(Path.of("../data/spoken-digits"), out, false);
    assertEquals(60, result.testSize(), "two voices × three speeds × ten digits");
    assertEquals(1200, result.trainSize(), "eight voices × three speeds × ten digits × (1 + 4 augmented)");
    // Chance is 0.1; measured 1.0 on this split.
    assertTrue(result.testAccuracy() >= 0.9, "test accuracy " + result.testAccuracy());
    assertEquals(result.testAccuracy(), result.reloadedAccuracy(), "the model file carries the normalize statistics");
  }

  @Test
  void featuresHaveTheDeclaredShape() throws Exception {
    var utterances = SpokenDigits.read(Path.of("../data/spoken-digits"));
    assertEquals(300, utterances.size());
    assertEquals(SpokenDigits.FRAMES * SpokenDigits.COEFFICIENTS,
        SpokenDigits.features(utterances.get(0).audio().samples()).length);
    assertEquals(new DigitNet().inputSize(), SpokenDigits.FRAMES * SpokenDigits.COEFFICIENTS);
  }
}
