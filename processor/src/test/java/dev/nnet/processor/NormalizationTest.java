package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import org.junit.jupiter.api.Test;

/** Batch normalisation's two behaviours: batch statistics in training, running ones in inference. */
class NormalizationTest {

  private static Network load(double momentum) {
    ClassLoader loader = GeneratedCode.compileAndLoad(GeneratedCode.generate("bn.nnet", """
        network Bn {
          input x: float[3]
          n = batch_norm(x, momentum: %s)
          output y = dense(n, units: 2)
          train { loss: mse  batch: 4 }
        }
        """.formatted(momentum), "gen", false));
    try {
      return (Network) loader.loadClass("gen.Bn").getConstructor(int.class).newInstance(4);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static final float[] BATCH = {5, 1, -2, 7, 0, -1, 6, 2, -3, 2, 1, 0};
  private static final float[] TARGETS = new float[8];

  @Test
  void runningStatisticsStartNeutralAndFollowTheBatches() {
    Network net = load(0.0);
    assertEquals(6, net.state().length);
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, net.state(), "mean 0, variance 1 before training");
    assertEquals("n.running_mean", net.stateTensors().get(0).name());
    net.computeGradients(BATCH, 0, TARGETS, 0, 4);
    // With momentum 0 the running statistics are the last batch's: column means 5, 1, -1.5.
    assertEquals(5f, net.state()[0], 1e-6f);
    assertEquals(1f, net.state()[1], 1e-6f);
    assertEquals(-1.5f, net.state()[2], 1e-6f);
    assertEquals(3.5f, net.state()[3], 1e-5f, "population variance of 5, 7, 6, 2");
  }

  @Test
  void inferenceWithTheBatchsOwnStatisticsReproducesTrainingOutputs() {
    Network net = load(0.0);
    net.computeGradients(BATCH, 0, TARGETS, 0, 4);
    float[] training = java.util.Arrays.copyOf(net.trainingOutputs(), 8);
    float[] inference = new float[8];
    net.predictBatch(BATCH, 0, inference, 0, 4);
    assertArrayEquals(training, inference, 1e-5f);

    Network slow = load(0.99);
    slow.computeGradients(BATCH, 0, TARGETS, 0, 4);
    float[] early = new float[8];
    slow.predictBatch(BATCH, 0, early, 0, 4);
    float difference = 0;
    for (int k = 0; k < 8; k++) {
      difference = Math.max(difference, Math.abs(early[k] - slow.trainingOutputs()[k]));
    }
    assertTrue(difference > 0.1f, "with momentum 0.99 inference still uses nearly neutral statistics");
  }

  /** The running statistics travel in the model file: a reloaded network predicts the same. */
  @Test
  void runningStatisticsAreSavedWithTheModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    Network trained = load(0.5);
    trained.computeGradients(BATCH, 0, TARGETS, 0, 4);
    java.nio.file.Path file = dir.resolve("bn.safetensors");
    dev.nnet.runtime.io.ModelFile.save(trained, file);
    Network reloaded = load(0.5);
    dev.nnet.runtime.io.ModelFile.load(reloaded, file);
    assertArrayEquals(trained.state(), reloaded.state());
    float[] a = new float[8];
    float[] b = new float[8];
    trained.predictBatch(BATCH, 0, a, 0, 4);
    reloaded.predictBatch(BATCH, 0, b, 0, 4);
    assertArrayEquals(a, b);
  }
}
