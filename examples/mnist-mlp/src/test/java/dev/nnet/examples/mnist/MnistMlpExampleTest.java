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

  /** With the Vector API kernels, once C2 has compiled them: nothing allocated per step. */
  @Test
  void aTrainingStepAndAPredictionAllocateNothingAfterWarmUp() {
    assertTrue(MnistMlp.VECTOR, "tests run with --add-modules jdk.incubator.vector");
    MnistMlp net = new MnistMlp();
    float[] x = new float[32 * MnistMlp.INPUT_SIZE];
    float[] t = new float[32 * MnistMlp.OUTPUT_SIZE];
    float[] y = new float[32 * MnistMlp.OUTPUT_SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 255) / 255f;
    }
    for (int b = 0; b < 32; b++) {
      t[b * MnistMlp.OUTPUT_SIZE + b % 10] = 1;
    }
    dev.nnet.runtime.optim.Adam adam = new dev.nnet.runtime.optim.Adam(1e-3);
    dev.nnet.runtime.optim.OptimizerState state = adam.newState(net.parameterCount());
    Runnable work = () -> {
      net.computeGradients(x, 0, t, 0, 32);
      adam.step(net.parameters(), net.gradients(), state, 1e-3);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 32);
    };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    // Until C2 compiles the kernels, vectors are objects; give it a generous warm-up, then
    // require a run of 100 steps without a single byte allocated.
    long allocated = -1;
    // A step that allocated anything would allocate at least 16 bytes, 1,600 in all.
    // On a loaded machine C2 can take many seconds to reach the kernels; allow up to 400 rounds.
    for (int round = 0; round < 400 && (allocated < 0 || allocated >= 1_000); round++) {
      for (int i = 0; i < 200; i++) {
        work.run();
      }
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 100; i++) {
        work.run();
      }
      allocated = threads.getThreadAllocatedBytes(thread) - before;
    }
    assertTrue(allocated >= 0 && allocated < 1_000, allocated + " bytes allocated by 100 training steps and predictions");
  }
}
