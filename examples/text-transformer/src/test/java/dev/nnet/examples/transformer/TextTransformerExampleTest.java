package dev.nnet.examples.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transformer encoder on real texts: well above always guessing the most frequent topic. */
class TextTransformerExampleTest {

  @Test
  void beatsTheMajorityClassClearlyAndReloadsExactly(@TempDir Path dir) throws Exception {
    TextTransformerExample.Result result =
        TextTransformerExample.run(Path.of("../data"), dir.resolve("transformer.safetensors"), false);
    assertTrue(result.testAccuracy() >= result.majorityAccuracy() + 0.15,
        "test accuracy " + result.testAccuracy() + " against the majority's " + result.majorityAccuracy());
    assertTrue(result.reloadIdentical(), "the reloaded model and pipeline predict differently");
  }
}
