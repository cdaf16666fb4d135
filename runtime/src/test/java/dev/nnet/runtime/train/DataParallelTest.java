package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.OptimizerState;
import dev.nnet.runtime.optim.Sgd;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Data-parallel steps: the same gradients as one thread, deterministic, allocation-free. */
class DataParallelTest {

  private static final int INPUTS = 12;
  private static final int CLASSES = 5;
  private static final int CAPACITY = 32;

  private static SoftmaxRegression network(TrainingConfig config) {
    SoftmaxRegression net = new SoftmaxRegression(INPUTS, CLASSES, CAPACITY, config);
    net.initialize(3);
    return net;
  }

  private static SoftmaxRegression network() {
    return network(new TrainingConfig(new Adam(0.01), CAPACITY, 3));
  }

  /** {@code n} samples with one-hot targets that a linear model can partly learn. */
  private static Dataset data(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n * INPUTS];
    float[] y = new float[n * CLASSES];
    for (int s = 0; s < n; s++) {
      int c = random.nextInt(CLASSES);
      y[s * CLASSES + c] = 1;
      for (int i = 0; i < INPUTS; i++) {
        x[s * INPUTS + i] = (float) random.nextGaussian() + (i % CLASSES == c ? 1.5f : 0f);
      }
    }
    return Dataset.of(x, INPUTS, y, CLASSES);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4})
  void combinedGradientIsTheWholeBatchGradient(int threads) {
    Dataset batch = data(CAPACITY, 11);
    for (int count : new int[] {CAPACITY, 17, threads, 1}) {
      SoftmaxRegression single = network();
      float loss = single.computeGradients(batch.features(), 0, batch.targets(), 0, count);
      float[] expected = single.gradients().clone();

      SoftmaxRegression net = network();
      try (DataParallel parallel = new DataParallel(net, threads)) {
        float parallelLoss = parallel.computeGradients(batch.features(), batch.targets(), null,
            count);
        assertEquals(loss, parallelLoss, 1e-6 * Math.abs(loss), "loss of " + count);
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], net.gradients()[i], 1e-6f + 1e-5f * Math.abs(expected[i]),
              "gradient " + i + " of a batch of " + count + " on " + threads + " threads");
        }
        // Every sample's output lands where a single thread puts it.
        float[] outputs = parallel.trainingOutputs();
        for (int i = 0; i < count * CLASSES; i++) {
          assertEquals(single.trainingOutputs()[i], outputs[i], 1e-6f, "output " + i);
        }
      }
    }
  }

  @Test
  void sampleWeightsFollowTheirSlices() {
    Dataset batch = data(CAPACITY, 12);
    float[] weights = new float[CAPACITY];
    for (int i = 0; i < CAPACITY; i++) {
      weights[i] = i % 3 == 0 ? 0f : 1f + i;
    }
    NetworkWithWeights single = new NetworkWithWeights();
    single.computeGradients(batch.features(), 0, batch.targets(), 0, weights, CAPACITY);
    NetworkWithWeights net = new NetworkWithWeights();
    try (DataParallel parallel = new DataParallel(net, 2)) {
      parallel.computeGradients(batch.features(), batch.targets(), weights, CAPACITY);
    }
    for (int i = 0; i < net.gradients().length; i++) {
      assertEquals(single.gradients()[i], net.gradients()[i],
          1e-6f + 1e-5f * Math.abs(single.gradients()[i]), "gradient " + i);
    }
  }

  /** Weights each sample's loss by scaling its gradient contribution (enough to see slicing). */
  private static final class NetworkWithWeights extends SoftmaxRegression {
    NetworkWithWeights() {
      this(new float[INPUTS * CLASSES + CLASSES]);
      initialize(3);
    }

    private NetworkWithWeights(float[] parameters) {
      super("Weighted", "fp", INPUTS, CLASSES, CAPACITY,
          new TrainingConfig(new Sgd(0.1), CAPACITY, 1), parameters);
    }

    @Override
    public boolean replicable() {
      return true;
    }

    @Override
    public NetworkWithWeights replica() {
      return new NetworkWithWeights(parameters());
    }

    @Override
    public float computeGradients(float[] inputs, int inputOffset, float[] targets,
        int targetOffset, float[] sampleWeights, int count) {
      float[] total = new float[parameterCount()];
      float loss = 0;
      for (int n = 0; n < count; n++) {
        loss += sampleWeights[n] * super.computeGradients(inputs, inputOffset + n * INPUTS,
            targets, targetOffset + n * CLASSES, 1);
        for (int i = 0; i < total.length; i++) {
          total[i] += sampleWeights[n] * gradients()[i] / count;
        }
      }
      System.arraycopy(total, 0, gradients(), 0, total.length);
      return loss / count;
    }
  }

  @Test
  void trainingOnTwoThreadsIsReproducibleAndLearnsAsOneThreadDoes() {
    Dataset train = data(1_000, 5);
    TrainingConfig config = new TrainingConfig(new Adam(0.01), CAPACITY, 3);
    SoftmaxRegression one = network(config);
    History oneHistory = new Trainer(config, 9).fit(one, train);
    SoftmaxRegression first = network(config);
    History twoHistory = new Trainer(config.withThreads(2), 9).fit(first, train);
    SoftmaxRegression second = network(config);
    new Trainer(config.withThreads(2), 9).fit(second, train);

    assertArrayEquals(first.parameters(), second.parameters(), "two runs on 2 threads");
    for (int i = 0; i < one.parameters().length; i++) {
      assertEquals(one.parameters()[i], first.parameters()[i],
          1e-3f + 1e-3f * Math.abs(one.parameters()[i]), "parameter " + i);
    }
    double accuracyOne = oneHistory.epochs().get(2).metrics().get(EpochStats.ACCURACY);
    double accuracyTwo = twoHistory.epochs().get(2).metrics().get(EpochStats.ACCURACY);
    assertTrue(accuracyOne > 0.6, "the task is learnable: " + accuracyOne);
    assertEquals(accuracyOne, accuracyTwo, 0.01, "training accuracy on 1 and 2 threads");
  }

  @Test
  void replicasShareTheParametersAndNothingElse() {
    SoftmaxRegression net = network();
    Network replica = net.replica();
    assertSame(net.parameters(), replica.parameters());
    assertNotEquals(System.identityHashCode(net.gradients()),
        System.identityHashCode(replica.gradients()));
  }

  @Test
  void aNetworkThatCannotBeReplicatedSaysSo() {
    // A subclass of the test network is not replicable (see SoftmaxRegression#replicable).
    SoftmaxRegression net = new SoftmaxRegression(INPUTS, CLASSES, CAPACITY,
        new TrainingConfig(new Sgd(0.1), 8, 1)) {};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(net.trainingConfig().withThreads(2), 1).fit(net, data(20, 1)));
    assertTrue(e.getMessage().contains("cannot be replicated"), e.getMessage());
    assertTrue(e.getMessage().contains("one thread"), e.getMessage());
  }

  @Test
  void aFailureOnAWorkerReachesTheCaller() {
    Dataset batch = data(CAPACITY, 13);
    SoftmaxRegression net = network();
    try (DataParallel parallel = new DataParallel(net, 2)) {
      // Slice 1 starts at sample 16; its targets are too short, so only that slice fails.
      float[] shortTargets = java.util.Arrays.copyOf(batch.targets(), 20 * CLASSES);
      RuntimeException e = assertThrows(RuntimeException.class,
          () -> parallel.computeGradients(batch.features(), shortTargets, null, CAPACITY));
      assertTrue(e instanceof IllegalArgumentException, e.toString());
      assertTrue(e.getMessage().contains("targets must hold 16 × 5 values from offset 80"),
          e.getMessage());
      // The workers survive a failed step.
      parallel.computeGradients(batch.features(), batch.targets(), null, CAPACITY);
    }
  }

  @Test
  void stepsAllocateNothingOnAnyThread() {
    Dataset batch = data(CAPACITY, 14);
    SoftmaxRegression net = network();
    Adam adam = new Adam(1e-3);
    OptimizerState state = adam.newState(net.parameterCount());
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (DataParallel parallel = new DataParallel(net, 2)) {
      for (int i = 0; i < 20_000; i++) {
        parallel.computeGradients(batch.features(), batch.targets(), null, CAPACITY);
        parallel.step(adam, state, 1e-3);
      }
      long[] ids = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t == Thread.currentThread() || t.getName().startsWith("nnet-train-"))
          .mapToLong(Thread::getId).toArray();
      assertEquals(2, ids.length, "the caller and one worker");
      long before = allocated(threads, ids);
      for (int i = 0; i < 2_000; i++) {
        parallel.computeGradients(batch.features(), batch.targets(), null, CAPACITY);
        parallel.step(adam, state, 1e-3);
      }
      long allocated = allocated(threads, ids) - before;
      assertEquals(0, allocated, "bytes allocated by 2,000 data-parallel steps");
    }
  }

  /** One id at a time: the array form allocates its result on the calling thread. */
  private static long allocated(com.sun.management.ThreadMXBean threads, long[] ids) {
    long sum = 0;
    for (long id : ids) {
      sum += threads.getThreadAllocatedBytes(id);
    }
    return sum;
  }
}
