package dev.nnet.examples.iris;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotation-declared iris network on real data: the held-out 30 % must be classified well. */
class IrisAnnotatedExampleTest {

  @Test
  void learnsIrisToTheAccuracyFloorAndReloadsExactly(@TempDir Path dir) throws Exception {
    IrisAnnotated.Result result = IrisAnnotated.run(Path.of("../data"), dir.resolve("iris.safetensors"), false);
    assertEquals(105, result.trainSize());
    assertEquals(45, result.testSize());
    assertTrue(result.testAccuracy() >= 0.93, "test accuracy " + result.testAccuracy());
    assertTrue(result.reloadIdentical(), "reloaded model predicts differently");
  }

  @Test
  void theSplitIsStratifiedAndDisjoint() throws Exception {
    Dataset all = IrisAnnotated.readIris(Path.of("../data/iris.csv"));
    Dataset[] split = IrisAnnotated.stratifiedSplit(all, 0.3, 7);
    int[] testPerClass = new int[3];
    for (float t : split[1].targets()) {
      testPerClass[(int) t]++;
    }
    // 50 flowers per species: 15 of each held out.
    assertEquals(15, testPerClass[0]);
    assertEquals(15, testPerClass[1]);
    assertEquals(15, testPerClass[2]);
    // Every flower lands in exactly one part: the rows of both parts are the rows of the data.
    assertEquals(rows(all), rows(Dataset.of(concat(split[0].features(), split[1].features()), 4,
        concat(split[0].targets(), split[1].targets()), 1)));
  }

  private static java.util.List<String> rows(Dataset data) {
    java.util.List<String> rows = new java.util.ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      rows.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(data.features(), i * 4, i * 4 + 4))
          + data.targets()[i]);
    }
    java.util.Collections.sort(rows);
    return rows;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void theGeneratedClassHasTheDeclaredShape() {
    assertEquals(4, IrisNetModel.INPUT_SIZE);
    assertEquals(3, IrisNetModel.OUTPUT_SIZE);
    assertEquals(4 * 16 + 16 + 16 * 3 + 3, IrisNetModel.PARAMETER_COUNT);
    assertEquals(16, IrisNetModel.DEFAULT_BATCH_CAPACITY);
  }
}
