package dev.nnet.examples.sunspots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** W5 on real data: the LSTM must forecast held-out years better than "next year = this year". */
class SunspotsLstmExampleTest {

  @Test
  void theSplitIsChronologicalWithTheLastFifthForTesting() throws Exception {
    SunspotsLstmExample.Split split = SunspotsLstmExample.split(Path.of("../data"));
    // 309 years give 285 windows of 24 years and the next; 57 (20 %) are the test windows.
    assertEquals(228, split.train().size());
    assertEquals(57, split.test().size());
    assertEquals(24, split.train().featureWidth());
  }

  @Test
  void beatsTheNaiveForecastOnHeldOutYears() throws Exception {
    SunspotsLstmExample.Result result = SunspotsLstmExample.run(Path.of("../data"), 50, false);
    assertTrue(result.testMse() < result.naiveMse(),
        "test mse " + result.testMse() + " is not below the naive forecast's " + result.naiveMse());
  }

  /** Once C2 has compiled the kernels, a training step and a prediction allocate nothing. */
  @Test
  void aTrainingStepAndAPredictionAllocateNothingAfterWarmUp() {
    assertTrue(SunspotsLstm.VECTOR, "tests run with --add-modules jdk.incubator.vector");
    SunspotsLstm net = new SunspotsLstm();
    float[] x = new float[16 * SunspotsLstm.INPUT_SIZE];
    float[] t = new float[16];
    float[] y = new float[16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 13) / 13f;
    }
    dev.nnet.runtime.optim.Adam adam = new dev.nnet.runtime.optim.Adam(1e-3);
    dev.nnet.runtime.optim.OptimizerState state = adam.newState(net.parameterCount());
    Runnable work = () -> {
      net.computeGradients(x, 0, t, 0, 16);
      adam.step(net.parameters(), net.gradients(), state, 1e-3);
      net.predict(x, 0, y, 0);
      net.predictBatch(x, 0, y, 0, 16);
    };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long allocated = -1;
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
