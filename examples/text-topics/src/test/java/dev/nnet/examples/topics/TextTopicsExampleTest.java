package dev.nnet.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedding + LSTM on real texts: well above always guessing the most frequent topic. */
class TextTopicsExampleTest {

  @Test
  void beatsTheMajorityClassClearlyAndReloadsExactly(@TempDir Path dir) throws Exception {
    TextTopicsExample.Result result =
        TextTopicsExample.run(Path.of("../data"), dir.resolve("topics.safetensors"), false);
    assertTrue(result.testAccuracy() >= result.majorityAccuracy() + 0.15,
        "test accuracy " + result.testAccuracy() + " against the majority's " + result.majorityAccuracy());
    assertTrue(result.reloadIdentical(), "the reloaded model predicts differently on raw texts");
  }

  @Test
  void aTokenIdOutsideTheVocabularyIsAClearError() {
    TextTopics net = new TextTopics();
    float[] words = new float[TextTopics.INPUT_SIZE];
    words[47] = TextTopics.VECTORS_VOCABULARY;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.predict(words, 0, new float[TextTopics.OUTPUT_SIZE], 0));
    assertEquals("embedding 'vectors': token id 5000.0 at step 47 of batch row 0 is not an integer from 0 to 4999"
        + " (input_dim 5000)", e.getMessage());
    words[47] = 2.5f;
    assertThrows(IllegalArgumentException.class, () -> net.predict(words, 0, new float[TextTopics.OUTPUT_SIZE], 0));
  }
}
