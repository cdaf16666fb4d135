package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.train.History;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Generated classes train data-parallel: replicas share the parameters, a run on 2 or 3 threads is
 * reproducible, learns what a 1-thread run learns, and keeps batch-norm statistics sensible.
 */
class DataParallelTrainingTest {

  private static final String NETWORK = """
      network Blobs {
          input x: float[6]
          h = dense(x, units: 16, activation: relu)
          n = batch_norm(h)
          d = dropout(n, rate: 0.1)
          output y = dense(d, units: 3, activation: softmax)
          train {
              loss: categorical_crossentropy
              optimizer: adam(learning_rate: 0.01)
              batch: 32
              epochs: 4
          }
      }
      """;

  private static Network network() {
    ClassLoader loader = GeneratedCode.compileAndLoad(
        GeneratedCode.generate("Blobs.nnet", NETWORK, "gen", false));
    try {
      Network net = (Network) loader.loadClass("gen.Blobs").getConstructor().newInstance();
      net.initialize(5);
      return net;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Three Gaussian blobs in 6 dimensions. */
  private static Dataset blobs(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n * 6];
    float[] y = new float[n * 3];
    for (int s = 0; s < n; s++) {
      int c = random.nextInt(3);
      y[s * 3 + c] = 1;
      for (int i = 0; i < 6; i++) {
        x[s * 6 + i] = (float) random.nextGaussian() + (i / 2 == c ? 2f : 0f);
      }
    }
    return Dataset.of(x, 6, y, 3);
  }

  @Test
  void aReplicaSharesTheParametersOnly() {
    Network net = network();
    assertTrue(net.replicable());
    Network replica = net.replica();
    assertSame(net.getClass(), replica.getClass());
    assertSame(net.parameters(), replica.parameters());
    assertNotSame(net.gradients(), replica.gradients());
    assertNotSame(net.state(), replica.state());
    assertArrayEquals(net.state(), replica.state(), "the replica starts from the running statistics");
  }

  @Test
  void trainsReproduciblyOnSeveralThreads() {
    Dataset train = blobs(800, 1);
    Dataset test = blobs(300, 2);
    Network single = network();
    new Trainer(single.trainingConfig(), 3).fit(single, train);
    double singleAccuracy = dev.nnet.runtime.train.Evaluation.accuracy(single, test);
    assertTrue(singleAccuracy > 0.85, "1 thread learns the blobs: " + singleAccuracy);

    for (int threads : new int[] {2, 3}) {
      TrainingConfig config = single.trainingConfig().withThreads(threads);
      Network first = network();
      History history = new Trainer(config, 3).fit(first, train);
      Network second = network();
      new Trainer(config, 3).fit(second, train);
      assertArrayEquals(first.parameters(), second.parameters(), threads + " threads, run twice");
      assertArrayEquals(first.state(), second.state(), "running statistics on " + threads + " threads");
      double accuracy = dev.nnet.runtime.train.Evaluation.accuracy(first, test);
      assertEquals(singleAccuracy, accuracy, 0.05, "test accuracy on " + threads + " threads");
      assertEquals(4, history.epochs().size());
      for (float v : first.state()) {
        assertTrue(Float.isFinite(v), "running statistics stay finite");
      }
    }
  }
}
