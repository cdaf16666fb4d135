package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.metrics.Metrics;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.Optimizer;
import dev.nnet.runtime.optim.OptimizerState;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.schedule.ExponentialDecay;
import dev.nnet.runtime.schedule.LearningRateSchedule;
import dev.nnet.runtime.schedule.StepDecay;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingFeaturesTest {

  /** Records the rate and a copy of the gradient of every step, then runs plain SGD. */
  static final class RecordingSgd implements Optimizer {
    final Sgd sgd;
    final List<Double> rates = new ArrayList<>();
    final List<float[]> gradients = new ArrayList<>();

    RecordingSgd(double rate) {
      this.sgd = new Sgd(rate);
    }

    @Override
    public double learningRate() {
      return sgd.learningRate();
    }

    @Override
    public OptimizerState newState(int parameterCount) {
      return sgd.newState(parameterCount);
    }

    @Override
    public void step(float[] parameters, float[] gradients, OptimizerState state, double rate) {
      rates.add(rate);
      this.gradients.add(gradients.clone());
      sgd.step(parameters, gradients, state, rate);
    }
  }

  /** Copies the raw gradients (before clipping). */
  static final class RawGradients implements Callback {
    final List<float[]> gradients = new ArrayList<>();

    @Override
    public void onGradients(TrainingContext context, float[] gradients) {
      this.gradients.add(gradients.clone());
    }
  }

  @Test
  void clipValueClampsEveryElementBeforeTheStep() {
    RecordingSgd sgd = new RecordingSgd(0.5);
    RawGradients raw = new RawGradients();
    TrainingConfig config = new TrainingConfig(sgd, 4, 2).withClipValue(0.05);
    new Trainer(config, 1).fit(SoftmaxRegression.small(), TrainerTest.toySet(1, 16), null, raw);
    assertEquals(8, sgd.gradients.size());
    boolean clipped = false;
    for (int s = 0; s < 8; s++) {
      for (int i = 0; i < raw.gradients.get(s).length; i++) {
        float g = raw.gradients.get(s)[i];
        assertEquals(Math.max(-0.05f, Math.min(0.05f, g)), sgd.gradients.get(s)[i], 1e-9);
        clipped |= Math.abs(g) > 0.05f;
      }
    }
    assertTrue(clipped, "the limit must bite for the test to mean anything");
  }

  @Test
  void clipNormRescalesTheWholeGradient() {
    RecordingSgd sgd = new RecordingSgd(0.5);
    RawGradients raw = new RawGradients();
    TrainingConfig config = new TrainingConfig(sgd, 4, 2).withClipNorm(0.1);
    new Trainer(config, 1).fit(SoftmaxRegression.small(), TrainerTest.toySet(2, 16), null, raw);
    for (int s = 0; s < sgd.gradients.size(); s++) {
      float[] before = raw.gradients.get(s);
      double norm = 0;
      for (float g : before) {
        norm += (double) g * g;
      }
      norm = Math.sqrt(norm);
      double scale = Math.min(1, 0.1 / norm);
      for (int i = 0; i < before.length; i++) {
        assertEquals(before[i] * scale, sgd.gradients.get(s)[i], 1e-6);
      }
    }
  }

  @Test
  void theScheduleSetsEveryStepsRate() {
    RecordingSgd sgd = new RecordingSgd(0.4);
    LearningRateSchedule schedule = new ExponentialDecay(0.5, 3, true);
    new Trainer(new TrainingConfig(sgd, 4, 3).withSchedule(schedule), 1)
        .fit(SoftmaxRegression.small(), TrainerTest.toySet(3, 10), null);
    // 3 batches per epoch, 9 steps: the rate halves every 3 steps.
    assertEquals(List.of(0.4, 0.4, 0.4, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1), sgd.rates);

    RecordingSgd epochs = new RecordingSgd(0.4);
    History history = new Trainer(new TrainingConfig(epochs, 4, 3)
        .withSchedule(new StepDecay(0.5, 2)), 1)
        .fit(SoftmaxRegression.small(), TrainerTest.toySet(3, 10), null);
    assertEquals(List.of(0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.2, 0.2, 0.2), epochs.rates);
    assertArrayEquals(new double[] {0.4, 0.4, 0.2}, history.learningRates());
  }

  @Test
  void classWeightsWeightTheGradientAsDuplicatedSamplesWould() {
    // Samples a (class 0), b and c (class 1); a weighs 2.
    float[][] x = {{0.5f, -1f}, {1f, 0.25f}, {-0.75f, 0.5f}};
    float[][] y = {{1, 0}, {0, 1}, {0, 1}};
    Dataset weighted = Dataset.of(x, y);
    Dataset duplicated = Dataset.of(new float[][] {x[0], x[0], x[1], x[2]},
        new float[][] {y[0], y[0], y[1], y[2]});
    DropoutSoftmax first = new DropoutSoftmax(2, 2, 8, 0, 0);
    first.initialize(5);
    DropoutSoftmax second = new DropoutSoftmax(2, 2, 8, 0, 0);
    second.initialize(5);
    // One full-batch step each. The weighted batch's mean divides by 3, the duplicated one's by
    // 4: the same update needs the rate scaled by 4/3.
    new Trainer(new TrainingConfig(new Sgd(0.3), 8, 1).withClassWeights(new float[] {2, 1}), 1)
        .fit(first, weighted);
    new Trainer(new TrainingConfig(new Sgd(0.3 * 4 / 3), 8, 1), 1).fit(second, duplicated);
    assertArrayEquals(second.parameters(), first.parameters(), 1e-6f);
    DropoutSoftmax unweighted = new DropoutSoftmax(2, 2, 8, 0, 0);
    unweighted.initialize(5);
    new Trainer(new TrainingConfig(new Sgd(0.3), 8, 1), 1).fit(unweighted, weighted);
    assertFalse(Arrays.equals(unweighted.parameters(), first.parameters()));
  }

  @Test
  void classWeightsFollowTheirSamplesThroughTheShuffle() {
    Dataset data = TrainerTest.toySet(4, 40);
    List<String> mismatches = new ArrayList<>();
    DropoutSoftmax checking = new DropoutSoftmax(2, 2, 8, 0, 0) {
      @Override
      public float computeGradients(float[] inputs, int inputOffset, float[] targets,
          int targetOffset, float[] sampleWeights, int count) {
        for (int n = 0; n < count; n++) {
          float expected = targets[targetOffset + 2 * n] == 1 ? 0.25f : 3f;
          if (sampleWeights[n] != expected) {
            mismatches.add("sample " + n);
          }
        }
        return super.computeGradients(inputs, inputOffset, targets, targetOffset, sampleWeights,
            count);
      }
    };
    new Trainer(new TrainingConfig(new Sgd(0.1), 8, 3).withClassWeights(new float[] {0.25f, 3}),
        9).fit(checking, data);
    assertEquals(List.of(), mismatches);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(new TrainingConfig(new Sgd(), 8, 1).withClassWeights(new float[] {1}), 1)
            .fit(checking, data));
    assertEquals("1 class weights were given, but network 'DropoutSoftmax' has 2 classes",
        e.getMessage());
  }

  @Test
  void validationSplitHoldsOutTheLastFractionBeforeShuffling() {
    Dataset data = TrainerTest.toySet(5, 10);
    List<Float> seen = new ArrayList<>();
    TrainerTest.Recording net = new TrainerTest.Recording(SoftmaxRegression.small()) {
      @Override
      public float computeGradients(float[] inputs, int inputOffset, float[] targets,
          int targetOffset, int count) {
        for (int n = 0; n < count; n++) {
          seen.add(inputs[inputOffset + 2 * n]);
        }
        return super.computeGradients(inputs, inputOffset, targets, targetOffset, count);
      }
    };
    net.initialize(1);
    // Keras: 10 · (1 − 0.25) = 7.5 → the first 7 train, the last 3 validate.
    History history = new Trainer(new TrainingConfig(new Sgd(0.2), 4, 2)
        .withValidationSplit(0.25), 1).fit(net, data);
    List<Float> firstSeven = new ArrayList<>();
    for (int n = 0; n < 7; n++) {
      firstSeven.add(data.features()[2 * n]);
    }
    List<Float> epochOne = new ArrayList<>(seen.subList(0, 7));
    epochOne.sort(null);
    firstSeven.sort(null);
    assertEquals(firstSeven, epochOne);
    assertEquals(14, seen.size());
    assertEquals(Evaluation.loss(net, data.slice(7, 10)), history.last().validationLoss(), 1e-6);
    assertEquals(Evaluation.accuracy(net, data.slice(7, 10)), history.last().validationAccuracy(),
        1e-12);
    assertEquals(7, Trainer.splitPoint(10, 0.3));
    assertEquals(80, Trainer.splitPoint(100, 0.2));

    // Given validation data wins over the split.
    History explicit = new Trainer(new TrainingConfig(new Sgd(0.2), 4, 1)
        .withValidationSplit(0.5), 1).fit(SoftmaxRegression.small(), data, data.slice(0, 2),
            TrainingListener.silent());
    assertTrue(explicit.last().hasValidation());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(new TrainingConfig(new Sgd(), 4, 1).withValidationSplit(0.95), 1)
            .fit(SoftmaxRegression.small(), data));
    assertEquals("a validation split of 0.95 of 10 samples leaves 0 for training and 10 for"
        + " validation: both need at least one; use more data or another split", e.getMessage());
  }

  @Test
  void metricsAndTheirValidationTwinsLandInTheHistory() {
    Dataset data = TrainerTest.toySet(6, 64);
    Dataset validation = TrainerTest.toySet(7, 32);
    TrainingConfig config = new TrainingConfig(new Sgd(0.5), 8, 3)
        .withMetrics(List.of(Metrics.byName("f1"), Metrics.byName("accuracy")));
    SoftmaxRegression net = SoftmaxRegression.small();
    History history = new Trainer(config, 2).fit(net, data, validation, List.of());
    assertEquals(List.of("loss", "f1", "accuracy", "val_loss", "val_f1", "val_accuracy",
        "learning_rate", "regularization_loss"), history.names());
    EpochStats last = history.last();
    assertEquals(last.metrics().get("accuracy"), last.accuracy());
    Map<String, Double> evaluated = Trainer.evaluate(net, validation,
        List.of(Metrics.byName("f1"), Metrics.byName("accuracy")));
    assertEquals(List.of("loss", "f1", "accuracy"), List.copyOf(evaluated.keySet()));
    assertEquals(evaluated.get("f1"), last.validationMetrics().get("f1"));
    assertEquals(evaluated.get("accuracy"), last.validationAccuracy());
    assertEquals(evaluated.get("loss"), last.validationLoss(), 0.0);
    assertEquals(Evaluation.accuracy(net, validation), evaluated.get("accuracy"), 1e-12);
    assertArrayEquals(history.validationAccuracies(), history.values("val_accuracy"));
    assertEquals(3, history.asMap().get("val_f1").size());
    assertEquals(0.0, last.regularizationLoss());
    assertEquals(0.5, last.learningRate());
    assertThrows(IllegalArgumentException.class, () -> history.values("val_auc"));
    // The console line shows them all, in order.
    String line = TrainingListener.format(last, 3);
    assertTrue(line.matches("epoch 3/3  loss: \\S+  f1: \\S+  accuracy: \\S+  val_loss: \\S+"
        + "  val_f1: \\S+  val_accuracy: \\S+  \\(.*\\)"), line);
  }

  @Test
  void trainingMetricsCoverTheEpochsTrainingOutputs() {
    // Accuracy by the built-in path and by the metric agree, batch-weighted or not.
    Dataset data = TrainerTest.toySet(8, 50);
    History builtIn = new Trainer(new TrainingConfig(new Sgd(0.5), 8, 2), 3)
        .fit(SoftmaxRegression.small(), data);
    History metric = new Trainer(new TrainingConfig(new Sgd(0.5), 8, 2)
        .withMetrics(List.of(Metrics.byName("accuracy"))), 3)
        .fit(SoftmaxRegression.small(), data);
    assertArrayEquals(builtIn.accuracies(), metric.accuracies());
    assertArrayEquals(builtIn.losses(), metric.losses());
  }

  @Test
  void regularizationLossIsReportedApartFromTheLoss() {
    Dataset data = TrainerTest.toySet(9, 32);
    DropoutSoftmax net = new DropoutSoftmax(2, 2, 8, 0, 0.1f);
    net.initialize(2);
    History history = new Trainer(new TrainingConfig(new Sgd(0.1), 8, 2), 1).fit(net, data);
    assertTrue(history.last().regularizationLoss() > 0);
    String line = TrainingListener.format(history.last(), 2);
    assertTrue(line.contains("  regularization_loss: "), line);
    assertArrayEquals(history.regularizationLosses(), history.values("regularization_loss"));
  }

  @Test
  void sparseTargetsTrainAgainstClassIndices() {
    Dataset oneHot = TrainerTest.toySet(10, 40);
    float[] indices = new float[40];
    for (int n = 0; n < 40; n++) {
      indices[n] = oneHot.targets()[2 * n + 1];
    }
    Dataset sparse = Dataset.of(oneHot.features(), 2, indices, 1);
    TrainerTest.Recording net = new TrainerTest.Recording(SoftmaxRegression.small()) {
      @Override
      public int targetSize() {
        return 1;
      }

      @Override
      public float computeGradients(float[] inputs, int inputOffset, float[] targets,
          int targetOffset, int count) {
        // Expand the class indices for the one-hot test network.
        float[] expanded = new float[2 * count];
        for (int n = 0; n < count; n++) {
          expanded[2 * n + (int) targets[targetOffset + n]] = 1;
        }
        return super.computeGradients(inputs, inputOffset, expanded, 0, count);
      }
    };
    History history = new Trainer(new TrainingConfig(new Sgd(0.5), 8, 2)
        .withClassWeights(null), 1).fit(net, sparse);
    History reference = new Trainer(new TrainingConfig(new Sgd(0.5), 8, 2), 1)
        .fit(SoftmaxRegression.small(), oneHot);
    assertArrayEquals(reference.losses(), history.losses());
    assertArrayEquals(reference.accuracies(), history.accuracies());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(new TrainingConfig(new Sgd(), 8, 1), 1).fit(net, oneHot));
    assertEquals("training data has 2 targets per sample, but network 'Softmax2x2' takes 1 per"
        + " sample (it has 2 outputs)", e.getMessage());
  }

  @Test
  void shuffleOffKeepsTheDataOrder() {
    Dataset data = TrainerTest.toySet(11, 12);
    TrainerTest.Recording net = new TrainerTest.Recording(SoftmaxRegression.small());
    new Trainer(new TrainingConfig(new Sgd(0.1), 4, 2).withShuffle(false), 1).fit(net, data);
    List<Float> expected = new ArrayList<>();
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int n = 0; n < 12; n++) {
        expected.add(data.features()[2 * n]);
      }
    }
    assertEquals(expected, net.firstFeatures);
  }

  @Test
  void configurationIsValidatedAndCopied() {
    TrainingConfig base = new TrainingConfig(new Adam(), 32, 5);
    assertTrue(base.schedule().isEmpty());
    assertTrue(base.clipNorm().isEmpty());
    assertTrue(base.clipValue().isEmpty());
    assertTrue(base.validationSplit().isEmpty());
    assertTrue(base.classWeights().isEmpty());
    assertTrue(base.shuffle());
    assertEquals(List.of(), base.metrics());
    TrainingConfig full = base.withClipNorm(1.0).withClipValue(0.5)
        .withSchedule(new StepDecay(0.5, 2)).withValidationSplit(0.1).withShuffle(false)
        .withClassWeights(new float[] {1, 2}).withMetrics(List.of(Metrics.byName("auc")))
        .withEpochs(7).withBatchSize(16);
    assertEquals(7, full.epochs());
    assertEquals(16, full.batchSize());
    assertEquals(1.0, full.clipNorm().orElseThrow());
    assertEquals(0.5, full.clipValue().orElseThrow());
    assertEquals(0.1, full.validationSplit().orElseThrow());
    assertEquals(new StepDecay(0.5, 2), full.schedule().orElseThrow());
    assertFalse(full.shuffle());
    assertEquals(full, base.withBatchSize(16).withEpochs(7).withShuffle(false)
        .withMetrics(List.of(Metrics.byName("auc"))).withClassWeights(new float[] {1, 2})
        .withValidationSplit(0.1).withSchedule(new StepDecay(0.5, 2)).withClipValue(0.5)
        .withClipNorm(1.0));
    assertEquals(full.hashCode(), base.withBatchSize(16).withEpochs(7).withShuffle(false)
        .withMetrics(List.of(Metrics.byName("auc"))).withClassWeights(new float[] {1, 2})
        .withValidationSplit(0.1).withSchedule(new StepDecay(0.5, 2)).withClipValue(0.5)
        .withClipNorm(1.0).hashCode());
    assertNotEquals(base, full);
    float[] weights = full.classWeights().orElseThrow();
    weights[0] = 9;
    assertEquals(1f, full.classWeights().orElseThrow()[0]);
    assertEquals("TrainingConfig(optimizer=" + new Adam() + ", batchSize=16, epochs=7,"
        + " schedule=StepDecay(factor=0.5, everyEpochs=2), clipValue=0.5, clipNorm=1.0,"
        + " metrics=[auc], validationSplit=0.1, classWeights=[1.0, 2.0], shuffle=false)",
        full.toString());
    assertEquals(base, full.withShuffle(true).withClassWeights(null).withMetrics(List.of())
        .withValidationSplit(0).withSchedule(null).withoutClipping().withEpochs(5)
        .withBatchSize(32));

    assertEquals("batch size must be >= 1, but got 0",
        message(() -> base.withBatchSize(0)));
    assertEquals("epochs must be >= 1, but got 0", message(() -> base.withEpochs(0)));
    assertEquals("clip value must be > 0, but got 0.0", message(() -> base.withClipValue(0)));
    assertEquals("clip norm must be a finite number > 0, but got NaN",
        message(() -> base.withClipNorm(Double.NaN)));
    assertEquals("validation split must be in [0, 1), but got 1.0",
        message(() -> base.withValidationSplit(1)));
    assertEquals("class weight 1 must be a finite number >= 0, but got -1.0",
        message(() -> base.withClassWeights(new float[] {1, -1})));
    assertEquals("metric 'auc' is listed twice",
        message(() -> base.withMetrics(List.of(Metrics.byName("auc"), Metrics.byName("auc")))));
  }

  private static String message(Runnable action) {
    return assertThrows(IllegalArgumentException.class, action::run).getMessage();
  }

  @Test
  void aTrainingStepAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Dataset data = TrainerTest.toySet(12, 8_000);
    TrainingConfig config = new TrainingConfig(new Adam(0.01), 1, 1)
        .withClipNorm(1).withClipValue(1).withSchedule(new ExponentialDecay(0.99, 100, false))
        .withClassWeights(new float[] {1, 2}).withMetrics(List.of(Metrics.byName("accuracy")));
    DropoutSoftmax net = new DropoutSoftmax(2, 2, 1, 0.2, 1e-4f);
    List<Callback> callbacks = List.of(new NanGuard(),
        new ProgressBar(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false,
            Duration.ofHours(1)));
    Trainer trainer = new Trainer(config, 1);
    for (int warm = 0; warm < 5; warm++) {
      trainer.fit(net, data, null, callbacks);
    }
    long one = allocated(threads, () -> trainer.fit(net, data, null, callbacks));
    Trainer longer = new Trainer(config.withEpochs(4), 1);
    long four = allocated(threads, () -> longer.fit(net, data, null, callbacks));
    // 3 more epochs are 24,000 more steps: one allocation per step would be 384 kB or more.
    // What remains is per epoch: the shuffle's random, the statistics, the console line (about
    // 13 kB, mostly String.format).
    assertTrue(four - one < 100_000, "3 epochs allocated " + (four - one) + " bytes more");
  }

  private static long allocated(com.sun.management.ThreadMXBean threads, Runnable action) {
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    action.run();
    return threads.getThreadAllocatedBytes(id) - before;
  }
}
