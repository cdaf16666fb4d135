package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.init.Seeds;
import dev.nnet.runtime.loss.Loss;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.Sgd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Points in [−1, 1]², class 1 iff x0 + 0.5·x1 &gt; 0, with a margin of 0.1 around the line. */
  static Dataset toySet(long seed, int size) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] features = new float[size * 2];
    float[] targets = new float[size * 2];
    for (int n = 0; n < size; ) {
      float x0 = (float) random.nextDouble(-1, 1);
      float x1 = (float) random.nextDouble(-1, 1);
      double side = x0 + 0.5 * x1;
      if (Math.abs(side) < 0.1) {
        continue;
      }
      features[2 * n] = x0;
      features[2 * n + 1] = x1;
      targets[2 * n + (side > 0 ? 1 : 0)] = 1;
      n++;
    }
    return Dataset.of(features, 2, targets, 2);
  }

  @Test
  void learnsLinearlySeparableSet() {
    Dataset all = toySet(11, 400);
    Dataset train = all.slice(0, 300);
    Dataset validation = all.slice(300, 400);
    SoftmaxRegression net = SoftmaxRegression.small();
    net.initialize(3);
    TrainingConfig config = new TrainingConfig(new Sgd(0.5), 16, 15);
    List<EpochStats> seen = new ArrayList<>();
    History history = new Trainer(config, 5).fit(net, train, validation,
        (stats, epochs) -> {
          assertEquals(15, epochs);
          seen.add(stats);
        });
    assertEquals(15, history.size());
    assertEquals(history.epochs(), seen);
    EpochStats last = history.last();
    assertEquals(15, last.epoch());
    assertTrue(last.accuracy() > 0.95, "training accuracy " + last.accuracy());
    assertTrue(last.validationAccuracy() > 0.95, "validation accuracy " + last.validationAccuracy());
    assertTrue(last.loss() < history.epochs().get(0).loss(), "loss decreased");
    assertTrue(last.seconds() > 0 && last.samplesPerSecond() > 0);
    assertEquals(Evaluation.accuracy(net, validation), last.validationAccuracy(), 1e-12);
    assertEquals(Evaluation.loss(net, validation), last.validationLoss(), 1e-6);
    assertTrue(Evaluation.accuracy(net, train) > 0.95);
    // Every step reseeds the training randomness from (seed, epoch, batch); the last step was
    // batch 19 (300 samples in batches of 16) of epoch 15.
    assertEquals(Seeds.derive(Seeds.derive(5, 15), 19), net.trainingSeed);
  }

  @Test
  void sameSeedSameHistoryDifferentSeedDifferentShuffle() {
    Dataset train = toySet(12, 100);
    TrainingConfig config = new TrainingConfig(new Adam(0.05), 8, 4);
    double[][] losses = new double[3][];
    float[][] parameters = new float[3][];
    long[] seeds = {99, 99, 100};
    for (int run = 0; run < 3; run++) {
      SoftmaxRegression net = SoftmaxRegression.small();
      net.initialize(1);
      losses[run] = new Trainer(config, seeds[run]).fit(net, train).losses();
      parameters[run] = net.parameters().clone();
    }
    assertArrayEquals(losses[0], losses[1]);
    assertArrayEquals(parameters[0], parameters[1]);
    assertFalse(Arrays.equals(parameters[0], parameters[2]));
  }

  @Test
  void shuffleIsAPermutationThatChangesPerEpoch() {
    int[] a = new int[50];
    int[] b = new int[50];
    Trainer.shuffle(a, new SplittableRandom(1));
    Trainer.shuffle(b, new SplittableRandom(2));
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, sorted[i]);
    }
    assertFalse(Arrays.equals(a, b));
    int[] again = new int[50];
    Trainer.shuffle(again, new SplittableRandom(1));
    assertArrayEquals(a, again);
  }

  @Test
  void batchesCoverEveryEpochWithASmallerLastBatch() {
    Dataset train = toySet(13, 10);
    Recording net = new Recording(SoftmaxRegression.small());
    net.initialize(1);
    History history = new Trainer(new TrainingConfig(new Sgd(0.1), 4, 2), 1).fit(net, train);
    assertEquals(List.of(4, 4, 2, 4, 4, 2), net.counts);
    // The epoch loss is the batch losses weighted by batch size.
    double expected = (4.0 * net.losses.get(0) + 4.0 * net.losses.get(1) + 2.0 * net.losses.get(2))
        / 10;
    assertEquals(expected, history.epochs().get(0).loss(), 1e-9);
    // Every sample appears exactly once per epoch.
    List<Float> firstEpoch = new ArrayList<>(net.firstFeatures.subList(0, 10));
    List<Float> expectedFeatures = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      expectedFeatures.add(train.features()[2 * n]);
    }
    firstEpoch.sort(null);
    expectedFeatures.sort(null);
    assertEquals(expectedFeatures, firstEpoch);
    assertTrue(Double.isNaN(history.last().validationLoss()));
  }

  @Test
  void rejectsMismatchesWithClearMessages() {
    SoftmaxRegression net = SoftmaxRegression.small();
    Trainer trainer = new Trainer(new TrainingConfig(new Sgd(), 4, 1), 1);
    Dataset threeFeatures = Dataset.of(new float[6], 3, new float[4], 2);
    assertEquals("training data has 3 features per sample, but network 'Softmax2x2' takes 2 "
            + "inputs",
        assertThrows(IllegalArgumentException.class, () -> trainer.fit(net, threeFeatures))
            .getMessage());
    Dataset threeTargets = Dataset.of(new float[4], 2, new float[6], 3);
    assertEquals("validation data has 3 targets per sample, but network 'Softmax2x2' has 2 "
            + "outputs",
        assertThrows(IllegalArgumentException.class, () -> trainer.fit(net, toySet(1, 8),
            threeTargets, TrainingListener.silent())).getMessage());
    Trainer big = new Trainer(new TrainingConfig(new Sgd(), 64, 1), 1);
    String message = assertThrows(IllegalArgumentException.class,
        () -> big.fit(net, toySet(1, 100))).getMessage();
    assertEquals("batch size 64 exceeds the batch capacity 16 of network 'Softmax2x2': construct "
        + "the network with a batch capacity of at least 64, or train with a smaller batch size",
        message);
    // A batch size beyond a small data set is only as large as the data set.
    big.fit(net, toySet(1, 12));
    assertThrows(IllegalArgumentException.class,
        () -> trainer.fit(net, Dataset.of(new float[0], 2, new float[0], 2)));
  }

  @Test
  void consolePrintsOneKerasLikeLinePerEpoch() {
    EpochStats stats = new EpochStats(1, 0.41234, 0.88111, 0.29344, 0.915, 1.26, 6154.2);
    assertEquals("epoch 1/5  loss: 0.4123  accuracy: 0.8811  val_loss: 0.2934  "
        + "val_accuracy: 0.9150  (1.3 s, 6154 samples/s)", TrainingListener.format(stats, 5));
    EpochStats regression =
        new EpochStats(2, 1.5, Double.NaN, Double.NaN, Double.NaN, 0.04, 100);
    assertEquals("epoch 2/3  loss: 1.5000  (0.0 s, 100 samples/s)",
        TrainingListener.format(regression, 3));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SoftmaxRegression net = SoftmaxRegression.small();
    new Trainer(new TrainingConfig(new Sgd(), 4, 2), 1).fit(net, toySet(2, 8), null,
        TrainingListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[1].startsWith("epoch 2/2  loss: "), lines[1]);
  }

  @Test
  void evaluationBatchesBeyondOneChunk() {
    Dataset data = toySet(14, 3 * Evaluation.CHUNK + 7);
    SoftmaxRegression net = SoftmaxRegression.small();
    net.initialize(4);
    // Reference: predict every sample on its own.
    float[] output = new float[2];
    int correct = 0;
    double loss = 0;
    for (int n = 0; n < data.size(); n++) {
      net.predict(data.features(), 2 * n, output, 0);
      loss += net.loss().value(output, data.targets(), 2 * n, 1, 2);
      if ((output[1] > output[0] ? 1 : 0) == (data.targets()[2 * n + 1] == 1 ? 1 : 0)) {
        correct++;
      }
    }
    assertEquals((double) correct / data.size(), Evaluation.accuracy(net, data), 1e-12);
    assertEquals(loss / data.size(), Evaluation.loss(net, data), 1e-5);
  }

  /** Delegates to a network and records each training call. */
  static class Recording implements Network {
    final Network delegate;
    final List<Integer> counts = new ArrayList<>();
    final List<Float> losses = new ArrayList<>();
    final List<Float> firstFeatures = new ArrayList<>();

    Recording(Network delegate) {
      this.delegate = delegate;
    }

    @Override
    public float computeGradients(
        float[] inputs, int inputOffset, float[] targets, int targetOffset, int count) {
      counts.add(count);
      for (int n = 0; n < count; n++) {
        firstFeatures.add(inputs[inputOffset + n * inputSize()]);
      }
      float loss = delegate.computeGradients(inputs, inputOffset, targets, targetOffset, count);
      losses.add(loss);
      return loss;
    }

    @Override public String name() { return delegate.name(); }
    @Override public String fingerprint() { return delegate.fingerprint(); }
    @Override public int inputSize() { return delegate.inputSize(); }
    @Override public int outputSize() { return delegate.outputSize(); }
    @Override public int parameterCount() { return delegate.parameterCount(); }
    @Override public float[] parameters() { return delegate.parameters(); }
    @Override public float[] gradients() { return delegate.gradients(); }
    @Override public List<ParameterTensor> parameterTensors() { return delegate.parameterTensors(); }
    @Override public void initialize(long seed) { delegate.initialize(seed); }
    @Override public void seedTraining(long seed) { delegate.seedTraining(seed); }
    @Override public int batchCapacity() { return delegate.batchCapacity(); }
    @Override public float[] trainingOutputs() { return delegate.trainingOutputs(); }
    @Override public Loss loss() { return delegate.loss(); }
    @Override public TrainingConfig trainingConfig() { return delegate.trainingConfig(); }

    @Override
    public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
      delegate.predict(input, inputOffset, output, outputOffset);
    }

    @Override
    public void predictBatch(
        float[] inputs, int inputOffset, float[] outputs, int outputOffset, int count) {
      delegate.predictBatch(inputs, inputOffset, outputs, outputOffset, count);
    }
  }
}
