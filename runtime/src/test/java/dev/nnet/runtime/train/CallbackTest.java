package dev.nnet.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.io.Checkpoint;
import dev.nnet.runtime.loss.Loss;
import dev.nnet.runtime.loss.MeanSquaredError;
import dev.nnet.runtime.metrics.Metric;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.schedule.StepDecay;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbackTest {
  @TempDir Path dir;

  /** A metric that reports a scripted value per call (one call per epoch without validation). */
  static final class Scripted implements Metric {
    final double[] values;
    int calls;

    Scripted(double... values) {
      this.values = values;
    }

    @Override
    public String name() {
      return "score";
    }

    @Override
    public double compute(float[] outputs, float[] targets, int count, int outputWidth,
        int targetWidth) {
      return values[calls++];
    }
  }

  /** Copies the parameters at the end of every epoch. */
  static final class Snapshots implements Callback {
    final List<float[]> parameters = new ArrayList<>();

    @Override
    public void onEpochEnd(TrainingContext context, EpochStats stats) {
      parameters.add(context.network().parameters().clone());
    }
  }

  /** y = 3x + 1 on x in [1, 2]: diverges with plain SGD once the learning rate exceeds ~0.2. */
  static Dataset line(int size) {
    float[] x = new float[size];
    float[] y = new float[size];
    for (int n = 0; n < size; n++) {
      x[n] = 1 + (float) n / size;
      y[n] = 3 * x[n] + 1;
    }
    return Dataset.of(x, 1, y, 1);
  }

  @Test
  void nanGuardStopsADivergingRunNamingEpochAndBatch() {
    Dataset data = line(40);
    TrainingConfig config = new TrainingConfig(new Sgd(0.9), 4, 50);
    // Where does it first blow up? Run without the guard and record.
    List<String> firstBad = new ArrayList<>();
    Callback recorder = new Callback() {
      @Override
      public void onGradients(TrainingContext context, float[] gradients) {
        boolean finite = Float.isFinite(context.batchLoss());
        for (float g : gradients) {
          finite &= Float.isFinite(g);
        }
        if (firstBad.isEmpty() && !finite) {
          firstBad.add(" at step " + (context.step() + 1) + " (epoch " + context.epoch()
              + ", batch " + context.batch());
        }
      }
    };
    LinearNet free = new LinearNet();
    new Trainer(config, 1).fit(free, data, null, recorder);
    assertEquals(1, firstBad.size(), "the run must diverge");

    LinearNet guarded = new LinearNet();
    NanGuard guard = new NanGuard();
    List<float[]> before = new ArrayList<>();
    Callback lastFinite = new Callback() {
      @Override
      public void onGradients(TrainingContext context, float[] gradients) {
        before.clear();
        before.add(context.network().parameters().clone());
      }
    };
    History history = new Trainer(config, 1).fit(guarded, data, null, lastFinite, guard);
    String expected = firstBad.get(0)
        + ", learning rate 0.9): lower the learning rate or clip gradients";
    assertTrue(guard.reason().endsWith(expected), guard.reason());
    // A diverging linear network: its output overflows first (or the loss, or a gradient).
    assertTrue(guard.reason().startsWith("output activation [")
        || guard.reason().startsWith("loss became") || guard.reason().startsWith("gradient of"),
        guard.reason());
    expected = guard.reason();
    assertEquals(expected, history.stopReason().orElseThrow());
    assertTrue(history.stoppedEarly());
    int epoch = Integer.parseInt(firstBad.get(0).replaceAll(".*\\(epoch (\\d+),.*", "$1"));
    assertEquals(epoch, history.size());
    // The step with the bad gradient was skipped: the parameters are the last finite ones.
    assertArrayEquals(before.get(0), guarded.parameters());
    for (float p : guarded.parameters()) {
      assertTrue(Float.isFinite(p));
    }
  }

  @Test
  void nanGuardNamesTheTensorOfANonFiniteGradient() {
    LinearNet net = new LinearNet() {
      int calls;

      @Override
      public float computeGradients(float[] inputs, int inputOffset, float[] targets,
          int targetOffset, int count) {
        float loss = super.computeGradients(inputs, inputOffset, targets, targetOffset, count);
        if (++calls == 7) {
          gradients()[1] = Float.NaN; // the bias
        }
        return loss;
      }
    };
    NanGuard guard = new NanGuard();
    History history = new Trainer(new TrainingConfig(new Sgd(0.01), 4, 3), 1)
        .fit(net, line(20), null, guard);
    assertEquals("gradient of 'dense.bias'[0] became NaN at step 7 (epoch 2, batch 2, learning"
        + " rate 0.01): lower the learning rate or clip gradients", history.stopReason().orElseThrow());
    assertEquals(2, history.size());
  }

  @Test
  void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
    Dataset data = TrainerTest.toySet(31, 64);
    // The score peaks at epoch 2, then fails to beat it for 3 epochs.
    Scripted score = new Scripted(0.5, 0.7, 0.6, 0.65, 0.69, 0.95, 0.99);
    TrainingConfig config =
        new TrainingConfig(new Sgd(0.3), 8, 7).withMetrics(List.of(score));
    SoftmaxRegression net = SoftmaxRegression.small();
    net.initialize(2);
    Snapshots snapshots = new Snapshots();
    EarlyStopping stopping = new EarlyStopping("score", MonitorMode.MAX, 3, 0, true);
    History history = new Trainer(config, 4).fit(net, data, null, snapshots, stopping);
    assertEquals(5, history.size());
    assertEquals(2, stopping.bestEpoch());
    assertEquals(5, stopping.stoppedEpoch());
    assertEquals("early stopping: score did not improve for 3 epochs (best 0.7000 at epoch 2)",
        history.stopReason().orElseThrow());
    assertArrayEquals(snapshots.parameters.get(1), net.parameters());
    assertFalse(java.util.Arrays.equals(snapshots.parameters.get(4), net.parameters()));

    // With a min delta of 0.1, 0.55 and 0.58 do not improve on 0.5; without restoring, the last
    // weights stay.
    Scripted again = new Scripted(0.5, 0.55, 0.58, 0.9, 0.9, 0.9);
    SoftmaxRegression other = SoftmaxRegression.small();
    Snapshots otherSnapshots = new Snapshots();
    History second = new Trainer(config.withMetrics(List.of(again)), 4).fit(other, data, null,
        otherSnapshots, new EarlyStopping("score", MonitorMode.MAX, 2, 0.1, false));
    assertEquals(3, second.size());
    assertArrayEquals(otherSnapshots.parameters.get(2), other.parameters());
  }

  @Test
  void earlyStoppingNamesWhatTheEpochMeasuredWhenTheMonitorIsMissing() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Trainer(new TrainingConfig(new Sgd(), 8, 2), 1).fit(
            SoftmaxRegression.small(), TrainerTest.toySet(1, 16), null,
            new EarlyStopping("val_loss", 1, 0, false)));
    assertEquals("EarlyStopping monitors 'val_loss', but the epoch measured [loss, accuracy,"
        + " learning_rate, regularization_loss]: pass validation data or set a validation split",
        e.getMessage());
  }

  @Test
  void reduceLrOnPlateauMultipliesTheRateAfterPatienceWithCooldownAndFloor() {
    // loss-like score (lower is better): improves at 1, 2, then stalls.
    Scripted score = new Scripted(1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94, 0.99, 0.98, 0.97);
    TrainingConfig config =
        new TrainingConfig(new Sgd(0.8), 16, 10).withMetrics(List.of(score));
    History history = new Trainer(config, 1).fit(SoftmaxRegression.small(),
        TrainerTest.toySet(3, 32), null,
        new ReduceLrOnPlateau("score", MonitorMode.MIN, 0.5, 2, 0, 1, 0.15));
    // Epochs 3 and 4 do not improve: 0.8 → 0.4 after epoch 4, and a cooldown epoch in which the
    // wait restarts (Keras counts the epoch that ends the cooldown); 5, 6 → 0.2 after 6; 7, 8 →
    // max(0.1, 0.15) after 8; 9, 10 would reduce again, but the rate is at its floor.
    double[] expected = {0.8, 0.8, 0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.15, 0.15};
    assertArrayEquals(expected, history.learningRates(), 1e-12);
  }

  @Test
  void scheduleAndPlateauShowInTheProgressBarsLearningRate() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    new Trainer(new TrainingConfig(new Sgd(0.5), 8, 2).withSchedule(new StepDecay(0.5, 1)), 1)
        .fit(SoftmaxRegression.small(), TrainerTest.toySet(5, 16), null,
            new ProgressBar(out, false));
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].matches("epoch 1/2  loss: \\d\\.\\d{4}  accuracy: \\d\\.\\d{4}"
        + "  learning_rate: 0\\.5  \\(\\d+\\.\\d s, \\d+ samples/s\\)"), lines[0]);
    assertTrue(lines[1].contains("  learning_rate: 0.25  ("), lines[1]);
  }

  @Test
  void progressBarPrintsPlainLinesWhenNotOnATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong();
    // Every clock reading is one second later: 10 batches of 1 s, a line every 4 s.
    ProgressBar bar = new ProgressBar(out, false, Duration.ofSeconds(4),
        () -> now.addAndGet(1_000_000_000L));
    Dataset data = TrainerTest.toySet(6, 40);
    History history = new Trainer(new TrainingConfig(new Sgd(0.5), 4, 2), 1)
        .fit(SoftmaxRegression.small(), data, data.slice(0, 8), bar);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"));
    String[] lines = text.split("\n");
    String progress = "  ETA \\d s  loss: \\d\\.\\d{4}  accuracy: \\d\\.\\d{4}";
    assertEquals(6, lines.length, text);
    assertTrue(lines[0].matches("epoch 1/2  batch 4/10  ETA 6 s  loss: \\d\\.\\d{4}  accuracy:"
        + " \\d\\.\\d{4}"), lines[0]);
    assertTrue(lines[1].matches("epoch 1/2  batch 8/10" + progress), lines[1]);
    assertEquals(TrainingListener.format(history.epochs().get(0), 2), lines[2]);
    assertTrue(lines[3].matches("epoch 2/2  batch 4/10" + progress), lines[3]);
    assertTrue(lines[4].matches("epoch 2/2  batch 8/10" + progress), lines[4]);
    assertEquals(TrainingListener.format(history.epochs().get(1), 2), lines[5]);
    assertTrue(lines[5].contains("  val_loss: "), lines[5]);
  }

  @Test
  void progressBarRedrawsOneLineOnATerminalAndReportsAStop() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong();
    ProgressBar bar = new ProgressBar(out, true, ProgressBar.DEFAULT_INTERVAL,
        () -> now.addAndGet(200_000_000L));
    Callback stopper = new Callback() {
      @Override
      public void onEpochEnd(TrainingContext context, EpochStats stats) {
        if (stats.epoch() == 2) {
          context.requestStop("enough");
        }
      }
    };
    History history = new Trainer(new TrainingConfig(new Sgd(0.5), 4, 5), 1)
        .fit(SoftmaxRegression.small(), TrainerTest.toySet(7, 16), null, bar, stopper);
    String text = bytes.toString(StandardCharsets.UTF_8);
    String[] lines = text.split("\n");
    assertEquals(3, lines.length, text);
    // Each epoch line: redraws of the bar, then the summary over it.
    assertTrue(lines[0].startsWith("\repoch 1/5  [=====>              ]  1/4  ETA 1 s  loss: "),
        lines[0]);
    assertTrue(lines[0].contains("\repoch 1/5  [====================]  4/4  loss: "), lines[0]);
    String summary = lines[0].substring(lines[0].lastIndexOf('\r') + 1).stripTrailing();
    assertEquals(TrainingListener.format(history.epochs().get(0), 5), summary);
    assertEquals("stopped: enough", lines[2]);
  }

  @Test
  void csvLoggerWritesAHeaderAndOneRowPerEpochWithEveryValue() throws IOException {
    Path file = dir.resolve("training.csv");
    Dataset data = TrainerTest.toySet(8, 48);
    TrainingConfig config = new TrainingConfig(new Sgd(0.5), 8, 3)
        .withMetrics(List.of(dev.nnet.runtime.metrics.Metrics.byName("accuracy"),
            dev.nnet.runtime.metrics.Metrics.byName("auc")));
    History history = new Trainer(config, 1).fit(SoftmaxRegression.small(), data,
        data.slice(0, 16), new CsvLogger(file));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(4, lines.size());
    assertEquals("epoch,loss,accuracy,auc,val_loss,val_accuracy,val_auc,learning_rate,"
        + "regularization_loss,seconds", lines.get(0));
    for (int e = 0; e < 3; e++) {
      String[] cells = lines.get(e + 1).split(",");
      EpochStats stats = history.epochs().get(e);
      assertEquals(Integer.toString(e + 1), cells[0]);
      Map<String, Double> values = stats.values();
      int column = 1;
      for (double value : values.values()) {
        assertEquals(value, Double.parseDouble(cells[column++]), 0.0);
      }
      assertEquals(stats.seconds(), Double.parseDouble(cells[column]), 0.0);
      assertEquals(0.5, Double.parseDouble(cells[7]), 0.0);
    }
    // A new run replaces the file.
    new Trainer(config.withEpochs(1), 1).fit(SoftmaxRegression.small(), data,
        data.slice(0, 16), new CsvLogger(file));
    assertEquals(2, Files.readAllLines(file, StandardCharsets.UTF_8).size());
  }

  @Test
  void modelCheckpointFillsThePatternAndSavesEveryNEpochsOrTheBest() throws IOException {
    Dataset data = TrainerTest.toySet(9, 48);
    TrainingConfig config = new TrainingConfig(new Sgd(0.5), 8, 5);
    ModelCheckpoint every = new ModelCheckpoint(
        dir.resolve("runs/ckpt-{epoch:03d}-{loss:.2f}.safetensors"), 2);
    ModelCheckpoint best = ModelCheckpoint.bestOnly(dir.resolve("best.safetensors"), "val_loss");
    List<Integer> bestEpochs = new ArrayList<>();
    double[] bestSoFar = {Double.POSITIVE_INFINITY};
    Callback expectBest = new Callback() {
      @Override
      public void onEpochEnd(TrainingContext context, EpochStats stats) {
        if (stats.validationLoss() < bestSoFar[0]) {
          bestSoFar[0] = stats.validationLoss();
          bestEpochs.add(stats.epoch());
        }
      }
    };
    SoftmaxRegression net = SoftmaxRegression.small();
    History history = new Trainer(config, 1).fit(net, data, data.slice(0, 8), every, best,
        expectBest);
    List<String> names;
    try (var files = Files.list(dir.resolve("runs"))) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of(
        String.format(java.util.Locale.ROOT, "ckpt-002-%.2f.safetensors",
            history.epochs().get(1).loss()),
        String.format(java.util.Locale.ROOT, "ckpt-004-%.2f.safetensors",
            history.epochs().get(3).loss())), names);
    Checkpoint saved = Checkpoint.load(dir.resolve("best.safetensors"),
        SoftmaxRegression.small(), null);
    assertEquals(bestEpochs.get(bestEpochs.size() - 1), saved.epochsDone());
    assertEquals(dir.resolve("best.safetensors"), best.lastSaved());

    assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir.resolve("a{"), 1));
    assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir.resolve("a}"), 1));
    assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir, 0));
  }

  @Test
  void saveCheckpointOutsideBatchAndEpochEndIsRefused() {
    Callback early = new Callback() {
      @Override
      public void onEpochBegin(TrainingContext context) {
        context.saveCheckpoint(dir.resolve("x"));
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Trainer(new TrainingConfig(new Sgd(), 4, 1), 1).fit(SoftmaxRegression.small(),
            TrainerTest.toySet(1, 8), null, early));
    assertEquals("a checkpoint can be saved only from onBatchEnd or onEpochEnd: a run resumes"
        + " after a step or at the end of an epoch", e.getMessage());
  }

  @Test
  void callbacksAreCalledInOrderWithOneBasedEpochsAndBatches() {
    List<String> calls = new ArrayList<>();
    Callback recorder = new Callback() {
      @Override
      public void onTrainBegin(TrainingContext c) {
        calls.add("trainBegin " + c.epochs() + " " + c.batchesPerEpoch());
      }

      @Override
      public void onEpochBegin(TrainingContext c) {
        calls.add("epochBegin " + c.epoch());
      }

      @Override
      public void onGradients(TrainingContext c, float[] gradients) {
        calls.add("gradients " + c.epoch() + "." + c.batch() + " step " + c.step());
      }

      @Override
      public void onBatchEnd(TrainingContext c) {
        calls.add("batchEnd " + c.epoch() + "." + c.batch() + " step " + c.step());
      }

      @Override
      public void onEpochEnd(TrainingContext c, EpochStats stats) {
        calls.add("epochEnd " + stats.epoch());
      }

      @Override
      public void onTrainEnd(TrainingContext c, History history) {
        calls.add("trainEnd " + history.size());
      }
    };
    new Trainer(new TrainingConfig(new Sgd(), 4, 2), 1).fit(SoftmaxRegression.small(),
        TrainerTest.toySet(1, 6), null, recorder);
    assertEquals(List.of("trainBegin 2 2", "epochBegin 1", "gradients 1.1 step 0",
        "batchEnd 1.1 step 1", "gradients 1.2 step 1", "batchEnd 1.2 step 2", "epochEnd 1",
        "epochBegin 2", "gradients 2.1 step 2", "batchEnd 2.1 step 3", "gradients 2.2 step 3",
        "batchEnd 2.2 step 4", "epochEnd 2", "trainEnd 2"), calls);
  }

  @Test
  void aListenerIsACallbackAndNullsAreRejected() {
    List<Integer> epochs = new ArrayList<>();
    TrainingListener listener = (stats, total) -> epochs.add(stats.epoch());
    new Trainer(new TrainingConfig(new Sgd(), 4, 3), 1).fit(SoftmaxRegression.small(),
        TrainerTest.toySet(1, 8), null, new NanGuard(), listener);
    assertEquals(List.of(1, 2, 3), epochs);
    assertThrows(NullPointerException.class, () -> new Trainer(new TrainingConfig(new Sgd(), 4,
        1), 1).fit(SoftmaxRegression.small(), TrainerTest.toySet(1, 8), null, (Callback) null));
    assertNull(new NanGuard().reason());
  }

  /** y = w·x + b with mean squared error: a network that diverges under a large learning rate. */
  static class LinearNet implements Network {
    final float[] parameters = {0.5f, 0f};
    final float[] gradients = new float[2];
    final float[] outputs = new float[64];
    final float[] outputGradients = new float[64];

    @Override public String name() { return "Linear"; }
    @Override public String fingerprint() { return "linear"; }
    @Override public int inputSize() { return 1; }
    @Override public int outputSize() { return 1; }
    @Override public int parameterCount() { return 2; }
    @Override public float[] parameters() { return parameters; }
    @Override public float[] gradients() { return gradients; }
    @Override public int batchCapacity() { return 64; }
    @Override public float[] trainingOutputs() { return outputs; }
    @Override public Loss loss() { return MeanSquaredError.INSTANCE; }
    @Override public TrainingConfig trainingConfig() { return new TrainingConfig(new Sgd(), 4, 1); }
    @Override public void initialize(long seed) { parameters[0] = 0.5f; parameters[1] = 0f; }
    @Override public void seedTraining(long seed) {}

    @Override
    public List<ParameterTensor> parameterTensors() {
      return List.of(new ParameterTensor("dense.weight", 0, List.of(1, 1)),
          new ParameterTensor("dense.bias", 1, List.of(1)));
    }

    @Override
    public void predict(float[] input, int inputOffset, float[] output, int outputOffset) {
      output[outputOffset] = parameters[0] * input[inputOffset] + parameters[1];
    }

    @Override
    public void predictBatch(float[] inputs, int inputOffset, float[] outputs, int outputOffset,
        int count) {
      for (int n = 0; n < count; n++) {
        predict(inputs, inputOffset + n, outputs, outputOffset + n);
      }
    }

    @Override
    public float computeGradients(float[] inputs, int inputOffset, float[] targets,
        int targetOffset, int count) {
      predictBatch(inputs, inputOffset, outputs, 0, count);
      float loss = MeanSquaredError.INSTANCE.valueAndGradient(outputs, targets, targetOffset,
          outputGradients, count, 1);
      gradients[0] = 0;
      gradients[1] = 0;
      for (int n = 0; n < count; n++) {
        gradients[0] += outputGradients[n] * inputs[inputOffset + n];
        gradients[1] += outputGradients[n];
      }
      return loss;
    }
  }
}
