package dev.nnet.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W1 on real data: the generated network must learn MNIST as well as PyTorch does. */
class MnistMlpExampleTest {

  @Test
  void trainsToTheW1AccuracyFloorAndReloadsExactly(@TempDir Path dir) throws Exception {
    MnistMlpExample.Result result =
        MnistMlpExample.run(Path.of("../data"), dir.resolve("mnist.safetensors"), false);
    // PyTorch reaches 0.9435 with the same network, split and settings.
    assertTrue(result.testAccuracy() >= 0.94, "test accuracy " + result.testAccuracy());
    assertTrue(result.reloadIdentical(), "reloaded model predicts differently");
  }

  @Test
  void generatedConstantsDescribeTheDeclaredShapes() {
    assertEquals(784, MnistMlp.INPUT_SIZE);
    assertEquals(10, MnistMlp.OUTPUT_SIZE);
    assertEquals(784 * 128 + 128 + 128 * 10 + 10, MnistMlp.PARAMETER_COUNT);
    assertEquals(32, MnistMlp.DEFAULT_BATCH_CAPACITY);
  }
}
